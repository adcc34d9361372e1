package dev.mqttkit.internal;

import java.io.InterruptedIOException;

/** Lets the socket reader wait, before it reads the next packet, until the listeners have room for it. */
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
