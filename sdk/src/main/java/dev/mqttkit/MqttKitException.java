package dev.mqttkit;

/**
 * The base of every exception mqttkit throws or completes a future with. Unchecked.
 *
 * <p>Catch a subclass for what you can do about it:
 * <ul>
 *   <li>{@link ConnectionException}: the broker cannot be reached or the connection is down; retry later;</li>
 *   <li>{@link NotAuthorizedException}: bad credentials or not allowed; fix the configuration;</li>
 *   <li>{@link InvalidTopicException}, {@link PayloadTooLargeException}: a programming error in the call;</li>
 *   <li>{@link SubscriptionRefusedException}: the broker refused a subscription (ACL, shared subscriptions);</li>
 *   <li>{@link OperationTimeoutException}: the broker did not answer in time.</li>
 * </ul>
 */
public class MqttKitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, naming the value and the rule
     */
    public MqttKitException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public MqttKitException(String message, Throwable cause) {
        super(message, cause);
    }
}
