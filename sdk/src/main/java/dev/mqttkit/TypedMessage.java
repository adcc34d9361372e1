package dev.mqttkit;

import java.util.Map;
import java.util.Objects;

/**
 * A received message with its decoded payload and, for a template subscription, the topic's parameters.
 *
 * <pre>{@code
 * // subscribed to sensor/{id}/temperature, received sensor/1234/temperature with payload 21.5
 * message.value();            // 21.5
 * message.parameter("id");    // "1234"
 * message.topic();            // "sensor/1234/temperature"
 * message.message().qos();    // the raw message
 * }</pre>
 *
 * @param message the raw message
 * @param value the decoded payload
 * @param parameters the template parameters taken from the topic; empty for a plain filter
 * @param <T> the payload type
 */
public record TypedMessage<T>(Message message, T value, Map<String, String> parameters) {

    /**
     * Creates a typed message.
     *
     * @param message the raw message
     * @param value the decoded payload
     * @param parameters the template parameters
     */
    public TypedMessage {
        Objects.requireNonNull(message, "message");
        parameters = Map.copyOf(parameters);
    }

    /**
     * Returns the topic the message was published to.
     *
     * @return the topic
     */
    public String topic() {
        return message.topic();
    }

    /**
     * Returns one template parameter.
     *
     * @param name the parameter name, as in {@code {id}}
     * @return its value in this message's topic
     * @throws IllegalArgumentException when the template has no such parameter
     */
    public String parameter(String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("No topic parameter {" + name + "} in message on [" + message.topic()
                    + "]; parameters are " + parameters.keySet() + ".");
        }
        return value;
    }
}
