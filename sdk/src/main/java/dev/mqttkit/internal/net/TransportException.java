package dev.mqttkit.internal.net;

import java.io.IOException;

/**
 * A connection that mqttkit's own transport could not open (a proxy, a WebSocket upgrade), with a message that is
 * one sentence in words: what happened and what to do. Not a {@link java.net.SocketException}, so that it is never
 * taken for a broker that closed the connection.
 */
public final class TransportException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and the fix, without the broker's URI (the caller names it)
     * @param cause what the socket threw, or {@code null}
     */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
