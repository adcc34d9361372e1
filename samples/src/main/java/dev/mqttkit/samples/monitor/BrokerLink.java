package dev.mqttkit.samples.monitor;

import dev.mqttkit.Qos;
import java.util.concurrent.CompletableFuture;

/** What the page's server needs of the MQTT side: where it is connected, and a way to publish the form. */
interface BrokerLink {

    /** The broker, for example {@code tcp://localhost:1883}. */
    String serverUri();

    /** The monitor's client id on the broker. */
    String clientId();

    /** Whether the connection is up now. */
    boolean isConnected();

    /**
     * Publishes a message.
     *
     * @return completes when the broker acknowledged it (QoS 1 and 2) or it was written (QoS 0)
     * @throws dev.mqttkit.InvalidTopicException when the topic cannot be published to
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain);
}
