package dev.mqttkit.internal;

import java.io.InterruptedIOException;

/**
 * What the socket reader asks and tells before Paho reads an incoming PUBLISH: it waits until the listeners have
 * room for it, and it names a new QoS 2 message's packet id.
 */
@FunctionalInterface
public interface ReceiveGate {

    /** A gate that never waits. */
    ReceiveGate OPEN = () -> { };

    /**
     * Returns once there is room for another message.
     *
     * @throws InterruptedIOException when the reader is interrupted while waiting
     */
    void awaitRoom() throws InterruptedIOException;

    /**
     * Told of every QoS 2 PUBLISH without the DUP flag, a first transmission, before Paho reads it: from now on
     * its packet id names this new message.
     *
     * @param packetId the packet identifier
     */
    default void newQos2Message(int packetId) {
    }
}
