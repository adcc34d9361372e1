package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.BrokerFeature;
import dev.mqttkit.testing.MosquittoBroker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same behaviour on every broker: Mosquitto, HiveMQ CE, NATS, RabbitMQ and Artemis, each the test kit's own
 * process (HiveMQ in this JVM) on a free loopback port. Each test runs on all five.
 */
class BrokersIT {

    @RegisterExtension
    static final MosquittoBroker MOSQUITTO = MosquittoBroker.builder().kind(MosquittoBroker.Kind.LOCAL).build();
    @RegisterExtension
    static final MosquittoBroker HIVEMQ = MosquittoBroker.builder().kind(MosquittoBroker.Kind.EMBEDDED).build();
    @RegisterExtension
    static final MosquittoBroker NATS = MosquittoBroker.builder().kind(MosquittoBroker.Kind.NATS).build();
    @RegisterExtension
    static final MosquittoBroker RABBITMQ = MosquittoBroker.builder().kind(MosquittoBroker.Kind.RABBITMQ).build();
    @RegisterExtension
    static final MosquittoBroker ARTEMIS = MosquittoBroker.builder().kind(MosquittoBroker.Kind.ARTEMIS).build();

    @RegisterExtension
    final Clients clients = new Clients();

    static Stream<Arguments> brokers() {
        // the broker by name: the kit's extensions would claim a MosquittoBroker parameter
        return Stream.of(Arguments.of("Mosquitto", Qos.EXACTLY_ONCE), Arguments.of("HiveMQ CE", Qos.EXACTLY_ONCE),
                Arguments.of("NATS", Qos.AT_LEAST_ONCE), Arguments.of("RabbitMQ", Qos.AT_LEAST_ONCE),
                Arguments.of("Artemis", Qos.EXACTLY_ONCE));
    }

    private static MosquittoBroker broker(String name) {
        return switch (name) {
            case "Mosquitto" -> MOSQUITTO;
            case "HiveMQ CE" -> HIVEMQ;
            case "NATS" -> NATS;
            case "RabbitMQ" -> RABBITMQ;
            default -> ARTEMIS;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void labFlow_defaultQos_theNotifierGetsTheMessageOnce(String name, Qos highest) throws Exception {
        MosquittoBroker broker = broker(name);
        URI uri = URI.create(broker.uri());
        List<String> notified = new CopyOnWriteArrayList<>();
        MyMqtt lab = clients.track(new MyMqtt(Clients.uniqueId("lab"), uri.getHost(), uri.getPort(),
                (topic, payload) -> notified.add(topic + " " + new String(payload, java.nio.charset.StandardCharsets.UTF_8))));
        lab.start();
        lab.subscribe("led");

        lab.publish("led", "on").get(15, TimeUnit.SECONDS);

        await().atMost(Recorder.TIMEOUT).until(() -> notified.size() >= 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> notified.size() == 1);
        assertThat(notified).containsExactly("led on");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void publishOnlyClientAtQos2_deliveredOnceAtTheQosTheBrokerSupports(String name, Qos highest) throws Exception {
        MosquittoBroker broker = broker(name);
        Recorder received = new Recorder();
        clients.started(broker).subscribe("only/publishes", Qos.AT_LEAST_ONCE, received);
        MyMqtt publisher = clients.started(clients.builder(broker)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500)));

        publisher.publish("only/publishes", "one", Qos.EXACTLY_ONCE, false).get(20, TimeUnit.SECONDS);
        publisher.publish("only/publishes", "two", Qos.EXACTLY_ONCE, false).get(20, TimeUnit.SECONDS);

        assertThat(received.awaitCount(2)).extracting(Message::payloadAsString).containsExactly("one", "two");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void publishOnlyClient_aBurstAtQos2_everyMessageDeliveredNoneFails(String name, Qos highest) throws Exception {
        MosquittoBroker broker = broker(name);
        Recorder received = new Recorder();
        clients.started(broker).subscribe("burst/qos2", Qos.AT_LEAST_ONCE, received);
        MyMqtt publisher = clients.started(clients.builder(broker)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500)));

        // all in flight before the client can learn that the broker has no QoS 2 (NATS closes the connection on
        // the first: the others meet a reset or a broken pipe)
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(publisher.publish("burst/qos2", Integer.toString(i), Qos.EXACTLY_ONCE, false));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        await().atMost(Recorder.TIMEOUT).until(() -> received.payloads().stream().distinct().count() == 200);
        assertThat(received.payloads()).as("each of the 200 at least once").containsAll(
                IntStream.range(0, 200).mapToObj(Integer::toString).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void strictQos_aBrokerWithoutQos2_failsThePublishSayingSo(String name, Qos highest) throws Exception {
        MosquittoBroker broker = broker(name);
        MyMqtt strict = clients.started(clients.builder(broker).strictQos(true));
        // learns the broker's highest QoS from a subscription, as the lab's client does
        strict.subscribe("strict/probe", Qos.EXACTLY_ONCE, message -> { });

        CompletableFuture<Void> sent = strict.publish("strict/x", "exactly once?", Qos.EXACTLY_ONCE, false);

        if (highest == Qos.EXACTLY_ONCE) {
            sent.get(10, TimeUnit.SECONDS);
        } else {
            assertThatThrownBy(() -> sent.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(QosNotSupportedException.class)
                    .hasMessage("Cannot publish to [strict/x] at QoS 2: the broker " + broker.uri() + " supports at "
                            + "most QoS 1 (strictQos); the message was not sent.");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void overlappingFilters_eachListenerGetsEachMessageOnceAtTheHighestQos(String name, Qos highest) throws Exception {
        MosquittoBroker broker = broker(name);
        MyMqtt subscriber = clients.started(broker);
        Recorder hash = new Recorder();
        Recorder plus = new Recorder();
        Recorder exact = new Recorder();
        subscriber.subscribe("ov/#", Qos.EXACTLY_ONCE, hash);
        subscriber.subscribe("ov/+", Qos.AT_LEAST_ONCE, plus);
        subscriber.subscribe("ov/b", Qos.AT_LEAST_ONCE, exact);
        MyMqtt publisher = clients.started(broker);

        publisher.publish("ov/b", "m1", Qos.EXACTLY_ONCE, false).get(15, TimeUnit.SECONDS);
        publisher.publish("ov/c", "m2", Qos.EXACTLY_ONCE, false).get(15, TimeUnit.SECONDS);
        publisher.publish("ov/b/deeper", "m3", Qos.EXACTLY_ONCE, false).get(15, TimeUnit.SECONDS);

        await().atMost(Recorder.TIMEOUT).until(() -> hash.messages().size() >= 3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> hash.messages().size() == 3);
        // MQTT orders messages per topic (section 4.6): these three topics come through up to three subscriptions
        // at once (a covered filter's own, for a moment), so only which messages each listener got is asserted
        assertThat(hash.payloads()).containsExactlyInAnyOrder("m1", "m2", "m3");
        assertThat(plus.payloads()).containsExactlyInAnyOrder("m1", "m2");
        assertThat(exact.payloads()).containsExactly("m1");
        assertThat(hash.messages()).allSatisfy(message -> assertThat(message.qos()).isEqualTo(highest));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void retained_aSecondOverlappingListener_theFirstDoesNotGetTheRetainedMessageAgain(String name, Qos highest)
            throws Exception {
        MosquittoBroker broker = broker(name);
        String base = "ret/" + Clients.uniqueId("t");
        MyMqtt publisher = clients.started(broker);
        publisher.publish(base + "/1", "kept", Qos.AT_LEAST_ONCE, true).get(15, TimeUnit.SECONDS);
        MyMqtt subscriber = clients.started(broker);
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        Recorder covered = new Recorder();

        boolean onWildcards = broker.supports(BrokerFeature.RETAINED_ON_WILDCARD); // RabbitMQ: no
        List<String> wildcardStart = onWildcards ? List.of("kept") : List.of();

        subscriber.subscribe(base + "/+", Qos.AT_LEAST_ONCE, first);
        if (onWildcards) {
            assertThat(first.awaitPayload("kept")).containsExactly("kept");
        }
        subscriber.subscribe(base + "/#", Qos.AT_LEAST_ONCE, second);
        subscriber.subscribe(base + "/1", Qos.AT_LEAST_ONCE, covered); // covered: fetches its retained message
        publisher.publish(base + "/1", "live", Qos.AT_LEAST_ONCE, false).get(15, TimeUnit.SECONDS);

        assertThat(first.awaitPayload("live")).containsExactlyElementsOf(concat(wildcardStart, "live"));
        assertThat(second.awaitPayload("live")).containsExactlyElementsOf(concat(wildcardStart, "live"));
        // the retained message comes through the covered listener's own subscription, the live one through the
        // covering filter's: HiveMQ CE sends a new subscription's retained messages after its SUBACK, and under load
        // a message published meanwhile can come first, so the order of the two is the broker's
        await().atMost(Recorder.TIMEOUT).until(() -> covered.payloads().size() >= 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> covered.payloads().size() == 2);
        assertThat(covered.payloads()).containsExactlyInAnyOrder("kept", "live");
    }

    private static List<String> concat(List<String> head, String last) {
        return Stream.concat(head.stream(), Stream.of(last)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void grantedQos_saysWhatTheBrokerGranted(String name, Qos highest) {
        MosquittoBroker broker = broker(name);
        MyMqtt subscriber = clients.started(broker);

        Subscription subscription = subscriber.subscribe("granted/#", Qos.EXACTLY_ONCE, message -> { });

        assertThat(subscription.grantedQos()).contains(highest);
        assertThat(Map.of("isRefused", subscription.isRefused())).isEqualTo(Map.of("isRefused", false));
    }
}
