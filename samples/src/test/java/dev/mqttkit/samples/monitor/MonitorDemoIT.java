package dev.mqttkit.samples.monitor;

import static dev.mqttkit.samples.monitor.Chromium.literal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.samples.average.AverageTemperature;
import dev.mqttkit.samples.publisher.TemperaturePublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar mqttkit-samples.jar demo --monitor} as a process, the way the README runs it: the page shows
 * the demo's topics and stays up, with the broker, until the process is stopped (SIGTERM, as Ctrl-C). Takes the
 * README's screenshots: into {@code target/monitor-screenshots/}, and into {@code -Dmqttkit.screenshots=docs}
 * when given, to update the checked-in ones.
 */
class MonitorDemoIT {

    private static final Path JAR = Path.of("target", "mqttkit-samples.jar");
    private static final Pattern PAGE = Pattern.compile("The monitor shows it at (http://127\\.0\\.0\\.1:\\d+/) ");
    private static final Pattern BROKER = Pattern.compile("embedded MQTT broker \\(HiveMQ CE\\) at (tcp://\\S+)");

    @Test
    void demoWithMonitor_showsTheLabsTopicsAndStaysUpUntilStopped() throws Exception {
        Assumptions.assumeTrue(Chromium.executable().isPresent(), Chromium::missing);
        assertThat(JAR).as("the samples jar, built by mvn package").exists();
        Path out = Files.createTempFile("demo-monitor-out", ".txt");
        Path err = Files.createTempFile("demo-monitor-err", ".txt");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "demo", "--monitor", "--port", "0")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("The monitor stays at")
                    || !demo.isAlive());
            String transcript = Files.readString(out);
            assertThat(transcript).as(Files.readString(err)).contains("[led]        LED is now ON",
                    "end state: 1=False, 2=True, 3=True", "Demo finished in ");
            String page = group(PAGE, transcript);
            String broker = group(BROKER, transcript);
            try (Chromium chromium = Chromium.launch()) {
                chromium.navigate(java.net.URI.create(page));
                await().atMost(Duration.ofSeconds(10)).until(() -> "live".equals(
                        chromium.evaluate("document.body.dataset.stream").asText()));
                assertThat(payloadShown(chromium, "led/status")).isEqualTo("{\n  \"status\" : \"off\"\n}");
                assertThat(payloadShown(chromium, "systemcomponent1/cylinderOn")).isEqualTo("False");
                assertThat(payloadShown(chromium, "systemcomponent3/cylinderOn")).isEqualTo("True");
                assertThat(payloadShown(chromium, "robotcell1/avgtemperature")).isEqualTo("24.5");

                String average = runTheLabsAgain(broker);
                await().atMost(Duration.ofSeconds(10)).until(() -> average.equals(
                        payloadShown(chromium, "robotcell1/avgtemperature")));
                // the demo's 3 readings and these 30
                await().atMost(Duration.ofSeconds(10)).until(() -> "33 msgs".equals(rowText(chromium,
                        "robotcell1/temperature", "count")));
                screenshots(chromium);
            }
        } finally {
            demo.destroy(); // SIGTERM, as Ctrl-C sends SIGINT: the demo's shutdown hook stops the page and the broker
            boolean ended = demo.waitFor(30, TimeUnit.SECONDS);
            demo.destroyForcibly();
            assertThat(ended).as("the demo ended after SIGTERM").isTrue();
            assertThat(Files.readString(err)).as("nothing on stderr").isEmpty();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * The publisher (with --json) and the average, on the demo's broker: 30 readings each, so the page has numbers
     * to chart. Returns the last average, as the average publishes it.
     */
    private static String runTheLabsAgain(String broker) {
        AtomicInteger step = new AtomicInteger();
        TemperaturePublisher publisher = new TemperaturePublisher(MyMqtt.builder().serverUri(broker)
                .clientId("screenshot-publisher"), TemperaturePublisher.DEFAULT_TOPIC, true,
                () -> Math.round((21 + 1.5 * Math.sin(step.getAndIncrement() / 3.0)) * 100) / 100.0, line -> { });
        AverageTemperature average = new AverageTemperature(MyMqtt.builder().serverUri(broker)
                .clientId("screenshot-average"), false, line -> { });
        try (MyMqtt sensors = MyMqtt.builder().serverUri(broker).clientId("screenshot-sensors").build()) {
            publisher.start();
            average.start();
            sensors.start();
            for (int i = 0; i < 30; i++) {
                publisher.publishReading();
                sensors.publish(AverageTemperature.TEMPERATURE1, String.format(Locale.ROOT, "%.1f",
                        20 + 3 * Math.sin(i / 4.0)), Qos.EXACTLY_ONCE, true).join();
                sensors.publish(AverageTemperature.TEMPERATURE2, String.format(Locale.ROOT, "%.1f",
                        24 + 2 * Math.cos(i / 5.0)), Qos.EXACTLY_ONCE, true).join();
            }
            double t1 = Double.parseDouble(String.format(Locale.ROOT, "%.1f", 20 + 3 * Math.sin(29 / 4.0)));
            double t2 = Double.parseDouble(String.format(Locale.ROOT, "%.1f", 24 + 2 * Math.cos(29 / 5.0)));
            await().atMost(Duration.ofSeconds(10)).until(() -> average.average().isPresent()
                    && average.average().getAsDouble() == (t1 + t2) / 2);
            return new String(PayloadCodecs.doubles().encode((t1 + t2) / 2), StandardCharsets.UTF_8);
        } finally {
            average.stop();
            publisher.stop();
        }
    }

    private static void screenshots(Chromium chromium) throws IOException {
        select(chromium, "led/status");
        save(chromium, "monitor-tree.png");
        select(chromium, "robotcell1/temperature");
        save(chromium, "monitor-json.png");
        select(chromium, "robotcell1/avgtemperature");
        save(chromium, "monitor-sparkline.png");
    }

    private static void select(Chromium chromium, String topic) {
        chromium.evaluate("[...document.querySelectorAll('#tree .node')].find(n => n.dataset.topic === "
                + literal(topic) + ").querySelector('.row').click()");
        assertThat(chromium.evaluate("document.getElementById('detail-topic').textContent").asText()).isEqualTo(topic);
    }

    private static void save(Chromium chromium, String name) throws IOException {
        // the yellow flash of a change is for people watching; a still picture shows the settled page
        chromium.evaluate("document.querySelectorAll('.flash').forEach(row => row.classList.remove('flash'))");
        byte[] png = chromium.screenshot();
        for (String directory : List.of("target/monitor-screenshots", System.getProperty("mqttkit.screenshots", ""))) {
            if (!directory.isEmpty()) {
                Files.createDirectories(Path.of(directory));
                Files.write(Path.of(directory, name), png);
            }
        }
        System.out.printf(Locale.ROOT, "[MonitorDemoIT] %s: %,d bytes%n", name, png.length);
    }

    private static String payloadShown(Chromium chromium, String topic) {
        return rowText(chromium, topic, "payload");
    }

    private static String rowText(Chromium chromium, String topic, String part) {
        var text = chromium.evaluate("(() => { const node = [...document.querySelectorAll('#tree .node')].find(n => "
                + "n.dataset.topic === " + literal(topic) + "); const part = node && node.querySelector(':scope > "
                + ".row > ." + part + "'); return part ? part.textContent : null; })()");
        return text.isNull() ? null : text.asText();
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(pattern + " in " + text).isTrue();
        return matcher.group(1);
    }
}
