package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that forgets {@code stop()} exits when its {@code main} returns, and a program without an SLF4J
 * provider still shows mqttkit's warnings; each in a child JVM whose class path has no SLF4J provider, as a
 * student's project that only depends on mqttkit.
 */
@MosquittoTest
class ForgottenStopIT {

    @RegisterExtension
    final Clients clients = new Clients();

    /** The test class path without any SLF4J provider (logback, slf4j-simple, ...). */
    private static String classPathWithoutProvider() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback") && !entry.contains("slf4j-simple")
                        && !entry.contains("slf4j-nop") && !entry.contains("log4j"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private record Run(int exitCode, String out, String err, long millis) {
    }

    private static Run child(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", classPathWithoutProvider(), ForgetfulProgram.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean exited = process.waitFor(40, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        Run run = new Run(exited ? process.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), millis);
        assertThat(exited).as("the program exited by itself within 40 s; %s", run).isTrue();
        return run;
    }

    @Test
    void mainReturnsWithoutStop_programExitsAndItsPublishArrives(MosquittoBroker broker, @TempDir Path dir)
            throws Exception {
        Recorder received = new Recorder();
        clients.started(broker).subscribe("forgotten/stop", Qos.AT_LEAST_ONCE, received);
        String id = Clients.uniqueId("forgetful");

        Run run = child(dir, "publish", broker.uri(), id, "forgotten/stop");

        System.out.println("[ForgottenStopIT] a main without stop() exited after " + run.millis() + " ms");
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).contains("MAIN RETURNS");
        assertThat(run.err()).as("standard error").contains(" WARN [mqttkit-exit] ExitHook - Client [" + id + "] was "
                + "still started when the JVM began to exit; stopping it, so that what it has in flight can finish "
                + "(call stop() yourself to choose when)");
        assertThat(received.awaitPayload("bye")).containsExactly("bye");
    }

    @Test
    void noSlf4jProvider_warningsGoToStandardError(MosquittoBroker broker, @TempDir Path dir) throws Exception {
        String id = Clients.uniqueId("twin");

        Run run = child(dir, "twins", broker.uri(), id);

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.err()).as("standard error").contains("mqttkit: no SLF4J provider is bound, so mqttkit "
                + "prints its warnings and errors here; add one (for example org.slf4j:slf4j-simple or "
                + "ch.qos.logback:logback-classic) to choose where they go.")
                .contains("DuplicateIdDetector - Client [" + id + "] lost its connection to " + broker.uri()
                        + " within 5 s of connecting, 3 times in a row: another client is probably using the same "
                        + "client id [" + id + "]")
                .contains("PahoSession - Client [" + id + "]: Lost the connection to " + broker.uri());
    }
}
