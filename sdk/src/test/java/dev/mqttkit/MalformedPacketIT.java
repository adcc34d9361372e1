package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Packets no real broker sends, from a raw-socket {@link FakeBroker}: nothing a server sends may kill the client's
 * receive thread or desynchronise it from the stream; a malformed packet closes the connection (MQTT 3.1.1
 * section 4.8), with the reason in words, and the client reconnects.
 */
class MalformedPacketIT {

    private static final Duration BOUND = Duration.ofSeconds(15);

    private final List<MyMqtt> clients = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> lost = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopClients() {
        clients.forEach(MyMqtt::stop);
    }

    private MyMqtt subscribed(FakeBroker broker) {
        MyMqtt client = MyMqtt.builder().serverUri(broker.uri()).clientId(Clients.uniqueId("malformed"))
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnectionLost(String serverUri, Throwable cause) {
                        lost.add(cause.getMessage());
                    }
                })
                .build();
        clients.add(client);
        client.subscribe("#", Qos.AT_LEAST_ONCE, message -> received.add(message.topic() + " "
                + message.payloadSize() + " " + message.qos().value()));
        client.start();
        return client;
    }

    @Test
    void publishWithQos3_closesTheConnectionSayingWhyAndReconnects() throws Exception {
        try (FakeBroker broker = new FakeBroker()) {
            broker.onSubscribe(link -> send(() -> {
                if (link.number() == 1) {
                    link.publish(0x36, "bad/qos", 1, "x".getBytes(StandardCharsets.UTF_8)); // QoS bits 11
                } else {
                    link.publish(0x32, "good/after", 7, "fine".getBytes(StandardCharsets.UTF_8));
                }
            }));
            subscribed(broker);

            await().atMost(BOUND).until(() -> received.contains("good/after 4 1"));
            assertThat(received).containsExactly("good/after 4 1");
            assertThat(lost).containsExactly("Lost the connection to " + broker.uri() + ": the broker sent a "
                    + "malformed packet (a PUBLISH with QoS 3, which MQTT 3.1.1 forbids); the client closed the "
                    + "connection.");
            assertThat(broker.received()).contains("PUBACK 7");
        }
    }

    @Test
    void qos1PublishWithPacketIdZero_closesTheConnectionAndIsNotDelivered() throws Exception {
        try (FakeBroker broker = new FakeBroker()) {
            broker.onSubscribe(link -> send(() -> {
                if (link.number() == 1) {
                    link.publish(0x32, "bad/id", 0, "x".getBytes(StandardCharsets.UTF_8));
                } else {
                    link.publish(0x30, "good/after", 0, "fine".getBytes(StandardCharsets.UTF_8));
                }
            }));
            subscribed(broker);

            await().atMost(BOUND).until(() -> received.contains("good/after 4 0"));
            assertThat(received).containsExactly("good/after 4 0");
            assertThat(lost).containsExactly("Lost the connection to " + broker.uri() + ": the broker sent a "
                    + "malformed packet (a QoS 1 PUBLISH with packet identifier 0, which MQTT 3.1.1 forbids); the "
                    + "client closed the connection.");
            assertThat(broker.received()).doesNotContain("PUBACK 0");
        }
    }

    @Test
    void clientOnlyPacketFromTheServer_closesTheConnection() throws Exception {
        try (FakeBroker broker = new FakeBroker()) {
            broker.onSubscribe(link -> send(() -> {
                if (link.number() == 1) {
                    link.send(new byte[] {(byte) 0xc0, 0}); // a PINGREQ, which only clients send
                } else {
                    link.publish(0x30, "good/after", 0, "fine".getBytes(StandardCharsets.UTF_8));
                }
            }));
            subscribed(broker);

            await().atMost(BOUND).until(() -> received.contains("good/after 4 0"));
            assertThat(lost).containsExactly("Lost the connection to " + broker.uri() + ": the broker sent a "
                    + "malformed packet (a PINGREQ, which only clients send); the client closed the connection.");
        }
    }

    @Test
    void nearMaximumPublishOnATopicPahoCannotRead_deliveredWithoutLosingTheStream() throws Exception {
        // an emoji topic is given an alias longer than itself; with a payload of almost 256 MiB the rewritten
        // packet would exceed MQTT's maximum length, so it must take another way to the listeners
        byte[] topic = "sensor/😀".getBytes(StandardCharsets.UTF_8);
        long remaining = 268_435_455;
        long payload = remaining - 2 - topic.length;
        try (FakeBroker broker = new FakeBroker()) {
            broker.onSubscribe(link -> send(() -> {
                link.publishOfLength(0x30, topic, 0, remaining);
                link.publish(0x30, "small/after", 0, "next".getBytes(StandardCharsets.UTF_8));
            }));
            subscribed(broker);

            await().atMost(Duration.ofSeconds(60)).until(() -> received.contains("small/after 4 0"));
            assertThat(received).containsExactly("sensor/😀 " + payload + " 0", "small/after 4 0");
            assertThat(lost).isEmpty();
            assertThat(broker.links()).hasSize(1);
        }
    }

    @FunctionalInterface
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
