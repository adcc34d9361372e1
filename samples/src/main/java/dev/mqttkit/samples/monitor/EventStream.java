package dev.mqttkit.samples.monitor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mqttkit.topic.TopicFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One page's live updates, as server-sent events: a first {@code batch} with every topic, then a {@code batch}
 * with what changed, at most ten a second. A topic flooded with messages appears once per batch with its
 * latest message, so neither the page nor this JVM has more to do as the traffic grows; a slow page gets fewer,
 * larger batches rather than a queue.
 *
 * <p>Each batch is one line of JSON: {@code {"reset", "version", "now", "stats", "topics": [...], "rates": {...},
 * "removed": [...]}}; the page shows every string in it as text.
 */
final class EventStream {

    /** At most ten batches a second: the page's frame budget, not the traffic, sets the pace. */
    static final Duration MIN_GAP = Duration.ofMillis(100);
    /** How often a quiet stream looks at rates and the connection; idle topics' rates fall to 0. */
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    /** A comment line now and then, so a page that went away is noticed (the write fails) and its thread ends. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final JsonFactory JSON = new JsonFactory()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);

    private final TopicStore store;
    private final BrokerLink link;
    private final TopicFilter filter;
    private final OutputStream out;
    private final BooleanSupplier open;
    private final Clock clock;

    /**
     * @param filter the topics the page shows, or {@code null} for all
     * @param open whether the server still serves; the stream ends when it turns false
     */
    EventStream(TopicStore store, BrokerLink link, TopicFilter filter, OutputStream out, BooleanSupplier open,
            Clock clock) {
        this.store = store;
        this.link = link;
        this.filter = filter;
        this.out = out;
        this.open = open;
        this.clock = clock;
    }

    /**
     * Sends batches until the server closes or the page goes away.
     *
     * @throws IOException when the page went away (the write failed)
     * @throws InterruptedException when the server stops its threads
     */
    void run() throws IOException, InterruptedException {
        long since = 0;
        Boolean connected = null;
        long lastWrite = clock.millis();
        while (open.getAsBoolean()) {
            TopicStore.Changes changes = store.changesSince(since, filter);
            boolean connectedNow = link.isConnected();
            if (!changes.isEmpty() || connected == null || connected != connectedNow) {
                writeBatch(changes, connectedNow);
                since = changes.version();
                connected = connectedNow;
                lastWrite = clock.millis();
                TimeUnit.MILLISECONDS.sleep(MIN_GAP.toMillis()); // pacing: what arrives meanwhile joins the next batch
            } else if (clock.millis() - lastWrite >= KEEP_ALIVE.toMillis()) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                lastWrite = clock.millis();
            }
            store.awaitChange(since, LOOK_EVERY);
        }
    }

    private void writeBatch(TopicStore.Changes changes, boolean connectedNow) throws IOException {
        out.write("event: batch\ndata: ".getBytes(StandardCharsets.US_ASCII));
        // straight to the socket: a batch of every topic is never built as one string
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeBooleanField("reset", changes.reset());
            json.writeNumberField("version", changes.version());
            json.writeNumberField("now", clock.millis());
            writeStats(json, changes.stats(), connectedNow);
            json.writeArrayFieldStart("topics");
            for (TopicSnapshot topic : changes.updated()) {
                writeTopic(json, topic);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("rates");
            for (Map.Entry<String, Double> rate : changes.rates().entrySet()) {
                json.writeNumberField(rate.getKey(), rate.getValue());
            }
            json.writeEndObject();
            json.writeArrayFieldStart("removed");
            for (String topic : changes.removed()) {
                json.writeString(topic);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void writeStats(JsonGenerator json, TopicStore.Stats stats, boolean connectedNow) throws IOException {
        json.writeObjectFieldStart("stats");
        json.writeNumberField("topics", stats.topics());
        json.writeNumberField("maxTopics", stats.maxTopics());
        json.writeNumberField("dropped", stats.dropped());
        json.writeNumberField("messages", stats.messages());
        json.writeStringField("broker", link.serverUri());
        json.writeStringField("clientId", link.clientId());
        json.writeBooleanField("connected", connectedNow);
        json.writeStringField("filter", filter == null ? "" : filter.toString());
        json.writeEndObject();
    }

    private static void writeTopic(JsonGenerator json, TopicSnapshot topic) throws IOException {
        PayloadView view = topic.view();
        json.writeStartObject();
        json.writeStringField("topic", topic.topic());
        json.writeNumberField("count", topic.count());
        json.writeNumberField("rate", topic.rate());
        json.writeNumberField("qos", topic.qos());
        json.writeBooleanField("retained", topic.retained());
        json.writeNumberField("time", topic.time());
        json.writeNumberField("size", topic.size());
        json.writeStringField("kind", view.kind().label());
        json.writeStringField("display", view.display());
        json.writeBooleanField("truncated", view.truncated());
        json.writeArrayFieldStart("history");
        for (double value : topic.history()) {
            json.writeNumber(value);
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
