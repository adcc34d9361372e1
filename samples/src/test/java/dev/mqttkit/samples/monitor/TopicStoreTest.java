package dev.mqttkit.samples.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.Qos;
import dev.mqttkit.topic.TopicFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicStoreTest {

    private static final long START = 1_700_000_000_000L;

    private final MutableClock clock = new MutableClock(START);

    private TopicStore store(int maxTopics, long maxBytes, int history, int maxPayload) {
        return new TopicStore(maxTopics, maxBytes, history, maxPayload, clock);
    }

    private TopicStore store() {
        return store(100, 1 << 20, 5, 64);
    }

    private static void record(TopicStore store, String topic, String payload) {
        store.record(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false);
    }

    private static List<String> topics(TopicStore.Changes changes) {
        return changes.updated().stream().map(TopicSnapshot::topic).collect(Collectors.toList());
    }

    @Test
    void record_firstMessage_snapshotHasItsFields() {
        TopicStore store = store();
        store.record("led/status", "{\"status\":\"on\"}".getBytes(StandardCharsets.UTF_8), Qos.EXACTLY_ONCE, true);
        TopicSnapshot led = store.changesSince(0, null).updated().get(0);
        assertThat(led.topic()).isEqualTo("led/status");
        assertThat(led.count()).isEqualTo(1);
        assertThat(led.rate()).isEqualTo(1.0);
        assertThat(led.qos()).isEqualTo(2);
        assertThat(led.retained()).isTrue();
        assertThat(led.time()).isEqualTo(START);
        assertThat(led.size()).isEqualTo(15);
        assertThat(led.view()).isEqualTo(new PayloadView(PayloadView.Kind.JSON, "{\n  \"status\" : \"on\"\n}", false));
        assertThat(led.history()).isEmpty();
    }

    @Test
    void record_largePayload_keepsTheFirstBytesAndTheSize() {
        TopicStore store = store();
        record(store, "big", "a".repeat(1_000));
        TopicSnapshot big = store.changesSince(0, null).updated().get(0);
        assertThat(big.payload()).hasSize(64);
        assertThat(big.size()).isEqualTo(1_000);
        assertThat(big.view()).isEqualTo(new PayloadView(PayloadView.Kind.TEXT, "a".repeat(64), true));
    }

    @Test
    void record_numbers_keepsTheLastOnesInOrder() {
        TopicStore store = store();
        for (int i = 1; i <= 8; i++) {
            record(store, "robotcell1/temperature", Integer.toString(20 + i));
        }
        record(store, "robotcell1/temperature", "not a number"); // shown, not charted
        TopicSnapshot temperature = store.changesSince(0, null).updated().get(0);
        assertThat(temperature.history()).containsExactly(24, 25, 26, 27, 28);
        assertThat(temperature.count()).isEqualTo(9);
        assertThat(temperature.view().display()).isEqualTo("not a number");
    }

    @Test
    void record_overMaxTopics_dropsTheTopicIdleTheLongest() {
        TopicStore store = store(3, 1 << 20, 5, 64);
        record(store, "a", "1");
        clock.advance(10);
        record(store, "b", "1");
        clock.advance(10);
        record(store, "c", "1");
        clock.advance(10);
        record(store, "a", "2"); // a is busy again: b is now the one idle the longest
        clock.advance(10);
        record(store, "d", "1");
        assertThat(topics(store.changesSince(0, null))).containsExactly("c", "a", "d");
        assertThat(store.stats()).isEqualTo(new TopicStore.Stats(3, 3, 1, 5, store.stats().bytes()));
    }

    @Test
    void record_overMaxBytes_dropsIdleTopicsUntilWithinTheBudget() {
        TopicStore store = store(100, 3_000, 0, 1_000);
        record(store, "a", "x".repeat(1_000));
        record(store, "b", "x".repeat(1_000));
        record(store, "c", "x".repeat(1_000)); // 3 x (1,000 + 320 + 2) is over 3,000
        assertThat(topics(store.changesSince(0, null))).containsExactly("b", "c");
        assertThat(store.stats().bytes()).isEqualTo(2 * (1_000 + 320 + 2));
        assertThat(store.dropped()).isEqualTo(1);
    }

    @Test
    void record_floodOverMoreTopicsThanKept_holdsTheLimitsAndCountsEveryDrop() {
        TopicStore store = store(100, 1 << 20, 60, 4_096);
        byte[] payload = "x".repeat(1_000).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 100_000; i++) {
            store.record("flood/t" + (i % 1_000), payload, Qos.AT_MOST_ONCE, false);
        }
        TopicStore.Stats stats = store.stats();
        assertThat(stats.topics()).isEqualTo(100);
        assertThat(stats.dropped()).isEqualTo(99_900); // round robin over 1,000: each topic is new when it comes back
        assertThat(stats.messages()).isEqualTo(100_000);
        assertThat(stats.bytes()).isLessThanOrEqualTo(100 * (320 + 2 * "flood/t999".length() + 1_000 + 8 * 60));
        assertThat(topics(store.changesSince(0, null))).first().isEqualTo("flood/t900");
    }

    @Test
    void changesSince_aFloodOfOneTopic_isOneUpdateWithTheLatestMessage() {
        TopicStore store = store();
        record(store, "quiet", "1");
        long seen = store.changesSince(0, null).version();
        for (int i = 0; i < 10_000; i++) {
            record(store, "flood", Integer.toString(i));
        }
        TopicStore.Changes changes = store.changesSince(seen, null);
        assertThat(changes.reset()).isFalse();
        assertThat(changes.updated()).hasSize(1);
        assertThat(changes.updated().get(0).count()).isEqualTo(10_000);
        assertThat(changes.updated().get(0).view().display()).isEqualTo("9999");
        assertThat(changes.updated().get(0).history()).containsExactly(9995, 9996, 9997, 9998, 9999);
        assertThat(store.changesSince(changes.version(), null).isEmpty()).isTrue();
    }

    @Test
    void changesSince_afterDrops_namesTheDroppedTopics() {
        TopicStore store = store(2, 1 << 20, 5, 64);
        record(store, "a", "1");
        record(store, "b", "1");
        long seen = store.changesSince(0, null).version();
        record(store, "c", "1");
        record(store, "d", "1");
        TopicStore.Changes changes = store.changesSince(seen, null);
        assertThat(changes.reset()).isFalse();
        assertThat(topics(changes)).containsExactly("c", "d");
        assertThat(changes.removed()).containsExactlyInAnyOrder("a", "b");
        assertThat(changes.stats().dropped()).isEqualTo(2);
    }

    @Test
    void changesSince_furtherBehindThanTheRemovalsKept_isAReset() {
        TopicStore store = store(1, 1 << 20, 5, 64);
        record(store, "t0", "1");
        long seen = store.changesSince(0, null).version();
        for (int i = 1; i <= 1_100; i++) {
            record(store, "t" + i, "1");
        }
        TopicStore.Changes changes = store.changesSince(seen, null);
        assertThat(changes.reset()).isTrue();
        assertThat(topics(changes)).containsExactly("t1100");
        assertThat(changes.removed()).isEmpty();
        assertThat(changes.stats().dropped()).isEqualTo(1_100);
    }

    @Test
    void changesSince_topicGoneQuiet_reportsItsRateFallingWithoutAMessage() {
        TopicStore store = store();
        for (int i = 0; i < 20; i++) {
            record(store, "sensor", "1");
            clock.advance(100);
        }
        long seen = store.changesSince(0, null).version();
        clock.advance(5_000);
        TopicStore.Changes changes = store.changesSince(seen, null);
        assertThat(changes.updated()).isEmpty();
        assertThat(changes.rates()).isEqualTo(Map.of("sensor", 2.9)); // 20 in its 7 s, 2.857
        clock.advance(10_000);
        assertThat(store.changesSince(changes.version(), null).rates()).isEqualTo(Map.of("sensor", 0.0));
    }

    @ParameterizedTest(name = "filter [{0}] shows {1}")
    @CsvSource(delimiter = '|', value = {
            "#|sport,sport/tennis,sport/tennis/player1,/finance,a//b",
            "sport/#|sport,sport/tennis,sport/tennis/player1",
            "sport/tennis/+|sport/tennis/player1",
            "sport/+|sport/tennis",
            "+|sport",
            "+/+|sport/tennis,/finance",
            "/+|/finance",
            "a/+/b|a//b",
            "$SYS/#|$SYS/broker/uptime",
            "+/broker/#|''",
            "$share/group/sport/#|sport,sport/tennis,sport/tennis/player1",
    })
    void changesSince_filter_showsWhatMqttWouldDeliver(String filter, String expected) {
        TopicStore store = store();
        for (String topic : List.of("sport", "sport/tennis", "sport/tennis/player1", "/finance", "a//b",
                "$SYS/broker/uptime")) {
            record(store, topic, "1");
        }
        List<String> shown = topics(store.changesSince(0, TopicFilter.of(filter)));
        assertThat(String.join(",", shown)).isEqualTo(expected);
    }

    @Test
    void awaitChange_aMessageArrives_returnsTrue() throws InterruptedException {
        TopicStore store = store();
        long seen = store.version();
        assertThat(store.awaitChange(seen, Duration.ZERO)).isFalse();
        record(store, "a", "1");
        assertThat(store.awaitChange(seen, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void close_wakesWaitersAndIgnoresLaterMessages() throws InterruptedException {
        TopicStore store = store();
        store.close();
        assertThat(store.awaitChange(0, Duration.ofSeconds(10))).isFalse(); // returns at once: closed
        record(store, "a", "1");
        assertThat(store.stats().topics()).isZero();
    }
}
