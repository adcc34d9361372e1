package dev.mqttkit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.samples.chat.Chat;
import dev.mqttkit.samples.led.LedLight;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The samples driven by a client that is not mqttkit, used the way the course's Python notebook uses paho:
 * plain Paho, QoS 2, text payloads ({@code "on"}, {@code json.dumps(...)}).
 */
@MosquittoTest
class PythonClientInteropIT {

    private MqttClient python;
    private final List<String> received = new CopyOnWriteArrayList<>();

    private MqttClient connectPython(MosquittoBroker broker, String... subscriptions) throws MqttException {
        python = new MqttClient(broker.uri(), "python-notebook", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        python.connect(options);
        for (String filter : subscriptions) {
            python.subscribe(filter, 2, (topic, message) -> received.add(topic + " " + message.getQos() + " "
                    + new String(message.getPayload(), StandardCharsets.UTF_8)));
        }
        return python;
    }

    /** {@code client.publish(topic, payload, 2)}, as the lab's myPublish does. */
    private void publish(String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(2);
        python.publish(topic, message);
    }

    @AfterEach
    void disconnectPython() throws MqttException {
        if (python != null && python.isConnected()) {
            python.disconnect();
        }
        if (python != null) {
            python.close();
        }
    }

    @Test
    void led_drivenByPahoAtQos2_switchesAndReportsRetainedStatus(MosquittoBroker broker) throws Exception {
        Lines display = new Lines();
        LedLight light = new LedLight(MyMqtt.builder().serverUri(broker.uri()).clientId("led"), display);
        light.start();
        try {
            connectPython(broker, LedLight.STATUS_TOPIC);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("led/status 2 {\"status\":\"off\"}"));
            publish("led", "on");
            display.await("LED is now ON");
            publish("led", "{\"status\": \"off\"}"); // json.dumps({"status": "off"})
            display.await("LED is now OFF");
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
            assertThat(received).containsExactly("led/status 2 {\"status\":\"off\"}", "led/status 2 {\"status\":\"on\"}",
                    "led/status 2 {\"status\":\"off\"}");
        } finally {
            light.stop();
        }
    }

    @Test
    void chat_withAPahoUser_takesTurnsBothWays(MosquittoBroker broker) throws Exception {
        Lines display = new Lines();
        connectPython(broker, Chat.TOPIC);
        Chat john = new Chat("John", MyMqtt.builder().serverUri(broker.uri()).clientId("john"), display);
        john.start();
        try {
            assertThat(john.send("Hi")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("chat 2 {\"user\":\"John\",\"text\":\"Hi\"}"));
            assertThat(john.send("Hello?")).isFalse();

            publish(Chat.TOPIC, "{\"user\": \"Yoko\", \"text\": \"Hi, how are you?\"}"); // json.dumps(...)
            display.await("Yoko: Hi, how are you?");
            assertThat(john.send("Good")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("chat 2 {\"user\":\"John\",\"text\":\"Good\"}"));
            assertThat(display.all()).containsExactly(
                    "Not sent: wait for someone else to reply (the last message on [chat] is yours).",
                    "Yoko: Hi, how are you?");
        } finally {
            john.stop();
        }
    }
}
