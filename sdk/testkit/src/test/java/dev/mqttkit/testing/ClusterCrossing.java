package dev.mqttkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Raw-client checks shared by the cluster tests: connecting to a node, and a message crossing nodes. */
final class ClusterCrossing {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ClusterCrossing() {
    }

    /** Connects to a node, retrying while it still refuses (a cluster settles after its ports open). */
    static RawClient connect(String uri) {
        AtomicReference<RawClient> client = new AtomicReference<>();
        await("a client connected to " + uri).atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    client.set(RawClient.connect(uri));
                    return true;
                });
        return client.get();
    }

    /**
     * Connects to a node and subscribes at QoS 1, retrying while the node refuses either (a NATS node refuses
     * for a few seconds after another node died, while JetStream elects new leaders).
     */
    static RawClient subscribed(String uri, String topic) {
        AtomicReference<RawClient> client = new AtomicReference<>();
        await("a subscription to " + topic + " on " + uri).atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    RawClient candidate = RawClient.connect(uri);
                    if (candidate.subscribe(topic, 1) == 1) {
                        client.set(candidate);
                        return true;
                    }
                    candidate.close();
                    return false;
                });
        return client.get();
    }

    /**
     * Subscribes on {@code to}, publishes on {@code from} until the bridge between them carries a message, then
     * checks that one more message crosses exactly once.
     */
    static void assertCrosses(String from, String to) throws Exception {
        String topic = "cluster/" + UUID.randomUUID().toString().substring(0, 8);
        try (RawClient subscriber = subscribed(to, topic); RawClient publisher = connect(from)) {
            AtomicInteger probe = new AtomicInteger();
            await("a message from " + from + " to reach " + to).atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        publisher.publish(topic, "probe-" + probe.incrementAndGet(), 1, false);
                        return !subscriber.received.isEmpty();
                    });
            subscriber.received.clear();
            String marker = "crossed-" + UUID.randomUUID();

            publisher.publish(topic, marker, 1, false);

            await().atMost(TIMEOUT).until(() -> subscriber.received.stream().anyMatch(m -> m.payload().equals(marker)));
            List<RawClient.Received> markers = subscriber.received.stream()
                    .filter(m -> m.payload().equals(marker)).toList();
            assertThat(markers).containsExactly(new RawClient.Received(topic, marker, 1, false));
        }
    }
}
