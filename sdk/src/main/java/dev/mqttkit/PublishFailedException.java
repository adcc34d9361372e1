package dev.mqttkit;

/**
 * A publish future failed. {@link #mayHaveArrived()} says whether the broker may have the message all the same,
 * which decides whether sending it again could make a duplicate.
 *
 * <pre>{@code
 * mqtt.publish("orders/42", json).exceptionally(error -> {
 *     if (error.getCause() instanceof PublishFailedException failed && !failed.mayHaveArrived()) {
 *         retryLater(json);            // certainly not sent: safe to send again
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <p>The cause, when there is one, is the underlying {@link ConnectionException} or
 * {@link OperationTimeoutException}.
 */
public class PublishFailedException extends MqttKitException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final boolean mayHaveArrived;

    /**
     * Creates an exception.
     *
     * @param topic the message's topic
     * @param mayHaveArrived whether the message may have reached the broker
     * @param message what happened, naming the topic and whether the message may have arrived
     * @param cause the underlying failure, or {@code null}
     */
    public PublishFailedException(String topic, boolean mayHaveArrived, String message, Throwable cause) {
        super(message, cause);
        this.topic = topic;
        this.mayHaveArrived = mayHaveArrived;
    }

    /**
     * Returns the topic of the message that failed.
     *
     * @return the topic name
     */
    public String topic() {
        return topic;
    }

    /**
     * Tells whether the broker may have received the message (it was written to the connection, but no
     * acknowledgement came back). {@code false} means it certainly was not sent.
     *
     * @return {@code true} when it may have arrived
     */
    public boolean mayHaveArrived() {
        return mayHaveArrived;
    }
}
