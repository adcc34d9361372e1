package dev.mqttkit;

/**
 * A topic name or topic filter breaks an MQTT rule. The message quotes the value and names the rule:
 * {@code Topic filter [a/#/b] must have '#' only as the last level, found at index 2.}
 *
 * <pre>{@code
 * try {
 *     mqtt.publish("sensor/+/temperature", "21");
 * } catch (InvalidTopicException e) {
 *     // Topic [sensor/+/temperature] must not contain the wildcard '+', found at index 7; wildcards are
 *     // only allowed in topic filters.
 * }
 * }</pre>
 */
public class InvalidTopicException extends MqttKitException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message the value and the rule it breaks
     */
    public InvalidTopicException(String message) {
        super(message);
    }
}
