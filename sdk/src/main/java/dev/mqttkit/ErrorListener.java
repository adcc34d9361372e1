package dev.mqttkit;

/**
 * The error hook: told about every exception thrown while delivering a message, so nothing fails unseen.
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
     * Called when a listener or notifier threw while handling {@code message}.
     *
     * @param message the message being delivered (the raw message, whatever the listener made of it)
     * @param error what was thrown
     */
    void onError(Message message, Throwable error);
}
