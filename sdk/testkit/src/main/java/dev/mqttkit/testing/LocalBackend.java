package dev.mqttkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the local {@code mosquitto} binary as a child process. */
final class LocalBackend implements Backend {

    private static final List<String> WELL_KNOWN = List.of("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto",
            "/usr/bin/mosquitto", "/opt/homebrew/sbin/mosquitto", "/usr/local/opt/mosquitto/sbin/mosquitto");

    private final Path binary;
    private final Path config;
    private final Path log;
    private Process process;

    LocalBackend(BrokerSettings settings, Path directory, int port) {
        this.binary = findBinary();
        if (binary == null) {
            throw new IllegalStateException("No mosquitto binary on the PATH or in " + WELL_KNOWN
                    + ": install it (apt-get install -y mosquitto).");
        }
        this.config = new MosquittoConfig(settings).write(directory, directory.toString(), port,
                "127.0.0.1", System.getProperty("user.name"), findPlugin());
        this.log = directory.resolve("mosquitto.log");
    }

    private static final List<String> PLUGIN_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/usr/lib", "/usr/local/lib", "/opt/homebrew/lib", "/usr/local/opt/mosquitto/lib");

    private static String findPlugin() {
        for (String dir : PLUGIN_DIRS) {
            Path plugin = Path.of(dir, "mosquitto_dynamic_security.so");
            if (Files.isRegularFile(plugin)) {
                return plugin.toString();
            }
        }
        return null;
    }

    static Path findBinary() {
        return Executables.find("mosquitto", WELL_KNOWN);
    }

    @Override
    public MosquittoBroker.Kind kind() {
        return MosquittoBroker.Kind.LOCAL;
    }

    @Override
    public String describe() {
        return "Mosquitto (local " + binary + ")";
    }

    @Override
    public void start() {
        try {
            process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary, e);
        }
    }

    @Override
    public boolean mayBeUp() {
        return process != null && process.isAlive();
    }

    @Override
    public void checkAlive() {
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException("Mosquitto exited with status " + process.exitValue() + " while starting; "
                    + "its output:\n" + output());
        }
    }

    @Override
    public void stop() {
        end(false);
    }

    @Override
    public void kill() {
        end(true);
    }

    private void end(boolean kill) {
        if (process == null) {
            return;
        }
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    private String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
