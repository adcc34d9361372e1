package dev.mqttkit.internal.net;

import java.io.InterruptedIOException;

/**
 * Backpressure for incoming messages: the socket reader asks it before it passes the next message to Paho, and
 * holds messages back, or waits, while the listeners have no room.
 */
public interface ReceiveGate {

    /** A gate that never waits. */
    ReceiveGate OPEN = new ReceiveGate() {
        @Override
        public boolean hasRoom() {
            return true;
        }

        @Override
        public void awaitRoom() {
        }
    };

    /**
     * Tells, without waiting, whether the listeners have room for another message.
     *
     * @return {@code true} when a message may go to Paho now
     */
    boolean hasRoom();

    /**
     * Returns once there is room for another message.
     *
     * @throws InterruptedIOException when the reader is interrupted while waiting
     */
    void awaitRoom() throws InterruptedIOException;

    /**
     * Tells whether a QoS 1 message waits in line for its listeners, so that the acknowledgement due now may go
     * out together with its acknowledgement, in one write ({@link PacketOutput}).
     *
     * @return {@code true} when another acknowledgement is on its way; {@code false} (the default) sends each one
     *     at once
     */
    default boolean acknowledgementFollows() {
        return false;
    }
}
