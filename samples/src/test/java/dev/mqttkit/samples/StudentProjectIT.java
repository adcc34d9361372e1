package dev.mqttkit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A student's first hour, from the README's words alone: the Install section's command, run verbatim on a copy of
 * this repository into an empty local Maven repository, then the "Use mqttkit in a project of your own" section:
 * its {@code pom.xml} in a new folder, its commands to copy the LED sample and build it, and its commands to run
 * the light and its switch (only the broker's port changed) against a broker of the test kit.
 *
 * <p>mqttkit's artifacts can come only from the install step: third-party artifacts come from this machine's
 * {@code ~/.m2/repository} through a {@code file://} repository that leaves out {@code dev/mqttkit} (Maven Central
 * after it, for anything missing), so the test runs offline once the machine's repository is warm.
 */
@MosquittoTest
class StudentProjectIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String INSTALL = "## Install";
    private static final String OWN_PROJECT = "## Use mqttkit in a project of your own";

    @Test
    void readme_installAndOwnProjectRecipe_buildTheLedAndItsSwitchWhichTalk(MosquittoBroker broker,
            @TempDir Path workspace) throws Exception {
        long started = System.nanoTime();
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> installBlocks = blocks(section(readme, INSTALL), "bash");
        assertThat(installBlocks).as("the Install section's commands").isNotEmpty();
        String install = installBlocks.get(0).strip();
        assertThat(install).as("the install command").startsWith("mvn ").doesNotContain("\n");
        String ownProject = section(readme, OWN_PROJECT);
        List<String> pom = blocks(ownProject, "xml");
        List<String> commands = blocks(ownProject, "bash");
        assertThat(pom).as("the own project's pom.xml").hasSize(1);
        assertThat(commands).as("copy and build, run the light, run the switch").hasSize(3);

        Path clone = workspace.resolve("mqttkit");
        copySources(ROOT, clone);
        Path repository = Files.createDirectories(workspace.resolve("m2"));
        Path mirror = workspace.resolve("mirror");
        try {
            mirrorWithoutMqttkit(mirror);
            Path bin = mavenWithEmptyRepository(workspace, repository, mirror);
            long installStart = System.nanoTime();
            Outcome installed = Shell.run(bin, clone, install, Duration.ofMinutes(10));
            assertThat(installed.exitCode()).as("%s%n%s", install, installed).isZero();
            double installSeconds = seconds(installStart);
            assertThat(repository.resolve("dev/mqttkit/mqttkit-sdk/0.1.0-SNAPSHOT")).isDirectory();
            assertThat(repository.resolve("dev/mqttkit/mqttkit-json/0.1.0-SNAPSHOT")).isDirectory();

            Path project = Files.createDirectories(workspace.resolve("mqtt-lab"));
            Files.writeString(project.resolve("pom.xml"), pom.get(0));
            long buildStart = System.nanoTime();
            Outcome built = Shell.run(bin, workspace, "set -e\n" + commands.get(0), Duration.ofMinutes(5));
            assertThat(built.exitCode()).as("%s%n%s", commands.get(0), built).isZero();
            double buildSeconds = seconds(buildStart);

            String port = String.valueOf(broker.port());
            Shell light = Shell.start(bin, project, commands.get(1).strip().replaceAll("\\b1883\\b", port));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> light.out().contains("LED is OFF") || !light.isAlive());
                assertThat(light.out()).as(light.err()).startsWith("LED is OFF; switch it with on/off on [led]");

                Outcome switched = Shell.run(bin, project, commands.get(2).strip().replaceAll("\\b1883\\b", port),
                        Duration.ofSeconds(60));
                assertThat(switched.exitCode()).as("%s", switched).isZero();
                assertThat(switched.out()).isEqualTo("Sent on to the light; the broker acknowledged it.\n");
                assertThat(switched.err()).as("the switch's log").doesNotContain(" WARN ", " ERROR ", "Exception");

                await().atMost(Duration.ofSeconds(10)).until(() -> light.out().contains("LED is now ON"));
                assertThat(light.out()).isEqualTo("LED is OFF; switch it with on/off on [led]\nLED is now ON\n");
            } finally {
                light.stop(); // SIGTERM, as Ctrl-C's SIGINT: the light's shutdown hook disconnects it
            }
            assertThat(light.err()).as("the light's log").doesNotContain(" WARN ", " ERROR ", "Exception");
            System.out.printf(Locale.ROOT, "[StudentProjectIT] the README's recipe took %.1f s: install %.1f s, "
                    + "copy and build %.1f s, the light and its switch %.1f s%n", seconds(started), installSeconds,
                    buildSeconds, seconds(started) - installSeconds - buildSeconds);
        } finally {
            unlinkMirror(mirror); // the links only, never what they point to
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** A section of the README: from its heading to the next heading of the same level. */
    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README section " + heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The fenced blocks of a language in a text, in order. */
    private static List<String> blocks(String text, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```$").matcher(text);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    /** What a clone holds: every file of the working tree but build output; never the live tree's builds. */
    private static void copySources(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(from) && (name.equals("target") || name.equals(".git"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && !file.getFileName().toString().equals(".git")) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * A {@code file://} repository of links to this machine's local repository, without {@code dev/mqttkit}: Maven
     * reads third-party artifacts there without the network, and never an mqttkit artifact of another build.
     */
    private static void mirrorWithoutMqttkit(Path mirror) throws IOException {
        Files.createDirectories(mirror.resolve("dev"));
        Path machine = Path.of(System.getProperty("user.home"), ".m2", "repository");
        if (Files.isDirectory(machine)) { // else everything comes from Maven Central
            link(machine, mirror, "dev");
            link(machine.resolve("dev"), mirror.resolve("dev"), "mqttkit");
        }
    }

    private static void link(Path from, Path to, String except) throws IOException {
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.equals(except) && Files.isDirectory(entry)) {
                    Files.createSymbolicLink(to.resolve(name), entry);
                }
            }
        }
    }

    private static void unlinkMirror(Path mirror) throws IOException {
        try (Stream<Path> links = Stream.concat(list(mirror), list(mirror.resolve("dev")))) {
            for (Path link : (Iterable<Path>) links::iterator) {
                if (Files.isSymbolicLink(link)) {
                    Files.delete(link);
                }
            }
        }
    }

    private static Stream<Path> list(Path directory) {
        try {
            return Files.isDirectory(directory) ? Files.list(directory) : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A folder with an {@code mvn} that is this machine's Maven with an empty local repository and the settings
     * that read the mirror first, Maven Central after it: the README's commands run as written.
     */
    private static Path mavenWithEmptyRepository(Path workspace, Path repository, Path mirror) throws IOException {
        Path settings = workspace.resolve("settings.xml");
        String url = mirror.toUri().toString();
        Files.writeString(settings, String.join("\n",
                "<settings>",
                "  <profiles>",
                "    <profile>",
                "      <id>this-machine</id>",
                "      <repositories>",
                "        <repository>",
                "          <id>this-machine</id>",
                "          <url>" + url + "</url>",
                "          <snapshots><enabled>false</enabled></snapshots>",
                "        </repository>",
                "      </repositories>",
                "      <pluginRepositories>",
                "        <pluginRepository>",
                "          <id>this-machine</id>",
                "          <url>" + url + "</url>",
                "          <snapshots><enabled>false</enabled></snapshots>",
                "        </pluginRepository>",
                "      </pluginRepositories>",
                "    </profile>",
                "  </profiles>",
                "  <activeProfiles>",
                "    <activeProfile>this-machine</activeProfile>",
                "  </activeProfiles>",
                "</settings>",
                ""));
        Path bin = Files.createDirectories(workspace.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nexec '" + machineMaven() + "' -s '" + settings + "' -Dmaven.repo.local='"
                + repository + "' \"$@\"\n");
        assertThat(mvn.toFile().setExecutable(true)).isTrue();
        return bin;
    }

    private static Path machineMaven() {
        for (String directory : System.getenv("PATH").split(File.pathSeparator)) {
            Path mvn = Path.of(directory, "mvn");
            if (Files.isExecutable(mvn)) {
                return mvn;
            }
        }
        throw new AssertionError("No mvn on the PATH");
    }

    /** A finished command: its exit code and output. */
    record Outcome(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- out:\n" + out + "\n--- err:\n" + err;
        }
    }

    /** A command of the README run by bash, with the Maven above and this JVM's java first on the PATH. */
    static final class Shell {
        private final Process process;
        private final Path out;
        private final Path err;

        private Shell(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static Shell start(Path bin, Path directory, String command) throws IOException {
            Path out = Files.createTempFile(directory.getParent(), "out", ".txt");
            Path err = Files.createTempFile(directory.getParent(), "err", ".txt");
            // one line runs as the process itself (exec), so that stopping it signals the JVM, as Ctrl-C does
            String script = command.contains("\n") ? command : "exec " + command;
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("PATH", bin + File.pathSeparator
                    + Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + System.getenv("PATH"));
            return new Shell(builder.start(), out, err);
        }

        static Outcome run(Path bin, Path directory, String command, Duration timeout) throws Exception {
            Shell shell = start(bin, directory, command);
            if (!shell.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                shell.process.destroyForcibly().waitFor();
                throw new AssertionError("[" + command + "] did not end within " + timeout.toSeconds() + " s; out:\n"
                        + shell.out() + "\nerr:\n" + shell.err());
            }
            return new Outcome(shell.process.exitValue(), shell.out(), shell.err());
        }

        boolean isAlive() {
            return process.isAlive();
        }

        String out() throws IOException {
            return Files.readString(out);
        }

        String err() throws IOException {
            return Files.readString(err);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
