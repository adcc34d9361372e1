package dev.mqttkit.topic;

import dev.mqttkit.codec.PayloadCodec;
import java.util.Objects;

/**
 * A topic template bound to a payload codec: one declaration for both sides of a conversation.
 *
 * <pre>{@code
 * static final TypedTopic<Double> TEMPERATURE =
 *         TopicTemplate.of("sensor/{id}/temperature").typed(PayloadCodecs.doubles());
 *
 * sensor.publishWith(TEMPERATURE).parameter("id", "1234").send(21.5);   // payload "21.5" to sensor/1234/temperature
 * dashboard.subscribeWith(TEMPERATURE).listen(message ->           // subscribes to sensor/+/temperature
 *         show(message.parameter("id"), message.value()));        // "1234", 21.5
 * }</pre>
 *
 * @param <T> the payload type
 */
public final class TypedTopic<T> {

    private final TopicTemplate template;
    private final PayloadCodec<T> codec;

    TypedTopic(TopicTemplate template, PayloadCodec<T> codec) {
        this.template = Objects.requireNonNull(template, "template");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Binds a template, given as text, to a codec.
     *
     * @param template for example {@code sensor/{id}/temperature}; a template without parameters is a plain topic
     * @param codec the payload codec
     * @param <T> the payload type
     * @return the typed topic
     */
    public static <T> TypedTopic<T> of(String template, PayloadCodec<T> codec) {
        return new TypedTopic<>(TopicTemplate.of(template), codec);
    }

    /**
     * Returns the template.
     *
     * @return the template
     */
    public TopicTemplate template() {
        return template;
    }

    /**
     * Returns the codec.
     *
     * @return the codec
     */
    public PayloadCodec<T> codec() {
        return codec;
    }

    /**
     * Returns the filter that subscribes to every topic of the template.
     *
     * @return the filter
     */
    public TopicFilter filter() {
        return template.filter();
    }

    @Override
    public String toString() {
        return template + " <-> " + codec.type().getTypeName();
    }
}
