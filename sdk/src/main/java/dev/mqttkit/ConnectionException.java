package dev.mqttkit;

/**
 * The broker could not be reached, refused the connection for a reason other than authorisation, or the
 * connection is down. Retrying later may help.
 *
 * <pre>{@code
 * try {
 *     mqtt.start();
 * } catch (ConnectionException e) {
 *     log.warn("broker {} is down: {}", e.serverUri(), e.getMessage());
 * }
 * }</pre>
 */
public class ConnectionException extends MqttKitException {

    private static final long serialVersionUID = 1L;

    private final String serverUri;

    /**
     * Creates an exception.
     *
     * @param serverUri the broker's URI
     * @param message what went wrong; names the URI and the reason
     * @param cause the underlying failure, or {@code null}
     */
    public ConnectionException(String serverUri, String message, Throwable cause) {
        super(message, cause);
        this.serverUri = serverUri;
    }

    /**
     * Returns the URI of the broker concerned.
     *
     * @return for example {@code tcp://localhost:1883}
     */
    public String serverUri() {
        return serverUri;
    }
}
