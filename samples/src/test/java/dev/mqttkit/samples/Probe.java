package dev.mqttkit.samples;

import static org.awaitility.Awaitility.await;

import dev.mqttkit.Message;
import dev.mqttkit.MyMqtt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A client of the test's own that records what arrives on a filter: the samples' outside view. */
public final class Probe implements AutoCloseable {

    private final MyMqtt client;
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    private Probe(MyMqtt client) {
        this.client = client;
    }

    /** Connects and subscribes at QoS 2. */
    public static Probe on(String serverUri, String filter) {
        Probe probe = new Probe(MyMqtt.builder().serverUri(serverUri).clientId("probe-" + System.nanoTime()).build());
        probe.client.start();
        probe.client.subscribe(filter, probe.messages::add);
        return probe;
    }

    /** The payloads received on a topic, as text, in order. */
    public List<String> payloads(String topic) {
        return messages.stream().filter(m -> m.topic().equals(topic)).map(Message::payloadAsString)
                .collect(Collectors.toList());
    }

    /** Waits until the last payload on the topic is this one. */
    public void awaitLast(String topic, String payload) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> received = payloads(topic);
            return !received.isEmpty() && received.get(received.size() - 1).equals(payload);
        });
    }

    /** Every message so far. */
    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The client, to publish with. */
    public MyMqtt client() {
        return client;
    }

    @Override
    public void close() {
        client.stop();
    }
}
