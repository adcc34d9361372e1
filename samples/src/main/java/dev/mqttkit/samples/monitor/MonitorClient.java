package dev.mqttkit.samples.monitor;

import dev.mqttkit.Message;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import dev.mqttkit.SubscriptionRefusedException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's MQTT client: subscribes to {@code #} and {@code $SYS/#} and records every message in the
 * {@link TopicStore}; publishes what the page's form sends.
 *
 * <p>Two subscriptions because MQTT's {@code #} never matches a topic that starts with {@code $} (MQTT 3.1.1
 * §4.7.2): the broker's own statistics under {@code $SYS/} come only to a filter that names them.
 */
final class MonitorClient implements BrokerLink {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorClient.class);

    private final MyMqtt client;
    private final TopicStore store;
    private final Qos qos;

    /**
     * @param connection the client's settings
     * @param store where messages go
     * @param qos the highest QoS to receive at: QoS 2 shows each message with the QoS it was published with
     */
    MonitorClient(MyMqtt.Builder connection, TopicStore store, Qos qos) {
        this.client = connection.build();
        this.store = store;
        this.qos = qos;
    }

    /** Connects and subscribes; retained messages arrive at once, so the tree shows the broker's state. */
    void start() {
        client.start();
        client.subscribe("#", qos, this::record);
        try {
            client.subscribe("$SYS/#", qos, this::record);
        } catch (SubscriptionRefusedException noSys) {
            // not every broker has $SYS topics (HiveMQ CE has none); the tree simply shows none
            LOG.debug("The broker refused $SYS/#: {}", noSys.getMessage());
        }
    }

    /** Runs on the client's dispatch thread for every message: the store takes it without blocking. */
    private void record(Message message) {
        store.record(message.topic(), message.payload(), message.qos(), message.retained());
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos messageQos, boolean retain) {
        return client.publishWith().topic(topic).payload(payload).qos(messageQos).retain(retain).send();
    }

    @Override
    public String serverUri() {
        return client.serverUri();
    }

    @Override
    public String clientId() {
        return client.clientId();
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    void stop() {
        client.stop();
    }
}
