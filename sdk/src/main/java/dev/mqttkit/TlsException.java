package dev.mqttkit;

/**
 * The TLS connection to the broker failed, or the TLS settings cannot be loaded: the message says which in plain
 * words (the broker's certificate is not signed by a trusted CA, does not name the host, the broker wants a client
 * certificate, a key is in a format that needs converting).
 *
 * <pre>{@code
 * try {
 *     mqtt.start();
 * } catch (TlsException e) {
 *     log.error("TLS to {} failed: {}", e.serverUri(), e.getMessage());
 * }
 * }</pre>
 */
public class TlsException extends ConnectionException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param serverUri the broker's URI
     * @param message what went wrong, in plain words
     * @param cause the TLS or certificate failure, or {@code null}
     */
    public TlsException(String serverUri, String message, Throwable cause) {
        super(serverUri, message, cause);
    }
}
