package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input through a live connection to Mosquitto, both ways: whatever a caller passes is sent or refused in
 * the call with the documented exception, and whatever another client publishes is delivered or refused by the
 * broker; never an undocumented exception, a dead thread, a dropped connection or a hang. Counts go to the console.
 */
@MosquittoTest
class InputFuzzIT {

    private static final int INPUTS = 10_000;

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void publish_hostileTopics_sentOrRefusedInTheCall_connectionStaysUp(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(broker);
        Fuzz fuzz = new Fuzz(11);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < INPUTS; i++) {
            String topic = fuzz.text();
            try {
                sent.add(client.publish(topic, "x", Qos.AT_LEAST_ONCE, false));
            } catch (InvalidTopicException expected) {
                refused++;
            } catch (RuntimeException e) {
                undocumented.add(Fuzz.escape(topic) + ": " + e);
            }
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "[fuzz] MyMqtt.publish topics: %,d inputs, %,d sent and acknowledged, %,d refused "
                + "with InvalidTopicException, %d other%n", INPUTS, sent.size(), refused, undocumented.size());
        assertThat(undocumented).isEmpty();
        assertThat(sent).isNotEmpty();
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void subscribe_hostileFilters_grantedOrRefusedInTheCall_connectionStaysUp(MosquittoBroker broker) {
        MyMqtt client = clients.started(broker);
        Fuzz fuzz = new Fuzz(12);
        int granted = 0;
        int refused = 0;
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            String filter = fuzz.text();
            try {
                Subscription subscription = client.subscribe(filter, Qos.AT_MOST_ONCE, message -> { });
                granted++;
                subscription.close();
            } catch (InvalidTopicException | SubscriptionRefusedException expected) {
                refused++;
            } catch (RuntimeException e) {
                undocumented.add(Fuzz.escape(filter) + ": " + e);
            }
        }
        System.out.printf(Locale.ROOT, "[fuzz] MyMqtt.subscribe filters: %,d inputs, %,d granted, %,d refused, %d other%n",
                INPUTS, granted, refused, undocumented.size());
        assertThat(undocumented).isEmpty();
        assertThat(granted).isPositive();
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void publish_randomPayloads_arriveByteForByteInOrder(MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        List<byte[]> received = new CopyOnWriteArrayList<>();
        subscriber.subscribe("fuzz/payload", Qos.AT_LEAST_ONCE, message -> received.add(message.payload()));
        MyMqtt publisher = clients.started(broker);
        Fuzz fuzz = new Fuzz(13);
        List<byte[]> sent = new ArrayList<>();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            byte[] payload = fuzz.bytes();
            sent.add(payload);
            futures.add(publisher.publishWith().topic("fuzz/payload").payload(payload).qos(Qos.AT_LEAST_ONCE).send());
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(Arrays.equals(received.get(i), sent.get(i))).as("payload %d", i).isTrue();
        }
        System.out.printf(Locale.ROOT, "[fuzz] payloads: %,d random payloads of 0 to 2 KiB, all received intact%n",
                sent.size());
    }

    @Test
    void inbound_hostileTopicsFromARawClient_deliveredWithTheirNameOrRefusedByTheBroker(MosquittoBroker broker)
            throws Exception {
        MyMqtt subscriber = clients.started(broker);
        List<String> received = new CopyOnWriteArrayList<>();
        subscriber.subscribe("#", Qos.AT_LEAST_ONCE, message -> received.add(message.topic()));
        Fuzz fuzz = new Fuzz(14);
        List<String> accepted = new ArrayList<>();
        int refusedByBroker = 0;
        RawMqttClient raw = RawMqttClient.connect(broker.uri(), "raw-fuzz");
        try {
            for (int i = 0; i < 2_000; i++) {
                String topic = fuzz.validText().replace("+", "p").replace("#", "h").replace("\u0000", "0");
                if (topic.isEmpty() || topic.startsWith("$") || topic.getBytes(StandardCharsets.UTF_8).length > 65_535) {
                    continue;
                }
                try {
                    raw.publishQos1(topic.getBytes(StandardCharsets.UTF_8), "x");
                    accepted.add(topic);
                } catch (IOException refused) {
                    refusedByBroker++; // Mosquitto closes the connection of a client that sends a topic it refuses
                    raw.close();
                    raw = RawMqttClient.connect(broker.uri(), "raw-fuzz");
                }
            }
            raw.publishQos1("fuzz/done".getBytes(StandardCharsets.UTF_8), "x");
        } finally {
            raw.close();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("fuzz/done"));
        List<String> delivered = new ArrayList<>(received);
        delivered.remove("fuzz/done");
        long pahoCannotDecode = delivered.stream().filter(topic -> topic.chars().anyMatch(c -> c < 0x20
                || c >= 0x7f && c <= 0x9f || Character.isSurrogate((char) c) || c >= 0xfdd0)).count();
        System.out.printf(Locale.ROOT, "[fuzz] inbound topics: %,d published by a raw client, %,d refused by the broker, "
                + "%,d delivered with their real names (%,d of them topics Paho cannot decode)%n",
                accepted.size() + refusedByBroker, refusedByBroker, delivered.size(), pahoCannotDecode);
        assertThat(delivered).containsExactlyElementsOf(accepted);
        assertThat(subscriber.isConnected()).isTrue();
    }
}
