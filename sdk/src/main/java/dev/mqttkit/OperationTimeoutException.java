package dev.mqttkit;

import java.time.Duration;

/**
 * The broker did not answer within the configured timeout (connect, subscribe, unsubscribe, or waiting for
 * room in the in-flight window).
 *
 * <pre>{@code
 * try {
 *     mqtt.subscribe("slow/#", listener);
 * } catch (OperationTimeoutException e) {
 *     log.warn("no SUBACK after {}", e.timeout());
 * }
 * }</pre>
 */
public class OperationTimeoutException extends MqttKitException {

    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    /**
     * Creates an exception.
     *
     * @param timeout how long the client waited
     * @param message what timed out, naming the broker and the operation
     */
    public OperationTimeoutException(Duration timeout, String message) {
        super(message);
        this.timeout = timeout;
    }

    /**
     * Returns how long the client waited.
     *
     * @return the timeout that expired
     */
    public Duration timeout() {
        return timeout;
    }
}
