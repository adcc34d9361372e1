package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.testing.BrokerFeature;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import dev.mqttkit.topic.Topic;
import dev.mqttkit.topic.TopicFilter;
import dev.mqttkit.topic.TopicTemplate;
import dev.mqttkit.topic.TypedTopic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Wildcard dispatch through a real broker: overlaps, the '$' rule, shared subscriptions, typed templates. */
@MosquittoTest
class DispatchIT {

    private static final TypedTopic<Double> TEMPERATURE =
            TopicTemplate.of("sensor/{id}/temperature").typed(PayloadCodecs.doubles());

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void overlappingFilters_eachListenerReceivesTheMessageOnce(MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        List<String> filters = List.of("a/#", "a/+", "a/b", "+/b", "#", "+/+", "a/b/#");
        Map<String, Recorder> recorders = new java.util.LinkedHashMap<>();
        for (String filter : filters) {
            Recorder recorder = new Recorder();
            recorders.put(filter, recorder);
            subscriber.subscribe(filter, Qos.AT_LEAST_ONCE, recorder);
        }
        MyMqtt publisher = clients.started(broker);

        publisher.publish("a/b", "once", Qos.AT_LEAST_ONCE, false).get();
        publisher.publish("a/b", "marker", Qos.AT_LEAST_ONCE, false).get();

        recorders.forEach((filter, recorder) ->
                assertThat(recorder.awaitPayload("marker")).as(filter).containsExactly("once", "marker"));
    }

    @Test
    void dollarTopic_wildcardFirstLevel_doesNotMatch(MosquittoBroker broker) throws Exception {
        broker.assumeMosquitto("HiveMQ CE disconnects a client that publishes to a topic starting with '$'");
        MyMqtt subscriber = clients.started(broker);
        Recorder everything = new Recorder();
        Recorder plusFirst = new Recorder();
        Recorder dollar = new Recorder();
        subscriber.subscribe("#", Qos.AT_LEAST_ONCE, everything);
        subscriber.subscribe("+/y", Qos.AT_LEAST_ONCE, plusFirst);
        subscriber.subscribe("$x/#", Qos.AT_LEAST_ONCE, dollar);
        MyMqtt publisher = clients.started(broker);

        publisher.publish("$x/y", "dollar", Qos.AT_LEAST_ONCE, false).get();
        publisher.publish("m/y", "marker", Qos.AT_LEAST_ONCE, false).get();

        assertThat(everything.awaitPayload("marker")).containsExactly("marker");
        assertThat(plusFirst.awaitPayload("marker")).containsExactly("marker");
        assertThat(dollar.awaitPayload("dollar")).containsExactly("dollar");
    }

    @Test
    void sharedSubscription_twoClients_splitTheMessages(MosquittoBroker broker) throws Exception {
        broker.assumeSupports(BrokerFeature.SHARED_SUBSCRIPTIONS, "two members of a $share group split the messages");
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        MyMqtt worker1 = clients.started(broker);
        MyMqtt worker2 = clients.started(broker);
        worker1.subscribe(TopicFilter.of("$share/workers/jobs/#"), Qos.AT_LEAST_ONCE,
                message -> first.add(message.payloadAsString()));
        worker2.subscribe("$share/workers/jobs/#", Qos.AT_LEAST_ONCE,
                message -> second.add(message.payloadAsString()));
        MyMqtt publisher = clients.started(broker);

        int count = 100;
        for (int i = 0; i < count; i++) {
            publisher.publish("jobs/" + (i % 3), Integer.toString(i), Qos.AT_LEAST_ONCE, false).get();
        }

        await().atMost(Recorder.TIMEOUT).until(() -> first.size() + second.size() >= count);
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        assertThat(first.size() + second.size()).isEqualTo(count);
        assertThat(all).hasSize(count);
        assertThat(first).isNotEmpty();
        assertThat(second).isNotEmpty();
    }

    @Test
    void typedTemplate_subscriber_receivesDecodedValueAndParameters(MosquittoBroker broker) throws Exception {
        MyMqtt dashboard = clients.started(broker);
        List<TypedMessage<Double>> readings = new CopyOnWriteArrayList<>();
        dashboard.subscribeWith(TEMPERATURE).qos(Qos.AT_LEAST_ONCE).listen(readings::add);
        MyMqtt sensor = clients.started(broker);

        sensor.publishWith(TEMPERATURE).parameter("id", "1234").send(21.5).get();
        // exactly what Python's paho sends for publish("sensor/567/temperature", random.random() * 100)
        sensor.publishWith().topic("sensor/567/temperature")
                .payload("75.27719645201488".getBytes(StandardCharsets.US_ASCII)).qos(Qos.AT_LEAST_ONCE).send().get();

        await().atMost(Recorder.TIMEOUT).until(() -> readings.size() == 2);
        assertThat(readings).extracting(TypedMessage::topic, TypedMessage::value, message -> message.parameter("id"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("sensor/1234/temperature", 21.5, "1234"),
                        org.assertj.core.groups.Tuple.tuple("sensor/567/temperature", 75.27719645201488, "567"));
    }

    @Test
    void typedTemplate_undecodablePayload_goesToErrorHookAndNextIsDelivered(MosquittoBroker broker) throws Exception {
        ch.qos.logback.classic.Logger delivery = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(Delivery.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        delivery.addAppender(logged);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Message> raw = new CopyOnWriteArrayList<>();
        MyMqtt dashboard = clients.started(clients.builder(broker).errorListener((message, error) -> {
            raw.add(message);
            errors.add(error);
        }));
        List<Double> values = new CopyOnWriteArrayList<>();
        dashboard.subscribeWith(TEMPERATURE).qos(Qos.AT_LEAST_ONCE).listen(message -> values.add(message.value()));
        MyMqtt sensor = clients.started(broker);

        sensor.publish("sensor/9/temperature", "warm", Qos.AT_LEAST_ONCE, false).get();
        sensor.publishWith(TEMPERATURE).parameter("id", "9").send(19.0).get();

        await().atMost(Recorder.TIMEOUT).until(() -> values.size() == 1);
        assertThat(values).containsExactly(19.0);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).isInstanceOf(PayloadDecodingException.class)
                .hasMessage("Payload on [sensor/9/temperature] is not a valid java.lang.Double: [warm] is not a "
                        + "number; payload (4 bytes): \"warm\"");
        assertThat(raw).singleElement().extracting(Message::payloadAsString).isEqualTo("warm");
        assertThat(dashboard.isConnected()).isTrue();
        delivery.detachAppender(logged);
        assertThat(logged.list).as("reported once: to the hook, not also in the log").noneMatch(event ->
                event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
    }

    @Test
    void topicValues_publishAndSubscribe(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(broker);
        Recorder recorder = new Recorder();
        TopicFilter lights = TopicFilter.builder().level("house").anyLevel().level("lights").allRemaining().build();
        client.subscribe(lights, recorder);

        Topic l1 = Topic.builder().level("house").level("garage").level("lights").level("l1").build();
        client.publish(l1, "on").get();
        client.publish(Topic.of("house/kitchen/lights"), "off", Qos.AT_LEAST_ONCE, false).get();

        assertThat(recorder.awaitCount(2)).extracting(Message::topic)
                .containsExactly("house/garage/lights/l1", "house/kitchen/lights");
    }

    @Test
    void subscribeAndCloseWhileMessagesFlow_noListenerLostNoError(MosquittoBroker broker) throws Exception {
        TestBrokers.skipOn(broker, MosquittoBroker.Kind.NATS, "not every message arrives on NATS while covering "
                + "filters are subscribed and unsubscribed in a loop (open: issue 21)");
        TestBrokers.skipOn(broker, MosquittoBroker.Kind.ARTEMIS,
                "Artemis sends a copy per subscription: while a covering filter is being "
                + "subscribed and the filters it covers unsubscribed, a message can arrive twice (open: issue 21)");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.started(clients.builder(broker)
                .errorListener((message, error) -> errors.add(error)));
        Recorder permanent = new Recorder();
        subscriber.subscribe("flow/+", Qos.AT_LEAST_ONCE, permanent);
        MyMqtt publisher = clients.started(broker);

        AtomicBoolean publishing = new AtomicBoolean(true);
        ExecutorService churn = Executors.newSingleThreadExecutor();
        Future<Integer> churned = churn.submit(() -> {
            int rounds = 0;
            List<String> filters = List.of("flow/#", "flow/+", "+/x", "#", "flow/x", "other/#");
            while (publishing.get() && rounds < 500) {
                List<Subscription> subscriptions = new ArrayList<>();
                for (String filter : filters) {
                    subscriptions.add(subscriber.subscribe(filter, Qos.AT_LEAST_ONCE, message -> { }));
                }
                subscriptions.forEach(Subscription::close);
                rounds++;
            }
            return rounds;
        });
        int count = 2000;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(publisher.publish("flow/x", Integer.toString(i), Qos.AT_LEAST_ONCE, false));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture<?>[]::new)).get(60, TimeUnit.SECONDS);
        List<Message> received = permanent.awaitCount(count);
        publishing.set(false);
        assertThat(churned.get(60, TimeUnit.SECONDS)).isPositive();
        churn.shutdown();

        List<String> expected = IntStream.range(0, count).mapToObj(Integer::toString).collect(Collectors.toList());
        assertThat(received).extracting(Message::payloadAsString).containsExactlyElementsOf(expected);
        assertThat(errors).isEmpty();
        assertThat(subscriber.isConnected()).isTrue();
    }
}
