package dev.mqttkit;

import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.topic.TopicFilter;
import java.util.Objects;

/**
 * A subscription with every option, from {@link MyMqtt#subscribeWith()}: set the filter and what you need, then
 * {@link #listen(MessageListener) listen}, or {@link #decode(PayloadCodec) decode} first for typed messages.
 *
 * <pre>{@code
 * Subscription sub = mqtt.subscribeWith()
 *         .filter("house/+/lights/#")
 *         .qos(Qos.AT_LEAST_ONCE)
 *         .listen(message -> log.info("{}: {}", message.topic(), message.payloadAsString()));
 * }</pre>
 *
 * <p>Unset, the QoS is the client's default; the filter is required. A builder: not thread-safe. Bad values fail
 * in the call that sets them.
 */
public final class SubscribeRequest {

    private final RequestTarget client;
    private TopicFilter filter;
    private Qos qos;

    SubscribeRequest(RequestTarget client) {
        this.client = client;
    }

    /**
     * Sets the topic filter.
     *
     * @param topicFilter a {@code String} or a {@link TopicFilter}; {@code +} and {@code #} allowed
     * @return this request
     * @throws InvalidTopicException when the filter is not valid
     */
    public SubscribeRequest filter(CharSequence topicFilter) {
        this.filter = RequestTarget.filter(topicFilter);
        return this;
    }

    /**
     * Sets the maximum QoS to receive at.
     *
     * @param qos the quality of service
     * @return this request
     */
    public SubscribeRequest qos(Qos qos) {
        this.qos = Objects.requireNonNull(qos, "qos");
        return this;
    }

    /**
     * Decodes each payload with a codec: the listener then gets typed messages.
     *
     * @param codec reads the payload
     * @param <T> the value type
     * @return the typed request, with this filter and QoS
     * @throws IllegalStateException when the filter is missing
     */
    public <T> TypedSubscribeRequest<T> decode(PayloadCodec<T> codec) {
        return new TypedSubscribeRequest<T>(client, requireFilter(), Objects.requireNonNull(codec, "codec"), null)
                .qosIfSet(qos);
    }

    /**
     * Subscribes the listener.
     *
     * @param listener called for each matching message, on the client's dispatch thread
     * @return the subscription; close it to remove this listener
     * @throws IllegalStateException when the filter is missing
     * @throws SubscriptionRefusedException when the broker refuses the filter
     */
    public Subscription listen(MessageListener listener) {
        return client.listen(requireFilter(), qos == null ? client.defaultQos() : qos, listener);
    }

    private TopicFilter requireFilter() {
        if (filter == null) {
            throw new IllegalStateException("SubscribeRequest is missing the filter: call filter(...) first.");
        }
        return filter;
    }
}
