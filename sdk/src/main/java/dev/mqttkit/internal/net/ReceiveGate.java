package dev.mqttkit.internal.net;

import java.io.InterruptedIOException;

/**
 * Backpressure for incoming messages: the socket reader asks it before Paho reads the next PUBLISH, and waits
 * until the listeners have room for it.
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
}
