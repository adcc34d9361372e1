package dev.mqttkit;

import dev.mqttkit.topic.TypedTopic;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A publish to a {@link TypedTopic}, from {@link MyMqtt#publishWith(TypedTopic)}: name the template's parameters,
 * then {@link #send(Object) send} the value.
 *
 * <pre>{@code
 * mqtt.publishWith(TEMPERATURE)               // sensor/{id}/temperature, doubles
 *         .parameter("id", "1234")
 *         .retain(true)
 *         .send(21.5);                        // sensor/1234/temperature: "21.5"
 * }</pre>
 *
 * <p>The value goes last and has the topic's type, so it cannot be swapped with a parameter. Unset, the QoS is
 * the client's default and the message is not retained. A builder: not thread-safe.
 *
 * @param <T> the value type of the topic
 */
public final class TypedPublishRequest<T> {

    private final RequestTarget client;
    private final TypedTopic<T> topic;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private Qos qos;
    private boolean retain;

    TypedPublishRequest(RequestTarget client, TypedTopic<T> topic) {
        this.client = client;
        this.topic = topic;
    }

    /**
     * Sets one of the template's parameters.
     *
     * @param name the parameter's name, as in the template ({@code id} for {@code sensor/{id}/temperature})
     * @param value its value for this message: one level, no {@code /}, {@code +} or {@code #}
     * @return this request
     * @throws IllegalArgumentException when the template has no such parameter, or it was set already
     */
    public TypedPublishRequest<T> parameter(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!topic.template().parameterNames().contains(name)) {
            throw new IllegalArgumentException("Topic template [" + topic.template() + "] has no parameter {" + name
                    + "}; its parameters are " + topic.template().parameterNames() + ".");
        }
        if (parameters.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("Topic template [" + topic.template() + "]: parameter {" + name
                    + "} given twice.");
        }
        return this;
    }

    /**
     * Sets several parameters at once.
     *
     * @param values the values by parameter name
     * @return this request
     * @throws IllegalArgumentException as {@link #parameter(String, String)}
     */
    public TypedPublishRequest<T> parameters(Map<String, String> values) {
        Objects.requireNonNull(values, "values").forEach(this::parameter);
        return this;
    }

    /**
     * Sets the QoS.
     *
     * @param qos the quality of service
     * @return this request
     */
    public TypedPublishRequest<T> qos(Qos qos) {
        this.qos = Objects.requireNonNull(qos, "qos");
        return this;
    }

    /**
     * Sets the retain flag.
     *
     * @param retain {@code true} to have the broker keep the message as the topic's last one
     * @return this request
     */
    public TypedPublishRequest<T> retain(boolean retain) {
        this.retain = retain;
        return this;
    }

    /**
     * Publishes the value to the topic the parameters name.
     *
     * @param value the value, encoded by the topic's codec
     * @return completes when the broker acknowledged it (QoS 1/2) or it was written (QoS 0)
     * @throws IllegalArgumentException when a parameter is missing
     * @throws InvalidTopicException when a parameter value breaks the topic rules
     * @throws IllegalStateException when the client is not started
     */
    public CompletableFuture<Void> send(T value) {
        String name = topic.template().topic(parameters).toString();
        return client.send(name, topic.codec().encode(value), qos == null ? client.defaultQos() : qos, retain);
    }
}
