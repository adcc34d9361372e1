package dev.mqttkit.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.samples.LogCapture;
import dev.mqttkit.testing.MosquittoBroker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One run of the samples' command line in this JVM, with its output captured. */
final class Run {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> exit;

    private Run(InputStream in, String... args) {
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        exit = CompletableFuture.supplyAsync(() -> Samples.run(args, in, outStream, errStream));
    }

    /** Starts a run in the background. */
    static Run start(String... args) {
        return new Run(new ByteArrayInputStream(new byte[0]), args);
    }

    /** Starts a run with this standard input. */
    static Run withInput(InputStream in, String... args) {
        return new Run(in, args);
    }

    /** Runs to the end and returns the run. */
    static Run complete(String... args) {
        Run run = start(args);
        run.exitCode();
        return run;
    }

    int exitCode() {
        try {
            return exit.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("The run did not end within 30 s; out: " + out() + " err: " + err(), e);
        }
    }

    boolean isDone() {
        return exit.isDone();
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    List<String> outLines() {
        return Arrays.asList(out().split("\\R"));
    }

    /**
     * Connects a second client with the same id: the broker drops the run's, which ends with exit code 1. Its
     * client logs the lost connection (WARN): on purpose here, so the line goes to the test, not the console.
     */
    void endByDuplicateId(MosquittoBroker broker, String clientId) {
        try (LogCapture log = LogCapture.of("dev.mqttkit");
                MyMqtt twin = MyMqtt.builder().serverUri(broker.uri()).clientId(clientId).build()) {
            twin.start();
            assertThat(exitCode()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.messages(Level.WARN).contains("Client [" + clientId
                    + "]: Lost the connection to " + broker.uri() + ": the broker closed the connection."));
        }
    }

    /** Waits until the output contains the text. */
    void awaitOut(String text) {
        await().atMost(Duration.ofSeconds(15)).until(() -> out().contains(text) || isDone());
        if (!out().contains(text)) {
            throw new AssertionError("The run ended without printing [" + text + "]; out: " + out() + " err: " + err());
        }
    }
}
