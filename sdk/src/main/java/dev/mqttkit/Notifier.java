package dev.mqttkit;

/**
 * The course's notifier: receives every message as a topic and raw payload bytes.
 *
 * <p>It is the Java twin of the Python {@code notifier.notify(msg.topic, msg.payload)} callback of the lab's
 * {@code MyMQTT} class:
 *
 * <pre>{@code
 * MyMqtt mqtt = new MyMqtt("led-1", "localhost", 1883,
 *         (topic, payload) -> log.info("{} {}", topic, new String(payload, UTF_8)));
 * mqtt.start();
 * mqtt.subscribe("led");
 * }</pre>
 *
 * <p>It runs on the client's dispatch thread (never on Paho's network thread), one message at a time, in
 * arrival order. It may block, and it may publish and wait for the publish to complete. While it runs, no
 * other message of this client is delivered.
 */
@FunctionalInterface
public interface Notifier {

    /**
     * Called for each message delivered to the notifier.
     *
     * @param topic the topic the message was published to
     * @param payload the payload bytes; the array is the notifier's own
     */
    void notify(String topic, byte[] payload);
}
