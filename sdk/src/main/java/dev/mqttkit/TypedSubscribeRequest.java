package dev.mqttkit;

import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.topic.TopicFilter;
import dev.mqttkit.topic.TopicTemplate;
import java.util.Objects;

/**
 * A subscription whose listener gets decoded values, from {@link MyMqtt#subscribeWith(dev.mqttkit.topic.TypedTopic)}
 * or {@link SubscribeRequest#decode(PayloadCodec)}.
 *
 * <pre>{@code
 * mqtt.subscribeWith(TEMPERATURE)                       // sensor/{id}/temperature, doubles
 *         .qos(Qos.AT_LEAST_ONCE)
 *         .listen(message -> show(message.parameter("id"), message.value()));
 * }</pre>
 *
 * <p>A payload that does not decode never reaches the listener: the error hook gets a
 * {@link PayloadDecodingException}. For a typed topic, the listener gets only the topics that fit its template,
 * with their parameters. A builder: not thread-safe.
 *
 * @param <T> the value type
 */
public final class TypedSubscribeRequest<T> {

    private final RequestTarget client;
    private final TopicFilter filter;
    private final PayloadCodec<T> codec;
    private final TopicTemplate template;
    private Qos qos;

    TypedSubscribeRequest(RequestTarget client, TopicFilter filter, PayloadCodec<T> codec, TopicTemplate template) {
        this.client = client;
        this.filter = filter;
        this.codec = codec;
        this.template = template;
    }

    TypedSubscribeRequest<T> qosIfSet(Qos qos) {
        this.qos = qos;
        return this;
    }

    /**
     * Sets the maximum QoS to receive at.
     *
     * @param qos the quality of service
     * @return this request
     */
    public TypedSubscribeRequest<T> qos(Qos qos) {
        this.qos = Objects.requireNonNull(qos, "qos");
        return this;
    }

    /**
     * Subscribes the listener.
     *
     * @param listener called with each decoded message, on the client's dispatch thread
     * @return the subscription; close it to remove this listener
     * @throws SubscriptionRefusedException when the broker refuses the filter
     */
    public Subscription listen(TypedListener<T> listener) {
        return client.listen(filter, qos == null ? client.defaultQos() : qos,
                new DecodingListener<>(codec, template, listener));
    }
}
