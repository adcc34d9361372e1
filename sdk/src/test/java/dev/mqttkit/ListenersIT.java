package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several listeners per filter (Paho keeps one and silently replaces it), closing, and the notifier. */
@MosquittoTest
class ListenersIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void subscribe_twoListenersSameFilter_bothReceive(MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        subscriber.subscribe("chat", first);
        subscriber.subscribe("chat", second);

        clients.started(broker).publish("chat", "John: Hi").get();

        assertThat(first.awaitPayload("John: Hi")).containsExactly("John: Hi");
        assertThat(second.awaitPayload("John: Hi")).containsExactly("John: Hi");
    }

    @Test
    void grantedQos_afterSuback_isWhatTheBrokerGranted(MosquittoBroker broker) {
        MyMqtt subscriber = clients.track(clients.builder(broker).build());
        Subscription early = subscriber.subscribe("granted/early", Qos.AT_LEAST_ONCE, new Recorder());
        assertThat(early.grantedQos()).as("registered before start(): not granted yet").isEmpty();
        subscriber.start();
        assertThat(early.grantedQos()).contains(Qos.AT_LEAST_ONCE);

        Subscription exactly = subscriber.subscribe("granted/late", Qos.EXACTLY_ONCE, new Recorder());
        assertThat(exactly.qos()).isEqualTo(Qos.EXACTLY_ONCE);
        assertThat(exactly.grantedQos()).contains(TestBrokers.highestQos(broker)); // NATS, RabbitMQ: 1
        Subscription zero = subscriber.subscribe("granted/zero", Qos.AT_MOST_ONCE, new Recorder());
        assertThat(zero.grantedQos()).contains(Qos.AT_MOST_ONCE);
        exactly.close();
        assertThat(exactly.grantedQos()).isEmpty();
    }

    @Test
    void close_oneOfTwoListeners_otherKeepsReceiving(MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        Recorder kept = new Recorder();
        Recorder closed = new Recorder();
        subscriber.subscribe("chat", kept);
        Subscription subscription = subscriber.subscribe("chat", closed);
        MyMqtt publisher = clients.started(broker);

        subscription.close();
        publisher.publish("chat", "Yoko: Hi, how are you?").get();

        assertThat(kept.awaitPayload("Yoko: Hi, how are you?")).containsExactly("Yoko: Hi, how are you?");
        assertThat(closed.payloads()).isEmpty();
        assertThat(subscription.isActive()).isFalse();
    }

    @Test
    void close_lastListener_removesBrokerSubscription(MosquittoBroker broker) throws Exception {
        List<String> notified = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.started(clients.builder(broker)
                .notifier((topic, payload) -> notified.add(topic + "=" + new String(payload, StandardCharsets.UTF_8))));
        Subscription a = subscriber.subscribe("led", message -> { });
        Subscription b = subscriber.subscribe("led", message -> { });
        Recorder marker = new Recorder();
        subscriber.subscribe("marker", marker);
        MyMqtt publisher = clients.started(broker);

        a.close();
        b.close();
        publisher.publish("led", "on").get();
        publisher.publish("marker", "done").get();

        marker.awaitPayload("done");
        // had the broker kept the "led" subscription, the unmatched message would have reached the notifier
        assertThat(notified).isEmpty();
    }

    @Test
    void close_twice_isHarmless(MosquittoBroker broker) {
        MyMqtt subscriber = clients.started(broker);
        Subscription subscription = subscriber.subscribe("chat", message -> { });
        subscription.close();
        subscription.close();
        assertThat(subscription.isActive()).isFalse();
        assertThat(subscriber.isConnected()).isTrue();
    }

    @Test
    void subscribe_labShape_deliversToNotifier(MosquittoBroker broker) throws Exception {
        List<String> notified = new CopyOnWriteArrayList<>();
        MyMqtt lab = clients.track(new MyMqtt(Clients.uniqueId("lab"), "127.0.0.1", broker.port(),
                (topic, payload) -> notified.add(topic + " " + new String(payload, StandardCharsets.UTF_8))));
        lab.start();
        lab.subscribe("led");

        lab.publish("led", "on").get();

        org.awaitility.Awaitility.await().atMost(Recorder.TIMEOUT).until(() -> !notified.isEmpty());
        assertThat(notified).containsExactly("led on");
    }

    @Test
    void subscribe_beforeStart_subscribedWhileStarting(MosquittoBroker broker) throws Exception {
        Recorder recorder = new Recorder();
        MyMqtt subscriber = clients.track(clients.builder(broker).build());
        Subscription subscription = subscriber.subscribe("house/#", Qos.AT_LEAST_ONCE, recorder);
        assertThat(subscriber.isConnected()).isFalse();

        subscriber.start();
        clients.started(broker).publish("house/garage/doors/d1", "open").get();

        assertThat(recorder.awaitPayload("open")).containsExactly("open");
        assertThat(subscription.filter()).isEqualTo("house/#");
        assertThat(subscription.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
    }

    @Test
    void message_matchingNoListenerAndNoNotifier_loggedNotLost(MosquittoBroker broker) throws Exception {
        // A durable session delivers messages of a subscription whose listener is gone (the broker kept it).
        String id = Clients.uniqueId("orphan");
        MyMqtt first = clients.started(clients.builder(broker).clientId(id).cleanSession(false));
        first.subscribe("orphan/topic", Qos.AT_LEAST_ONCE, message -> { });
        first.stop();
        clients.started(broker).publish("orphan/topic", "queued", Qos.AT_LEAST_ONCE, false).get();

        List<String> notified = new CopyOnWriteArrayList<>();
        MyMqtt withNotifier = clients.track(clients.builder(broker).clientId(id).cleanSession(false)
                .notifier((topic, payload) -> notified.add(topic)).build());
        withNotifier.start();

        org.awaitility.Awaitility.await().atMost(Recorder.TIMEOUT).until(() -> !notified.isEmpty());
        assertThat(notified).containsExactly("orphan/topic");
        withNotifier.stop();
        clients.started(clients.builder(broker).clientId(id).cleanSession(true)).stop();
    }

    @Test
    void unsubscribe_filter_removesEveryListenerAndBrokerSubscription(MosquittoBroker broker) throws Exception {
        List<String> notified = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.started(clients.builder(broker).notifier((topic, payload) -> notified.add(topic)));
        Subscription first = subscriber.subscribe("robotcell1/#", message -> { });
        Subscription second = subscriber.subscribe("robotcell1/#", message -> { });
        Recorder marker = new Recorder();
        subscriber.subscribe("marker", marker);

        assertThat(subscriber.unsubscribe("robotcell1/#")).isEqualTo(2);
        assertThat(subscriber.unsubscribe("robotcell1/#")).isZero();
        MyMqtt publisher = clients.started(broker);
        publisher.publish("robotcell1/temperature", "21").get();
        publisher.publish("marker", "done").get();

        marker.awaitPayload("done");
        assertThat(notified).isEmpty();
        assertThat(first.isActive()).isFalse();
        assertThat(second.isActive()).isFalse();
    }
}
