package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Listeners run off Paho's threads, may publish and wait, and see messages in arrival order. */
@MosquittoTest
class ThreadingIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void listener_runsOnDispatchThread_notOnPahoThreads(MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        List<String> threads = new CopyOnWriteArrayList<>();
        subscriber.subscribe("led", message -> threads.add(Thread.currentThread().getName()));

        clients.started(broker).publish("led", "on").get();

        org.awaitility.Awaitility.await().atMost(Recorder.TIMEOUT).until(() -> !threads.isEmpty());
        assertThat(threads.get(0)).isEqualTo("mqttkit-dispatch-" + subscriber.clientId()).doesNotStartWith("MQTT");
    }

    /** The LED exercise: the light answers a command by publishing its status and waiting for the broker. */
    @ParameterizedTest(name = "listener publishes at {0} and waits")
    @EnumSource(Qos.class)
    void listener_publishesAndWaits_noDeadlock(Qos qos, MosquittoBroker broker) throws Exception {
        TestBrokers.skipOn(broker, MosquittoBroker.Kind.ARTEMIS,
                "three statuses published one after another at QoS 1 arrived out of order "
                + "on Artemis (open: issue 21)");
        MyMqtt light = clients.started(broker);
        light.subscribe("led/set", Qos.EXACTLY_ONCE, message -> {
            // waiting here would deadlock if listeners ran on Paho's callback thread
            light.publish("led/status", message.payloadAsString(), qos, false).get(10, TimeUnit.SECONDS);
        });
        MyMqtt controller = clients.started(broker);
        Recorder status = new Recorder();
        controller.subscribe("led/status", Qos.EXACTLY_ONCE, status);

        for (String command : List.of("on", "off", "on")) {
            controller.publish("led/set", command, Qos.EXACTLY_ONCE, false).get();
        }

        assertThat(status.awaitCount(3)).extracting(Message::payloadAsString).containsExactly("on", "off", "on");
    }

    @Test
    void listener_manyMessages_receivedInPublishOrder(MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        Recorder recorder = new Recorder();
        subscriber.subscribe("sequence/+", Qos.AT_LEAST_ONCE, recorder);
        MyMqtt publisher = clients.started(broker);

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sent.add(publisher.publish("sequence/" + (i % 7), Integer.toString(i), Qos.AT_LEAST_ONCE, false));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture<?>[]::new)).get(60, TimeUnit.SECONDS);

        List<String> expected = IntStream.range(0, 2000).mapToObj(Integer::toString).collect(Collectors.toList());
        assertThat(recorder.awaitCount(2000)).extracting(Message::payloadAsString).containsExactlyElementsOf(expected);
    }

    @Test
    void chat_twoClientsTakeTurns_eachAnswersTheOther(MosquittoBroker broker) throws Exception {
        // The chat exercise: a client may write only after a message from someone else.
        MyMqtt john = clients.started(clients.builder(broker).clientId(Clients.uniqueId("john")));
        MyMqtt yoko = clients.started(clients.builder(broker).clientId(Clients.uniqueId("yoko")));
        Recorder transcript = new Recorder();
        john.subscribe("chat", transcript);
        john.subscribe("chat", message -> reply(john, "John", message, 4));
        yoko.subscribe("chat", message -> reply(yoko, "Yoko", message, 4));

        john.publish("chat", "John: 1").get();

        assertThat(transcript.awaitCount(4)).extracting(Message::payloadAsString)
                .containsExactly("John: 1", "Yoko: 2", "John: 3", "Yoko: 4");
    }

    private static void reply(MyMqtt me, String name, Message message, int last) throws Exception {
        String[] parts = message.payloadAsString().split(": ");
        int turn = Integer.parseInt(parts[1]);
        if (!parts[0].equals(name) && turn < last) {
            me.publish("chat", name + ": " + (turn + 1)).get(10, TimeUnit.SECONDS);
        }
    }
}
