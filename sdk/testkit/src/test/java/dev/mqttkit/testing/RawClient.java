package dev.mqttkit.testing;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A plain Paho MQTT 3.1.1 client that records what it receives, to ask a broker what it does. */
final class RawClient implements AutoCloseable {

    /** A received message. */
    record Received(String topic, String payload, int qos, boolean retained) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> lost = new CompletableFuture<>();
    private final MqttClient client;

    private RawClient(String uri, String clientId) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.complete(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, new String(message.getPayload()), message.getQos(),
                        message.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    static RawClient connect(String uri) throws MqttException {
        return connect(uri, "raw-" + UUID.randomUUID().toString().substring(0, 8), true, null, null, null);
    }

    static RawClient connect(String uri, String clientId, boolean cleanSession, String user, String password,
            SocketFactory sockets) throws MqttException {
        RawClient raw = new RawClient(uri, clientId);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        if (sockets != null) {
            options.setSocketFactory(sockets);
        }
        try {
            raw.client.connect(options);
        } catch (MqttException e) {
            raw.close();
            throw e;
        }
        return raw;
    }

    /** Subscribes and returns the granted QoS (128 for a refusal). */
    int subscribe(String filter, int qos) throws MqttException {
        try {
            IMqttToken token = client.subscribeWithResponse(filter, qos);
            return token.getGrantedQos()[0];
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
                return 0x80;
            }
            throw e;
        }
    }

    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(), qos, retained);
    }

    List<String> topics() {
        return received.stream().map(Received::topic).toList();
    }

    boolean hasReceived(String topic) {
        return received.stream().anyMatch(message -> message.topic().equals(topic));
    }

    boolean isConnected() {
        return client.isConnected();
    }

    void disconnect() throws MqttException {
        client.disconnect();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1_000);
            }
            client.close(true);
        } catch (MqttException e) {
            // the broker may be gone already; nothing left to free
        }
    }
}
