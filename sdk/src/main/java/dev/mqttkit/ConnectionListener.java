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
     * @param reconnect {@code true} when this is an automatic reconnect after a lost connection
     */
    default void onConnected(String serverUri, boolean reconnect) {
    }

    /**
     * Called when the connection dropped without {@link MyMqtt#stop()} being called.
     *
     * @param serverUri the broker's URI
     * @param cause why the connection was lost
     */
    default void onConnectionLost(String serverUri, Throwable cause) {
    }
}
