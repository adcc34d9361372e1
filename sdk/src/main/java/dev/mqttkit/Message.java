package dev.mqttkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A received MQTT message.
 *
 * <pre>{@code
 * mqtt.subscribe("led", message -> {
 *     boolean on = message.payloadAsString().equals("on");
 *     log.info("{} (QoS {}, retained {})", on, message.qos().value(), message.retained());
 * });
 * }</pre>
 *
 * <p>Immutable: the payload is copied in and out, so a listener may keep or change the array it gets.
 *
 * @param topic the topic the message was published to
 * @param payload the payload bytes (never {@code null}; empty for an empty message)
 * @param qos the QoS the message was delivered with: the lower of the publish QoS and the subscription QoS
 * @param retained {@code true} when the broker sent a stored retained message (for example on subscribe)
 * @param duplicate {@code true} when this may be a redelivery of a message sent before
 */
public record Message(String topic, byte[] payload, Qos qos, boolean retained, boolean duplicate) {

    /**
     * Creates a message, copying the payload.
     *
     * @param topic the topic the message was published to
     * @param payload the payload bytes
     * @param qos the delivery QoS
     * @param retained whether it is a retained message
     * @param duplicate whether it may be a redelivery
     */
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
        payload = payload == null ? new byte[0] : payload.clone();
    }

    /**
     * Returns a copy of the payload.
     *
     * @return the payload bytes
     */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload array itself, for codecs inside this package; never handed to user code. */
    byte[] payloadArray() {
        return payload;
    }

    /**
     * Returns the payload decoded as UTF-8, as Python's {@code msg.payload.decode()} does.
     *
     * @return the payload as text
     */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * Returns the payload's size without copying it.
     *
     * @return the number of payload bytes
     */
    public int payloadSize() {
        return payload.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Message that
                && topic.equals(that.topic)
                && Arrays.equals(payload, that.payload)
                && qos == that.qos
                && retained == that.retained
                && duplicate == that.duplicate;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retained, duplicate);
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", payload=" + payload.length + " bytes, qos=" + qos.value()
                + ", retained=" + retained + ", duplicate=" + duplicate + "]";
    }
}
