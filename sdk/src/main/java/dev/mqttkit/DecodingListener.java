package dev.mqttkit;

import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.internal.Logs;
import dev.mqttkit.topic.TopicTemplate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * A typed listener behind a plain one: decodes each payload with a codec and, for a template, takes the topic's
 * parameters. A payload that does not decode becomes a {@link PayloadDecodingException} for the error listener;
 * a topic that fits the filter but not the template ({@code systemcomponent{n}} subscribes with {@code +}) is
 * skipped.
 *
 * @param <T> the value type
 */
final class DecodingListener<T> implements MessageListener {

    private static final Logger LOG = Logs.get(DecodingListener.class);

    private final PayloadCodec<T> codec;
    private final TopicTemplate template;
    private final TypedListener<T> listener;

    DecodingListener(PayloadCodec<T> codec, TopicTemplate template, TypedListener<T> listener) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.template = template;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void onMessage(Message message) throws Exception {
        Map<String, String> parameters = Map.of();
        if (template != null) {
            Optional<Map<String, String>> match = template.match(message.topic());
            if (match.isEmpty()) {
                LOG.debug("Topic [{}] matches the filter {} but not the template {}", message.topic(),
                        template.filter(), template);
                return;
            }
            parameters = match.get();
        }
        T value;
        try {
            value = codec.decode(message.payloadArray());
        } catch (RuntimeException e) {
            throw new PayloadDecodingException(message.topic(), codec.type(), message.payloadArray(), e);
        }
        listener.onMessage(new TypedMessage<>(message, value, parameters));
    }
}
