package dev.mqttkit.samples.monitor;

import static dev.mqttkit.samples.monitor.Chromium.literal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttkit.Message;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import dev.mqttkit.topic.Topic;
import dev.mqttkit.topic.TopicFilter;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor's page in a real browser (headless Chromium) against a real broker: what another client publishes
 * shows within a second, the form publishes, payloads are text and never HTML, the filter box follows MQTT.
 */
@MosquittoTest
class MonitorIT {

    private Monitor monitor;
    private Chromium chromium;
    private MyMqtt client;

    @BeforeEach
    void openThePage(MosquittoBroker broker) throws Exception {
        Assumptions.assumeTrue(Chromium.executable().isPresent(), Chromium::missing);
        monitor = Monitor.builder(MyMqtt.builder().serverUri(broker.uri()).clientId("monitor-it")).port(0).start();
        client = MyMqtt.builder().serverUri(broker.uri()).clientId("monitor-it-client").build();
        client.start();
        chromium = Chromium.launch();
        chromium.navigate(monitor.url());
        await().atMost(Duration.ofSeconds(10)).until(() -> "live".equals(chromium.evaluate("document.body.dataset.stream")
                .asText()));
    }

    @AfterEach
    void closeAll() {
        if (chromium != null) {
            chromium.close();
        }
        if (client != null) {
            client.stop();
        }
        if (monitor != null) {
            monitor.close();
        }
    }

    /** The text of one part of a topic's row, or null while the page has no such topic. */
    private String shown(String topic, String part) {
        JsonNode text = chromium.evaluate("(() => { const node = [...document.querySelectorAll('#tree .node')]"
                + ".find(n => n.dataset.topic === " + literal(topic) + "); const part = node && node.querySelector("
                + "':scope > .row > ." + part + "'); return part ? part.textContent : null; })()");
        return text.isNull() ? null : text.asText();
    }

    /** The topics the tree shows a message for, in the page's order. */
    private List<String> topicsShown() {
        List<String> topics = new ArrayList<>();
        chromium.evaluate("[...document.querySelectorAll('#tree .node')].filter(n => n.querySelector(':scope > .row > "
                + ".payload')).map(n => n.dataset.topic)").forEach(topic -> topics.add(topic.asText()));
        return topics;
    }

    private void fill(String id, String value) {
        chromium.evaluate("document.getElementById(" + literal(id) + ").value = " + literal(value));
    }

    @Test
    void page_anotherClientPublishes_showsTopicAndPayloadWithinOneSecond() {
        String topic = "monitor-it/robotcell1/temperature";
        client.publish(topic, "21.5", Qos.AT_LEAST_ONCE, false).join();
        long acknowledged = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> "21.5".equals(shown(topic, "payload")));
        System.out.printf(Locale.ROOT, "[MonitorIT] shown %.0f ms after the broker acknowledged it%n",
                (System.nanoTime() - acknowledged) / 1e6);
        assertThat(shown(topic, "qos")).isEqualTo("QoS 1");
        assertThat(shown(topic, "count")).isEqualTo("1 msg");
        assertThat(shown("monitor-it/robotcell1", "name")).isEqualTo("robotcell1");
        assertThat(shown("monitor-it/robotcell1", "payload")).isNull(); // a level without a message of its own

        client.publish(topic, "{\"sensor\":\"s1\",\"value\":22}", Qos.AT_MOST_ONCE, false).join();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> "2 msgs".equals(shown(topic, "count")));
        assertThat(shown(topic, "payload")).isEqualTo("{\n  \"sensor\" : \"s1\",\n  \"value\" : 22\n}");
        assertThat(shown(topic, "qos")).isEqualTo("QoS 0");
        assertThat(chromium.evaluate("document.querySelectorAll('#tree .node[data-topic=\"" + topic
                + "\"] > .row > svg.spark polyline').length").asInt()).isEqualTo(1); // 21.5 and 22: a sparkline
    }

    @Test
    void form_publish_reachesAnSdkSubscriberAndIsRetained(MosquittoBroker broker) throws Exception {
        String topic = "monitor-it/form/led";
        CompletableFuture<Message> live = new CompletableFuture<>();
        client.subscribe(topic, Qos.EXACTLY_ONCE, live::complete);
        fill("pub-topic", topic);
        fill("pub-payload", "{\"status\": \"on\"}");
        fill("pub-qos", "1");
        chromium.evaluate("document.getElementById('pub-retain').checked = true");
        chromium.evaluate("document.getElementById('pub-send').click()");

        Message received = live.get(10, TimeUnit.SECONDS);
        assertThat(received).isEqualTo(new Message(topic, "{\"status\": \"on\"}".getBytes(StandardCharsets.UTF_8),
                Qos.AT_LEAST_ONCE, false, false)); // a live subscriber gets retain 0 (MQTT 3.1.1 §3.3.1.3)
        await().atMost(Duration.ofSeconds(10)).until(() -> chromium.evaluate(
                "document.getElementById('pub-result').textContent").asText().startsWith("Published"));
        assertThat(chromium.evaluate("document.getElementById('pub-result').textContent").asText())
                .isEqualTo("Published to [" + topic + "] at QoS 1, retained.");
        try (MyMqtt late = MyMqtt.builder().serverUri(broker.uri()).clientId("monitor-it-late").build()) {
            CompletableFuture<Message> retained = new CompletableFuture<>();
            late.start();
            late.subscribe(topic, Qos.EXACTLY_ONCE, retained::complete);
            assertThat(retained.get(10, TimeUnit.SECONDS).retained()).isTrue();
            late.publish(topic, "", Qos.AT_LEAST_ONCE, true).join(); // clears the retained message
        }
    }

    @Test
    void form_invalidTopic_showsTheSdksMessageAndSendsNothing() {
        String topic = "monitor-it/+/led";
        List<Message> received = new CopyOnWriteArrayList<>();
        client.subscribe("monitor-it/#", Qos.EXACTLY_ONCE, received::add);
        fill("pub-topic", topic);
        fill("pub-payload", "on");
        chromium.evaluate("document.getElementById('pub-send').click()");
        await().atMost(Duration.ofSeconds(10)).until(() -> chromium.evaluate(
                "document.getElementById('pub-result').className").asText().equals("error"));
        String sdk = "Topic [monitor-it/+/led] must not contain the wildcard '+', found at index 11; wildcards are only "
                + "allowed in topic filters.";
        assertThatThrownBy(() -> Topic.of(topic)).hasMessage(sdk);
        assertThat(chromium.evaluate("document.getElementById('pub-result').textContent").asText()).isEqualTo(sdk);
        client.publish("monitor-it/marker", "after", Qos.AT_LEAST_ONCE, false).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(received.get(0).topic()).isEqualTo("monitor-it/marker");
    }

    @Test
    void payload_scriptTag_isShownAsTextAndNeverRuns() {
        String script = "<script>alert(1)</script>";
        String image = "<img src=x onerror=alert(2)>";
        String topicWithHtml = "monitor-it/xss/<img src=y onerror=alert(3)>";
        client.publish("monitor-it/xss/script", script, Qos.AT_LEAST_ONCE, false).join();
        client.publish("monitor-it/xss/image", image, Qos.AT_LEAST_ONCE, false).join();
        client.publish(topicWithHtml, "{\"html\": \"<b>bold</b>\"}", Qos.AT_LEAST_ONCE, false).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> shown(topicWithHtml, "payload") != null);

        assertThat(shown("monitor-it/xss/script", "payload")).isEqualTo(script);
        assertThat(shown("monitor-it/xss/image", "payload")).isEqualTo(image);
        assertThat(shown(topicWithHtml, "name")).isEqualTo("<img src=y onerror=alert(3)>");
        chromium.evaluate("[...document.querySelectorAll('#tree .node')].find(n => n.dataset.topic === "
                + "'monitor-it/xss/script').querySelector('.row').click()");
        assertThat(chromium.evaluate("document.getElementById('detail-payload').textContent").asText()).isEqualTo(script);
        assertThat(chromium.evaluate("document.getElementById('detail-topic').textContent").asText())
                .isEqualTo("monitor-it/xss/script");

        assertThat(chromium.evaluate("[...document.scripts].map(s => s.getAttribute('src'))").toString())
                .isEqualTo("[\"monitor.js\"]");
        assertThat(chromium.evaluate("document.querySelectorAll('main img, main b').length").asInt()).isZero();
        assertThat(chromium.dialogs()).as("JavaScript dialogs opened").isEmpty();
    }

    @Test
    void filterBox_mqttFilter_narrowsTheTreeAsMqttWould() {
        for (String topic : List.of("monitor-it/f/a/x", "monitor-it/f/b/x", "monitor-it/f/b/y", "monitor-it/f/x")) {
            client.publish(topic, "1", Qos.AT_LEAST_ONCE, false).join();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> shown("monitor-it/f/x", "payload") != null);

        typeFilter("monitor-it/f/+/x");
        await().atMost(Duration.ofSeconds(5)).until(() -> topicsShown().equals(List.of("monitor-it/f/a/x",
                "monitor-it/f/b/x")));
        assertThat(TopicFilter.of("monitor-it/f/+/x").matches("monitor-it/f/x")).isFalse(); // the SDK agrees

        typeFilter("monitor-it/f/#");
        await().atMost(Duration.ofSeconds(5)).until(() -> topicsShown().equals(List.of("monitor-it/f/a/x",
                "monitor-it/f/b/x", "monitor-it/f/b/y", "monitor-it/f/x")));

        typeFilter("monitor-it/#/x");
        await().atMost(Duration.ofSeconds(5)).until(() -> !chromium.evaluate(
                "document.getElementById('filter-error').textContent").asText().isEmpty());
        assertThat(chromium.evaluate("document.getElementById('filter-error').textContent").asText())
                .isEqualTo("Topic filter [monitor-it/#/x] must have '#' only as the last level, found at index 11.");
        assertThat(topicsShown()).hasSize(4); // the last valid filter still applies
    }

    private void typeFilter(String filter) {
        chromium.evaluate("(() => { const box = document.getElementById('filter'); box.value = " + literal(filter)
                + "; box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); })()");
    }
}
