package dev.mqttkit.samples.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import dev.mqttkit.topic.TopicFilter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A QoS 0 flood through a real broker: 100,000 messages over 1,000 topics. The monitor's heap after GC grows by
 * what it keeps (1,000 topics, each its last payload and last 60 numbers), not by what went through; an open page
 * gets at most ten batches a second and still ends with every topic's final count.
 */
@MosquittoTest
class MonitorFloodIT {

    private static final int MESSAGES = 100_000;
    private static final int TOPICS = 1_000;
    private static final long HEAP_GROWTH_LIMIT = 16L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void flood_100000Qos0MessagesOver1000Topics_heapStaysBoundedAndThePageIsNotDrowned(MosquittoBroker broker)
            throws Exception {
        try (Monitor monitor = Monitor.builder(MyMqtt.builder().serverUri(broker.uri()).clientId("flood-monitor"))
                .port(0).start();
             MyMqtt publisher = MyMqtt.builder().serverUri(broker.uri()).clientId("flood-publisher").build()) {
            publisher.start();
            Page page = Page.open(monitor.url().resolve("/events?filter=flood%2F%2B%2F%2B"));
            long heapBefore = usedHeapAfterGc();
            byte[] pad = "x".repeat(200).getBytes(StandardCharsets.US_ASCII);

            long started = System.nanoTime();
            List<CompletableFuture<Void>> written = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                byte[] payload = ("{\"value\":" + i + ",\"pad\":\"" + new String(pad, StandardCharsets.US_ASCII) + "\"}")
                        .getBytes(StandardCharsets.US_ASCII);
                written.add(publisher.publishWith().topic(topic(i % TOPICS)).payload(payload).qos(Qos.AT_MOST_ONCE)
                        .send());
                if (written.size() == 1_000) {
                    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
                    written.clear();
                }
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
            // QoS 1 after the flood, on the same connection: the broker delivers it after every flood message
            publisher.publish("flood/done", "done", Qos.AT_LEAST_ONCE, false).join();
            TopicStore store = monitor.store();
            await().atMost(Duration.ofSeconds(120)).until(() -> !store.changesSince(0, TopicFilter.of("flood/done"))
                    .updated().isEmpty());
            double seconds = (System.nanoTime() - started) / 1e9;

            List<TopicSnapshot> flood = store.changesSince(0, TopicFilter.of("flood/+/+")).updated();
            long received = flood.stream().mapToLong(TopicSnapshot::count).sum();
            assertThat(flood).hasSize(TOPICS);
            assertThat(received).as("QoS 0 messages the monitor received").isEqualTo(MESSAGES);
            assertThat(flood).allSatisfy(topic -> {
                assertThat(topic.count()).isEqualTo(MESSAGES / TOPICS);
                assertThat(topic.history()).hasSize(TopicStore.DEFAULT_HISTORY);
            });
            assertThat(store.dropped()).isZero();

            long heapAfter = usedHeapAfterGc();
            // the page catches up to the last message of every topic, in batches at most ten a second
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> page.lastCounts.size() == TOPICS
                        && page.lastCounts.values().stream().allMatch(count -> count == MESSAGES / TOPICS));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("The page did not catch up: " + page.batches.get() + " batches, "
                        + page.lastCounts.size() + " topics, error " + page.error, e);
            }
            double streamSeconds = (System.nanoTime() - page.openedNanos) / 1e9;
            int batches = page.batches.get();
            page.close();

            System.out.printf(Locale.ROOT, "[MonitorFloodIT] %,d QoS 0 messages over %,d topics in %.1f s (%,.0f msg/s), "
                    + "all received; heap after GC %.1f MiB before, %.1f MiB after: %+.1f MiB; the store holds %,d "
                    + "topics, about %,d KiB; the page got %,d batches in %.1f s, %,d topic updates for %,d messages%n",
                    MESSAGES, TOPICS, seconds, MESSAGES / seconds, heapBefore / 1048576.0, heapAfter / 1048576.0,
                    (heapAfter - heapBefore) / 1048576.0, store.stats().topics(), store.stats().bytes() / 1024,
                    batches, streamSeconds, page.topicUpdates.get(), MESSAGES);
            assertThat(heapAfter - heapBefore).as("heap growth after GC, bytes").isLessThan(HEAP_GROWTH_LIMIT);
            assertThat(batches).as("batches in %.1f s", streamSeconds).isLessThanOrEqualTo(
                    (int) Math.ceil(streamSeconds * 10) + 1);
            // coalesced: each topic appears at most once per batch, whatever its traffic
            assertThat(page.updatesPerTopic.values()).allSatisfy(updates -> assertThat(updates.get())
                    .isLessThanOrEqualTo(batches));
        }
    }

    private static String topic(int n) {
        return String.format(Locale.ROOT, "flood/%02d/t%03d", n / 100, n % 100);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc(); // a full collection on G1: what is left is what is reachable
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A page's event stream, read line by line: how many batches came, and the last count of each topic. */
    private static final class Page implements AutoCloseable {
        final AtomicInteger batches = new AtomicInteger();
        final AtomicLong topicUpdates = new AtomicLong();
        final Map<String, Long> lastCounts = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> updatesPerTopic = new ConcurrentHashMap<>();
        final long openedNanos = System.nanoTime();
        private final Stream<String> lines;
        private final Thread reader;
        volatile Throwable error;

        private Page(Stream<String> lines) {
            this.lines = lines;
            this.reader = new Thread(() -> {
                try {
                    lines.forEach(this::line);
                } catch (RuntimeException | AssertionError e) {
                    error = e; // close() ends the stream under the reader, too
                }
            }, "flood-page");
            reader.setDaemon(true);
            reader.start();
        }

        static Page open(URI events) throws IOException, InterruptedException {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            return new Page(response.body());
        }

        private void line(String line) {
            if (!line.startsWith("data: ")) {
                return;
            }
            try {
                JsonNode batch = JSON.readTree(line.substring("data: ".length()));
                batches.incrementAndGet();
                for (JsonNode topic : batch.get("topics")) {
                    topicUpdates.incrementAndGet();
                    lastCounts.put(topic.get("topic").asText(), topic.get("count").asLong());
                    updatesPerTopic.computeIfAbsent(topic.get("topic").asText(), t -> new AtomicInteger())
                            .incrementAndGet();
                }
            } catch (IOException e) {
                throw new AssertionError("A batch that is not JSON: " + line, e);
            }
        }

        @Override
        public void close() {
            lines.close();
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
