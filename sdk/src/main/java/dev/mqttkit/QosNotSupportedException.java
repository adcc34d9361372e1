package dev.mqttkit;

/**
 * A publish asked for a QoS the broker does not support (NATS and RabbitMQ have no QoS 2), and
 * {@link MyMqtt.Builder#strictQos(boolean) strictQos(true)} forbids sending it at a lower one. Without that option
 * the client publishes at the highest QoS the broker supports instead, after one WARN.
 *
 * <pre>{@code
 * MyMqtt mqtt = MyMqtt.builder().serverUri(uri).strictQos(true).build();
 * mqtt.publish("orders/42", json).exceptionally(error -> {
 *     if (error.getCause() instanceof QosNotSupportedException qos) {
 *         log.warn("Broker supports at most {}", qos.supported());
 *     }
 *     return null;
 * });
 * }</pre>
 */
public final class QosNotSupportedException extends PublishFailedException {

    private static final long serialVersionUID = 1L;

    private final Qos requested;
    private final Qos supported;

    /**
     * Creates an exception.
     *
     * @param topic the message's topic
     * @param requested the QoS the publish asked for
     * @param supported the highest QoS the broker supports
     * @param mayHaveArrived whether the broker may have the message (it acknowledged it at the lower QoS)
     * @param message what happened, in words
     */
    public QosNotSupportedException(String topic, Qos requested, Qos supported, boolean mayHaveArrived,
            String message) {
        super(topic, mayHaveArrived, message, null);
        this.requested = requested;
        this.supported = supported;
    }

    /**
     * Returns the QoS the publish asked for.
     *
     * @return the requested QoS
     */
    public Qos requested() {
        return requested;
    }

    /**
     * Returns the highest QoS the broker supports, as far as the client could tell.
     *
     * @return the supported QoS
     */
    public Qos supported() {
        return supported;
    }
}
