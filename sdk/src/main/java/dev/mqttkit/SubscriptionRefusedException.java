package dev.mqttkit;

/**
 * The broker answered a SUBSCRIBE with the failure return code (0x80), for example because an ACL does not
 * allow the client to read the filter.
 *
 * <pre>{@code
 * try {
 *     mqtt.subscribe("secret/#", listener);
 * } catch (SubscriptionRefusedException e) {
 *     log.warn("not allowed to read {}", e.filter());
 * }
 * }</pre>
 */
public class SubscriptionRefusedException extends MqttKitException {

    private static final long serialVersionUID = 1L;

    private final String filter;

    /**
     * Creates an exception.
     *
     * @param filter the refused topic filter
     * @param message the filter and the broker that refused it
     */
    public SubscriptionRefusedException(String filter, String message) {
        super(message);
        this.filter = filter;
    }

    /**
     * Returns the topic filter the broker refused.
     *
     * @return the filter
     */
    public String filter() {
        return filter;
    }
}
