package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A broker killed and restarted from a save older than its last QoS 2 exchange forgets a message whose listeners
 * ran but whose PUBCOMP never went out, and gives its packet id to a new message: a new PUBLISH, without DUP,
 * on the same durable session. That new message must reach the listeners, not be taken for the old one handed
 * over again. A raw-socket {@link FakeBroker} plays the broker: no real one does this on demand.
 */
class Qos2IdReuseIT {

    private static final Duration BOUND = Duration.ofSeconds(15);

    @Test
    void newPublishUnderTheIdOfAMessageWhosePubcompNeverWentOut_reachesTheListener() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch connectionGone = new CountDownLatch(1);
        try (FakeBroker broker = new FakeBroker().sessionPresentOnReconnect()) {
            broker.onSubscribe(link -> send(() -> link.publish(0x34, "reuse/t", 7, bytes("first")))); // QoS 2
            MyMqtt client = MyMqtt.builder().serverUri(broker.uri()).clientId(Clients.uniqueId("reuse"))
                    .cleanSession(false).reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200)).build();
            client.subscribe("reuse/t", Qos.EXACTLY_ONCE, message -> {
                got.add(message.payloadAsString());
                if (message.payloadAsString().equals("first")) {
                    firstRunning.countDown();
                    connectionGone.await(10, TimeUnit.SECONDS); // its PUBCOMP cannot go out on that connection
                }
            });
            try {
                client.start();
                assertThat(firstRunning.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
                broker.links().get(0).close(); // the broker dies before the PUBCOMP
                await().atMost(BOUND).until(() -> !client.isConnected());
                connectionGone.countDown();

                // back with the session, but without the first message: id 7 names a new one
                await().atMost(BOUND).until(() -> broker.links().size() == 2 && client.isConnected());
                broker.links().get(1).publish(0x34, "reuse/t", 7, bytes("second"));

                await().atMost(BOUND).until(() -> got.contains("second"));
                assertThat(got).containsExactly("first", "second");
                await().atMost(BOUND).until(() -> broker.received().contains("PUBCOMP 7"));
            } finally {
                client.stop();
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private interface Sending {
        void run() throws Exception;
    }

    private static void send(Sending sending) {
        try {
            sending.run();
        } catch (Exception e) {
            throw new IllegalStateException("The fake broker could not send", e);
        }
    }
}
