package dev.mqttkit.codec;

import dev.mqttkit.PayloadCodecException;
import java.lang.reflect.Type;

/**
 * Turns values of one type into MQTT payload bytes and back.
 *
 * <pre>{@code
 * PayloadCodec<Double> celsius = PayloadCodecs.doubles();
 * mqtt.publish("robotcell1/temperature", 21.5, celsius);               // payload "21.5"
 * mqtt.subscribeWith().filter("robotcell1/temperature").decode(celsius).listen(message -> use(message.value()));
 * double value = celsius.decode(payload);                               // no checked exception to catch
 * }</pre>
 *
 * <p>Implementations must be thread-safe. Both directions fail the same way: with an unchecked
 * {@link PayloadCodecException} whose message says what was wrong. For a payload a typed listener cannot read,
 * the client then reports a {@link dev.mqttkit.PayloadDecodingException} to the error hook (naming the topic,
 * {@link #type()} and the reason) and does not call the listener.
 *
 * @param <T> the value type
 */
public interface PayloadCodec<T> {

    /**
     * Encodes a value.
     *
     * @param value the value; {@code null} only if the codec says it accepts it
     * @return the payload bytes: a new array, which the client keeps without copying
     * @throws PayloadCodecException when the value cannot be encoded; the message should say why
     */
    byte[] encode(T value);

    /**
     * Decodes a payload.
     *
     * @param payload the payload bytes; shared with other listeners of the message, so the codec must not
     *     modify them
     * @return the value
     * @throws PayloadCodecException when the payload is not a valid encoding; the message should say why
     */
    T decode(byte[] payload);

    /**
     * Returns the type this codec produces, for error messages.
     *
     * @return the value type
     */
    Type type();
}
