package dev.mqttkit;

/**
 * The broker refused the connection because of bad credentials or because the client is not authorised.
 * Retrying with the same configuration will not help.
 *
 * <pre>{@code
 * try {
 *     mqtt.start();
 * } catch (NotAuthorizedException e) {
 *     System.err.println("check the user name and password for " + e.serverUri());
 * }
 * }</pre>
 */
public class NotAuthorizedException extends MqttKitException {

    private static final long serialVersionUID = 1L;

    private final String serverUri;

    /**
     * Creates an exception.
     *
     * @param serverUri the broker's URI
     * @param message what went wrong; names the URI and the broker's return code
     * @param cause the underlying failure, or {@code null}
     */
    public NotAuthorizedException(String serverUri, String message, Throwable cause) {
        super(message, cause);
        this.serverUri = serverUri;
    }

    /**
     * Returns the URI of the broker that refused the connection.
     *
     * @return for example {@code tcp://localhost:1883}
     */
    public String serverUri() {
        return serverUri;
    }
}
