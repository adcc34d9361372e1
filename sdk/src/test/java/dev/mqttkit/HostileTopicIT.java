package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import dev.mqttkit.topic.TopicTemplate;
import dev.mqttkit.topic.TypedTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One message from any client on the broker must not deafen a subscriber: Paho 1.2.5's receive thread dies on
 * topics with emoji, full-width letters, characters from U+FDD0 up or control characters, while the client still
 * says it is connected.
 */
@MosquittoTest
class HostileTopicIT {

    @RegisterExtension
    final Clients clients = new Clients();

    private static byte[] utf8(String topic) {
        return topic.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"chat/😀", "chat/Ａ", "chat/\uFFFD", "chat/漢字𠀋", "chat/ mqttkit-alias/1",
            " mqttkit-alias/2", "😀/😀/😀"})
    void hostileTopic_isDeliveredWithItsRealName_andTheClientKeepsReceiving(String hostile, MosquittoBroker broker)
            throws Exception {
        MyMqtt subscriber = clients.started(broker);
        List<Message> received = new CopyOnWriteArrayList<>();
        subscriber.subscribe("#", Qos.AT_LEAST_ONCE, received::add);

        try (RawMqttClient attacker = RawMqttClient.connect(broker.uri(), "attacker")) {
            attacker.publish(utf8(hostile), "hi");
            attacker.publishQos1(utf8("chat/after"), "still listening");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);

        assertThat(received).extracting(Message::topic).containsExactly(hostile, "chat/after");
        assertThat(received).extracting(Message::payloadAsString).containsExactly("hi", "still listening");
        assertThat(subscriber.isConnected()).isTrue();
        subscriber.publish("chat/reply", "pong", Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
    }

    /** Mosquitto itself refuses these (it disconnects the publisher); whatever it does, our client keeps going. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"chat/\uFDD0", "chat/a\u0001b", "chat/\u0085", "chat/\u007F", "chat/\uFFFF"})
    void topicTheBrokerMayRefuse_neverDeafensTheSubscriber(String hostile, MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        List<Message> received = new CopyOnWriteArrayList<>();
        subscriber.subscribe("#", Qos.AT_LEAST_ONCE, received::add);
        try (RawMqttClient attacker = RawMqttClient.connect(broker.uri(), "attacker")) {
            attacker.publish(utf8(hostile), "hi");
        } catch (IOException refusedByTheBroker) {
            // Mosquitto closes the connection of a client that publishes such a topic
        }
        try (RawMqttClient next = RawMqttClient.connect(broker.uri(), "next")) {
            next.publishQos1(utf8("chat/after"), "still listening");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(m -> m.topic().equals("chat/after")));
        assertThat(received).extracting(Message::topic).isSubsetOf(hostile, "chat/after");
        assertThat(subscriber.isConnected()).isTrue();
        subscriber.publish("chat/reply", "pong", Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
    }

    @Test
    void durableSession_hostileTopicQueuedWhileOffline_arrivesWithTheRestAndNothingFlaps(MosquittoBroker broker)
            throws Exception {
        List<String> losses = new CopyOnWriteArrayList<>();
        List<Message> received = new CopyOnWriteArrayList<>();
        MyMqtt.Builder durable = clients.builder(broker).clientId("durable-hostile").cleanSession(false)
                .automaticReconnect(true).connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnectionLost(String serverUri, Throwable cause) {
                        losses.add(String.valueOf(cause));
                    }
                });
        MyMqtt subscriber = clients.track(durable.build());
        subscriber.subscribe("chat/#", Qos.AT_LEAST_ONCE, received::add);
        subscriber.start();
        subscriber.stop(); // offline: the broker queues QoS 1 messages for the durable session

        try (RawMqttClient attacker = RawMqttClient.connect(broker.uri(), "attacker-offline")) {
            attacker.publishQos1(utf8("chat/😀"), "while you were away");
            for (int i = 0; i < 8; i++) {
                attacker.publishQos1(utf8("chat/m" + i), "m" + i);
            }
        }
        subscriber.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 9);
        assertThat(received.get(0).topic()).isEqualTo("chat/😀");
        assertThat(received).extracting(Message::topic).endsWith("chat/m7");
        assertThat(losses).as("connection losses").isEmpty();
        assertThat(subscriber.isConnected()).isTrue();
    }

    @Test
    void wildcardSubscriber_manyHostileTopicsAtQos1_allArriveInOrderAndAreAcknowledged(MosquittoBroker broker)
            throws Exception {
        MyMqtt subscriber = clients.started(broker);
        List<String> topics = new CopyOnWriteArrayList<>();
        subscriber.subscribe("lab/#", Qos.AT_LEAST_ONCE, message -> topics.add(message.topic()));
        List<String> sent = new java.util.ArrayList<>();
        try (RawMqttClient attacker = RawMqttClient.connect(broker.uri(), "attacker-many")) {
            for (int i = 0; i < 200; i++) {
                String topic = i % 2 == 0 ? "lab/😀/" + i : "lab/plain/" + i;
                sent.add(topic);
                attacker.publishQos1(utf8(topic), "m" + i);
            }
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> topics.size() == 200);
        assertThat(topics).containsExactlyElementsOf(sent);
        assertThat(subscriber.isConnected()).isTrue();
    }

    @Test
    void typedAndPlainListeners_onHostileTopics_matchTheRealName(MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        List<Message> rooms = new CopyOnWriteArrayList<>();
        List<String> names = new CopyOnWriteArrayList<>();
        subscriber.subscribe("room/+/light", Qos.AT_LEAST_ONCE, rooms::add);
        TypedTopic<String> light = TopicTemplate.of("room/{name}/light").typed(PayloadCodecs.utf8());
        subscriber.subscribeWith(light).qos(Qos.AT_LEAST_ONCE).listen(message -> names.add(message.parameter("name")));
        try (RawMqttClient attacker = RawMqttClient.connect(broker.uri(), "attacker-rooms")) {
            attacker.publishQos1(utf8("room/😀/light"), "on");
            attacker.publishQos1(utf8("room/plain/light"), "off");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rooms.size() == 2 && names.size() == 2);
        assertThat(rooms).extracting(Message::topic).containsExactly("room/😀/light", "room/plain/light");
        assertThat(names).containsExactly("😀", "plain");
    }

    @Test
    void sendingATopicPahoCannotEncode_isRefusedInTheCall_andTheConnectionStaysUp(MosquittoBroker broker) {
        MyMqtt client = clients.started(broker);
        assertThatThrownBy(() -> client.publish("chat/😀", "hi"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [chat/😀] has the character outside the Basic Multilingual Plane U+1F600 at index 5,"
                        + " which mqttkit cannot send yet (Paho 1.2.5 drops the connection instead); such topics are "
                        + "received, not sent.");
        assertThatThrownBy(() -> client.subscribe("room/Ａ/#", message -> { }))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageStartingWith("Topic filter [room/Ａ/#] has the character U+FF21 at index 5");
        assertThatThrownBy(() -> client.publishWith().topic("a\u0085b").text("x").send())
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageStartingWith("Topic [a\u0085b] has the control character U+0085 at index 1");
        assertThat(client.isConnected()).isTrue();
        client.publish("chat/plain", "ok", Qos.AT_LEAST_ONCE, false).join();
    }
}
