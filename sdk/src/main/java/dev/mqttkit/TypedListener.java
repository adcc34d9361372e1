package dev.mqttkit;

/**
 * Receives decoded messages of a typed subscription.
 *
 * <pre>{@code
 * mqtt.subscribeWith(TEMPERATURE).listen(message ->
 *         log.info("sensor {} reads {}", message.parameter("id"), message.value()));
 * }</pre>
 *
 * <p>Runs like a {@link MessageListener}: on the client's dispatch thread, in arrival order; it may block and
 * publish. It is not called for a payload the codec cannot decode: that goes to the {@link ErrorListener} as a
 * {@link PayloadDecodingException}.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface TypedListener<T> {

    /**
     * Called for each message that matches and decodes.
     *
     * @param message the decoded message with its topic parameters
     * @throws Exception anything; it is logged and reported to the {@link ErrorListener}
     */
    void onMessage(TypedMessage<T> message) throws Exception;
}
