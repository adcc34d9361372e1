package dev.mqttkit;

import java.util.Optional;

/**
 * One listener's registration on a topic filter, returned by {@code MyMqtt.subscribe(...)}.
 *
 * <pre>{@code
 * try (Subscription sub = mqtt.subscribe("chat", message -> show(message))) {
 *     runChat();
 * } // this listener is removed; other listeners on "chat" keep receiving
 * }</pre>
 *
 * <p>Several listeners may share a filter; each has its own {@code Subscription}. The broker subscription is
 * removed only when the last listener for the filter is closed.
 */
public interface Subscription extends AutoCloseable {

    /**
     * Returns the topic filter this listener is registered on.
     *
     * @return the filter, for example {@code house/+/lights/#}
     */
    String filter();

    /**
     * Returns the QoS requested for this subscription.
     *
     * @return the requested QoS
     * @see #grantedQos()
     */
    Qos qos();

    /**
     * Returns the QoS the broker granted for this subscription's filter in its last SUBACK: messages arrive at
     * no more than this. It can be lower than {@link #qos()}: some brokers (NATS, RabbitMQ) grant at most QoS 1.
     * When several listeners share a filter, the broker subscription has the highest QoS any of them asked for.
     *
     * <pre>{@code
     * Subscription sub = mqtt.subscribe("alarms/#", Qos.EXACTLY_ONCE, listener);
     * if (sub.grantedQos().orElse(Qos.EXACTLY_ONCE) != Qos.EXACTLY_ONCE) {
     *     log.warn("The broker downgraded alarms/# to {}", sub.grantedQos().get());
     * }
     * }</pre>
     *
     * @return the granted QoS; empty before the broker granted it (a subscription made before
     *     {@link MyMqtt#start()}, until it connects) and after {@link #close()}
     */
    Optional<Qos> grantedQos();

    /**
     * Tells whether the broker refused this subscription's filter (SUBACK 0x80, usually its ACL) when the
     * client subscribed it again after a reconnect. The listener stays registered and receives nothing; the
     * refusal also went to the error listener as a {@link SubscriptionRefusedException}. A refusal on
     * {@code subscribe(...)} or {@link MyMqtt#start()} is thrown instead.
     *
     * @return {@code true} when the broker's last answer for this filter was a refusal
     */
    boolean isRefused();

    /**
     * Tells whether the listener is still registered.
     *
     * @return {@code false} once {@link #close()} was called
     */
    boolean isActive();

    /**
     * Removes this listener. When it was the last listener on its filter and the client is connected, the
     * filter is unsubscribed at the broker (waiting for the broker's acknowledgement, within the operation
     * timeout). Closing twice does nothing.
     */
    @Override
    void close();
}
