package dev.mqttkit;

import dev.mqttkit.topic.TopicFilter;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What the request builders ({@link PublishRequest}, {@link SubscribeRequest} and their typed forms) send their
 * requests to: the client's connection, not the facade.
 */
interface RequestTarget {

    /**
     * Publishes a payload this client owns (freshly encoded or copied, so not copied again).
     *
     * @param topic a valid topic name
     * @param payload the payload
     * @param qos the QoS
     * @param retain whether the broker keeps it
     * @return completes when the broker has it
     */
    CompletableFuture<Void> send(String topic, byte[] payload, Qos qos, boolean retain);

    /**
     * Adds a listener, subscribing at the broker when the filter needs it.
     *
     * @param filter the filter
     * @param qos the QoS asked for
     * @param listener the listener
     * @return the subscription
     */
    Subscription listen(TopicFilter filter, Qos qos, MessageListener listener);

    /**
     * The QoS of requests that set none.
     *
     * @return the builder's default QoS
     */
    Qos defaultQos();

    /** A topic or filter argument as text, {@code what} naming it when it is {@code null}. */
    static String name(CharSequence topic, String what) {
        return Objects.requireNonNull(topic, what).toString();
    }

    /** A filter argument as a {@link TopicFilter}, checked. */
    static TopicFilter filter(CharSequence topicFilter) {
        Objects.requireNonNull(topicFilter, "topicFilter");
        return topicFilter instanceof TopicFilter filter ? filter : TopicFilter.of(topicFilter.toString());
    }
}
