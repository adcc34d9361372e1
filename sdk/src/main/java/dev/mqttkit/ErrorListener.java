package dev.mqttkit;

/**
 * The error hook: told about every exception thrown while delivering a message, and about errors that have no
 * caller to throw to (a subscription the broker refused when the client restored it after a reconnect), so
 * nothing fails unseen.
 *
 * <pre>{@code
 * MyMqtt mqtt = MyMqtt.builder()
 *         .serverUri("tcp://localhost:1883")
 *         .errorListener((message, error) -> metrics.count("mqtt.listener.errors"))
 *         .build();
 * }</pre>
 *
 * <p>The client logs each such error at ERROR level (with the topic) before calling this hook. The hook runs
 * on the dispatch thread right after the listener that failed; an exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface ErrorListener {

    /**
     * Called when a listener or notifier threw while handling {@code message}, or with a {@code null} message
     * for an error of the client itself (a {@link SubscriptionRefusedException} after a reconnect).
     *
     * @param message the message being delivered (the raw message, whatever the listener made of it), or
     *     {@code null}
     * @param error what was thrown
     */
    void onError(Message message, Throwable error);
}
