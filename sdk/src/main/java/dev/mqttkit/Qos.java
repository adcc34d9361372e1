package dev.mqttkit;

/**
 * MQTT quality of service: how hard client and broker try to deliver a message.
 *
 * <pre>{@code
 * mqtt.publish("robotcell1/temperature", payload, Qos.AT_LEAST_ONCE, false);
 * Qos qos = Qos.of(2); // EXACTLY_ONCE
 * }</pre>
 */
public enum Qos {
    /** QoS 0: delivered at most once, no acknowledgement; the message may be lost. */
    AT_MOST_ONCE(0),
    /** QoS 1: delivered at least once, acknowledged; the receiver may see duplicates. */
    AT_LEAST_ONCE(1),
    /** QoS 2: delivered exactly once through a four-step handshake; the most expensive level. */
    EXACTLY_ONCE(2);

    private static final Qos[] BY_VALUE = values();

    private final int value;

    Qos(int value) {
        this.value = value;
    }

    /**
     * Returns the number MQTT uses on the wire for this level.
     *
     * @return 0, 1 or 2
     */
    public int value() {
        return value;
    }

    /**
     * Returns the level for its wire number.
     *
     * @param value 0, 1 or 2
     * @return the matching level
     * @throws IllegalArgumentException if {@code value} is not 0, 1 or 2
     */
    public static Qos of(int value) {
        if (value < 0 || value >= BY_VALUE.length) {
            throw new IllegalArgumentException("QoS [" + value + "] must be 0, 1 or 2.");
        }
        return BY_VALUE[value];
    }

    /**
     * Returns the lower of two levels, as a broker does when a subscription's QoS caps a message's QoS.
     *
     * @param other the other level
     * @return the lower of {@code this} and {@code other}
     */
    public Qos min(Qos other) {
        return value <= other.value ? this : other;
    }

    /**
     * Returns the higher of two levels.
     *
     * @param other the other level
     * @return the higher of {@code this} and {@code other}
     */
    public Qos max(Qos other) {
        return value >= other.value ? this : other;
    }
}
