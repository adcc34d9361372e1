package dev.mqttkit;

/**
 * A {@link dev.mqttkit.codec.PayloadCodec} could not encode a value or decode a payload.
 *
 * <pre>{@code
 * try {
 *     double value = PayloadCodecs.doubles().decode(payload);
 * } catch (PayloadCodecException e) {
 *     log.warn("Not a temperature: {}", e.getMessage());   // [warm] is not a number
 * }
 * }</pre>
 *
 * <p>Thrown by codecs called directly. When a typed listener's payload does not decode, the client reports a
 * {@link PayloadDecodingException} (with the topic and a preview) to the error hook instead, with this as its
 * cause. When {@code publish} cannot encode a value, this propagates from the {@code publish} call.
 */
public class PayloadCodecException extends MqttKitException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong with the value or payload
     * @param cause what the codec's parser or writer threw, or {@code null}
     */
    public PayloadCodecException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Wraps what a codec's parser or writer threw, keeping its message.
     *
     * @param cause the parser's or writer's exception
     * @return the exception, or {@code cause} itself when it is one already
     */
    public static PayloadCodecException wrap(Throwable cause) {
        if (cause instanceof PayloadCodecException codec) {
            return codec;
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new PayloadCodecException(message, cause);
    }
}
