package dev.mqttkit;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One MQTT client of the comparison harness ({@link ClientComparison}): mqttkit, raw Paho tuned as the issue has it
 * ({@code MqttAsyncClient}, window 1000, {@code TCP_NODELAY}, memory persistence), or the HiveMQ MQTT client. Each
 * side of a measurement is the same library.
 */
interface BenchClient extends AutoCloseable {

    /** Subscribes and waits for the SUBACK; {@code onMessage} runs on the library's own thread. */
    void subscribe(String filter, int qos, Consumer<byte[]> onMessage) throws Exception;

    /** Publishes; the future completes when the broker acknowledged it (QoS 1/2) or it was handed over (QoS 0). */
    CompletableFuture<?> publish(String topic, byte[] payload, int qos) throws Exception;

    @Override
    void close() throws Exception;

    /** The libraries compared. */
    enum Library {
        MQTTKIT("mqttkit"), PAHO("raw Paho"), HIVEMQ("HiveMQ");

        final String label;

        Library(String label) {
            this.label = label;
        }

        BenchClient connect(String broker, String id) throws Exception {
            return switch (this) {
                case MQTTKIT -> new Kit(broker, id);
                case PAHO -> new Paho(broker, id);
                case HIVEMQ -> new HiveMq(broker, id);
            };
        }
    }

    /** mqttkit with its defaults. */
    final class Kit implements BenchClient {
        private final MyMqtt client;

        Kit(String broker, String id) {
            client = MyMqtt.builder().serverUri(broker).clientId(id).maxInflight(1000).build();
            client.start();
        }

        @Override
        public void subscribe(String filter, int qos, Consumer<byte[]> onMessage) {
            client.subscribe(filter, Qos.values()[qos], message -> onMessage.accept(message.payload()));
        }

        @Override
        public CompletableFuture<?> publish(String topic, byte[] payload, int qos) {
            return client.publishWith().topic(topic).payload(payload).qos(Qos.values()[qos]).send();
        }

        @Override
        public void close() {
            client.stop();
        }
    }

    /** Raw Paho, tuned: window 1000, TCP_NODELAY (Paho's default socket factory has it off), memory persistence. */
    final class Paho implements BenchClient {
        private final MqttAsyncClient client;

        Paho(String broker, String id) throws MqttException {
            client = new MqttAsyncClient(broker, id, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMaxInflight(1000);
            options.setSocketFactory(new NoDelaySocketFactory());
            client.connect(options).waitForCompletion(10_000);
        }

        @Override
        public void subscribe(String filter, int qos, Consumer<byte[]> onMessage) throws MqttException {
            client.subscribe(filter, qos, (topic, message) -> onMessage.accept(message.getPayload()))
                    .waitForCompletion(10_000);
        }

        @Override
        public CompletableFuture<?> publish(String topic, byte[] payload, int qos) throws MqttException {
            CompletableFuture<Void> done = new CompletableFuture<>();
            MqttMessage message = new MqttMessage(payload);
            message.setQos(qos);
            IMqttActionListener listener = new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    done.completeExceptionally(failure);
                }
            };
            while (true) {
                try {
                    client.publish(topic, message, null, listener);
                    return done;
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                        throw e;
                    }
                    Thread.onSpinWait(); // Paho's window is full: what a tuned Paho user does is wait and retry
                }
            }
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion(10_000);
            client.close();
        }
    }

    /** The HiveMQ MQTT client's asynchronous API (MQTT 3.1.1), its defaults. */
    final class HiveMq implements BenchClient {
        private final Mqtt3AsyncClient client;

        HiveMq(String broker, String id) throws Exception {
            URI uri = URI.create(broker);
            client = MqttClient.builder().useMqttVersion3().identifier(id).serverHost(uri.getHost())
                    .serverPort(uri.getPort()).buildAsync();
            client.connect().get(10, TimeUnit.SECONDS);
        }

        @Override
        public void subscribe(String filter, int qos, Consumer<byte[]> onMessage) throws Exception {
            client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos))
                    .callback(publish -> onMessage.accept(publish.getPayloadAsBytes())).send()
                    .get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletableFuture<?> publish(String topic, byte[] payload, int qos) {
            return client.publishWith().topic(topic).payload(payload).qos(MqttQos.fromCode(qos)).send();
        }

        @Override
        public void close() throws Exception {
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    /** Plain sockets with TCP_NODELAY, for the tuned raw Paho. */
    final class NoDelaySocketFactory extends javax.net.SocketFactory {
        private static java.net.Socket noDelay(java.net.Socket socket) throws java.io.IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            return noDelay(new java.net.Socket());
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            return noDelay(new java.net.Socket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            return noDelay(new java.net.Socket(host, port, local, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return noDelay(new java.net.Socket(host, port));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port, java.net.InetAddress local,
                int localPort) throws java.io.IOException {
            return noDelay(new java.net.Socket(host, port, local, localPort));
        }
    }
}
