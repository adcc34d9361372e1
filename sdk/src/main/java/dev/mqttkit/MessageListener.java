package dev.mqttkit;

/**
 * Receives the messages of one subscription.
 *
 * <pre>{@code
 * mqtt.subscribe("house/+/lights/+", Qos.AT_LEAST_ONCE,
 *         message -> log.info("{} is now {}", message.topic(), message.payloadAsString()));
 * }</pre>
 *
 * <p>Listeners run on the client's dispatch thread, never on Paho's network thread: one message at a time, in
 * arrival order. A listener may block, publish at any QoS and wait for that publish to complete. A QoS 1 or 2
 * message is acknowledged to the broker only after every listener it matched has returned, so a crash while
 * processing means the broker delivers it again (to a durable session), not that it is lost.
 *
 * <p>A listener that throws does not disconnect the client and does not stop the other listeners: the
 * exception is logged with the topic and passed to the {@link ErrorListener}.
 */
@FunctionalInterface
public interface MessageListener {

    /**
     * Called for each message that matches the listener's topic filter.
     *
     * @param message the message
     * @throws Exception anything; it is logged and reported to the {@link ErrorListener}
     */
    void onMessage(Message message) throws Exception;
}
