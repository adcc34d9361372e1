package dev.mqttkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A broker's program run as a child process of the test JVM, its output appended to a log file: started,
 * stopped with SIGTERM (then SIGKILL after a grace period), or killed with SIGKILL together with every process
 * it started.
 */
final class ChildProcess {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final Path log;
    private final boolean clearEnvironment;
    private Process process;

    /**
     * @param name what the log lines and errors call the program
     * @param environment variables to set
     * @param clearEnvironment whether the child starts from an empty environment (plus {@code PATH})
     */
    ChildProcess(String name, List<String> command, Map<String, String> environment, boolean clearEnvironment,
            Path workingDirectory, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.clearEnvironment = clearEnvironment;
        this.workingDirectory = workingDirectory;
        this.log = log;
    }

    synchronized void start() {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (clearEnvironment) {
            String path = builder.environment().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            String javaHome = System.getProperty("java.home");
            builder.environment().clear();
            builder.environment().put("PATH", path);
            builder.environment().put("JAVA_HOME", javaHome);
            builder.environment().put("LANG", "C.UTF-8");
        }
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Throws, with the program's output, when it has exited. */
    synchronized void checkAlive() {
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException(name + " exited with status " + process.exitValue() + " while starting; "
                    + "its output:\n" + output());
        }
    }

    /** Waits for the program to end by itself; tells whether it did in time. */
    boolean awaitExit(Duration timeout) {
        Process running;
        synchronized (this) {
            running = process;
        }
        try {
            return running == null || running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, and SIGKILL for whatever is left after {@code grace}. */
    synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = tree();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                killAll(tree);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killAll(tree);
        }
        // children that outlive the program (a shell's, a VM's helpers) go too
        killAll(tree);
        process = null;
    }

    /** SIGKILL to the program and every process under it. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        killAll(tree());
        process = null;
    }

    /** The program's output so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + (process == null ? "" : " (pid " + process.pid() + ")");
    }

    /** The process and its descendants, listed before any of them dies (orphans are not descendants). */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> all = process.descendants().collect(Collectors.toList());
        all.add(0, process.toHandle());
        return all;
    }

    private static void killAll(List<ProcessHandle> tree) {
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // still there after 15 s: nothing more a SIGKILL can do
            }
        }
    }
}
