package dev.mqttkit.internal.session;

import dev.mqttkit.Message;

/**
 * What {@link PahoSession} tells its owner. Called on Paho's callback thread: implementations hand the work
 * to another thread and return at once.
 */
public interface SessionHandler {

    /**
     * A message arrived.
     *
     * @param message the message
     * @param acknowledgement run it once the message was processed, to send PUBACK/PUBCOMP (no-op for QoS 0)
     */
    void onMessage(Message message, Runnable acknowledgement);

    /**
     * The connection dropped.
     *
     * @param cause why, already translated to an mqttkit exception
     */
    void onConnectionLost(RuntimeException cause);
}
