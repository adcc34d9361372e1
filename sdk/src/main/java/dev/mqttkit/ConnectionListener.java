package dev.mqttkit;

/**
 * Told when the client connects, reconnects and loses its connection.
 *
 * <pre>{@code
 * MyMqtt.builder()
 *         .serverUri("tcp://localhost:1883")
 *         .connectionListener(new ConnectionListener() {
 *             public void onConnected(String serverUri, boolean reconnect) { log.info("up: {}", serverUri); }
 *             public void onConnectionLost(String serverUri, Throwable cause) { log.warn("down", cause); }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>Both methods run on the client's dispatch thread, in order with message delivery; they should return
 * quickly. Both do nothing by default.
 */
public interface ConnectionListener {

    /**
     * Called once the broker accepted the connection and the registered subscriptions are in place.
     *
     * @param serverUri the broker's URI
     * @param reconnect {@code false} after {@link MyMqtt#start()}; {@code true} after an automatic reconnect, when
     *     {@link #onReconnected(String, boolean)} is not overridden
     */
    default void onConnected(String serverUri, boolean reconnect) {
    }

    /**
     * Called after an automatic reconnect, once the subscriptions are restored and the publishes buffered while
     * offline were handed to the connection. By default it calls {@code onConnected(serverUri, true)}.
     *
     * @param serverUri the broker's URI
     * @param sessionPresent {@code true} when the broker still had this client's durable session (its
     *     subscriptions and the QoS 1/2 messages it queued meanwhile); {@code false} when it started afresh, so
     *     messages published while the client was away are lost to it
     */
    default void onReconnected(String serverUri, boolean sessionPresent) {
        onConnected(serverUri, true);
    }

    /**
     * Called when the connection dropped without {@link MyMqtt#stop()} being called.
     *
     * @param serverUri the broker's URI
     * @param cause why the connection was lost, in plain words (a {@link ConnectionException}); with automatic
     *     reconnect on, the client is already trying again
     */
    default void onConnectionLost(String serverUri, Throwable cause) {
    }
}
