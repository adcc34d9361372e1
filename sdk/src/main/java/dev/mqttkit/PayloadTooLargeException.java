package dev.mqttkit;

/**
 * A payload is larger than MQTT allows (268,435,455 bytes).
 *
 * <pre>{@code
 * try {
 *     mqtt.publish("firmware", image, Qos.AT_LEAST_ONCE, false);
 * } catch (PayloadTooLargeException e) {
 *     sendInChunks(image);
 * }
 * }</pre>
 */
public class PayloadTooLargeException extends MqttKitException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message the size, the topic and the limit
     */
    public PayloadTooLargeException(String message) {
        super(message);
    }
}
