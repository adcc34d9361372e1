package dev.mqttkit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code java -jar target/mqttkit-samples.jar ...} as a separate process, the way the README runs it. */
class SamplesJarIT {

    private static final Path JAR = Path.of("target", "mqttkit-samples.jar");

    /** A finished process: its exit code, what it printed, and how long it ran. */
    record Outcome(int exitCode, String out, String err, double seconds) {
    }

    private static Outcome run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the samples jar, built by mvn package").exists();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("samples-out", ".txt");
        Path err = Files.createTempFile("samples-err", ".txt");
        try {
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", args) + " did not end within " + timeoutSeconds + " s; out: "
                        + Files.readString(out));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Outcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), seconds);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void demo_onTheEmbeddedBroker_printsTheTranscriptAndExitsZero() throws Exception {
        Outcome demo = run(60, "demo");
        System.out.printf(Locale.ROOT, "[SamplesJarIT] demo ran %.1f s as a process (jar %,d bytes)%n", demo.seconds(),
                Files.size(JAR));
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.err()).as("nothing on stderr in a normal run").isEmpty();
        assertThat(demo.out()).contains(
                "mqttkit demo: the course's lab exercises, on an embedded MQTT broker (HiveMQ CE) at tcp://127.0.0.1:",
                "[led]        LED is now ON",
                "[dashboard]  led/status (qos 2, retained 1) {\"status\":\"on\"}",
                "[led]        LED is now OFF",
                "[subscriber] robotcell1/temperature (qos 2, retained 0) 21.5",
                "[subscriber] robotcell1/temperature (qos 2, retained 0) 22.75",
                "[average]    robotcell1/avgtemperature = 23.5 (average of 21.0 and 26.0)",
                "[average]    robotcell1/avgtemperature = 24.5 (average of 21.0 and 28.0)",
                "[cylinders]  component 1: component 3 is True, so cylinder 1 := False",
                "end state: 1=False, 2=True, 3=True",
                "[Yoko]       John: Hi",
                "[John]       Yoko: Hi, how are you?",
                "[Yoko]       John: Good",
                "[John]       Not sent: wait for someone else to reply (the last message on [chat] is yours).",
                "; the embedded broker is stopped.");
        assertThat(demo.seconds()).as("the demo's wall time").isLessThan(30);
    }

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"demo", "publisher", "subscriber", "led", "switch", "chat", "average", "cylinders",
            "monitor", "clear"})
    void help_eachSample_printsItsUsageAndExitsZero(String sample) throws Exception {
        Outcome help = run(30, sample, "--help");
        assertThat(help.exitCode()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: mqttkit-samples " + sample);
        if (!sample.equals("demo")) {
            assertThat(help.out()).contains("--broker=URI", "--embedded", "--client-id=ID", "--qos=0|1|2",
                    "--username=NAME", "--password", "--ca=FILE", "--cert=FILE", "--key=FILE");
        }
        if (!sample.equals("monitor")) {
            assertThat(help.out()).contains("--prefix=LEVELS");
        }
        assertThat(help.err()).isEmpty();
    }

    @Test
    void led_embeddedStoppedWithSigterm_disconnectsCleanlyAndLeavesNothingOnStderr() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path out = Files.createTempFile("led-out", ".txt");
        Path err = Files.createTempFile("led-err", ".txt");
        try {
            Process led = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", JAR.toString(), "led", "--embedded", "--broker", "tcp://localhost:" + port)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                        .until(() -> Files.readString(out).contains("LED is OFF") || !led.isAlive());
                assertThat(Files.readString(out)).as(Files.readString(err)).contains("LED is OFF");
                led.destroy(); // SIGTERM, as Ctrl-C sends SIGINT: the JVM runs the sample's shutdown hook
                assertThat(led.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                led.destroyForcibly();
            }
            assertThat(Files.readString(err)).isEmpty();
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void help_top_listsEverySample() throws Exception {
        Outcome help = run(30, "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("demo", "publisher", "subscriber", "led", "switch", "chat", "average",
                "cylinders", "monitor", "clear");
    }
}
