package dev.mqttkit;

import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.internal.TopicRules;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A publish with every option, from {@link MyMqtt#publishWith()}: set what you need, then {@link #send()}.
 *
 * <pre>{@code
 * mqtt.publishWith()
 *         .topic("robotcell1/temperature")
 *         .value(21.5, PayloadCodecs.doubles())
 *         .qos(Qos.AT_LEAST_ONCE)
 *         .retain(true)
 *         .send()
 *         .join();
 * }</pre>
 *
 * <p>Unset, the QoS is the client's default and the message is not retained; the topic and a payload are
 * required. A request is a builder for one message: not thread-safe, and each {@link #send()} publishes again.
 * Bad values fail in the call that sets them.
 */
public final class PublishRequest {

    private final RequestTarget client;
    private String topic;
    private byte[] payload;
    private Qos qos;
    private boolean retain;

    PublishRequest(RequestTarget client) {
        this.client = client;
    }

    /**
     * Sets the topic.
     *
     * @param topic the topic name, a {@code String} or a {@link dev.mqttkit.topic.Topic}; no wildcards
     * @return this request
     * @throws InvalidTopicException when the topic is not a valid topic name
     */
    public PublishRequest topic(CharSequence topic) {
        this.topic = TopicRules.checkTopicName(RequestTarget.name(topic, "topic"));
        return this;
    }

    /**
     * Sets the payload to these bytes (copied).
     *
     * @param payload the bytes
     * @return this request
     */
    public PublishRequest payload(byte[] payload) {
        this.payload = Objects.requireNonNull(payload, "payload").clone();
        return this;
    }

    /**
     * Sets the payload to text, as UTF-8.
     *
     * @param text the text
     * @return this request
     * @throws PayloadCodecException when the text has an unpaired surrogate
     */
    public PublishRequest text(String text) {
        this.payload = PayloadCodecs.utf8().encode(Objects.requireNonNull(text, "text"));
        return this;
    }

    /**
     * Sets the payload to a value encoded by a codec.
     *
     * @param value the value
     * @param codec turns it into bytes
     * @param <T> the value type
     * @return this request
     */
    public <T> PublishRequest value(T value, PayloadCodec<T> codec) {
        this.payload = Objects.requireNonNull(codec, "codec").encode(value);
        return this;
    }

    /**
     * Sets the QoS.
     *
     * @param qos the quality of service
     * @return this request
     */
    public PublishRequest qos(Qos qos) {
        this.qos = Objects.requireNonNull(qos, "qos");
        return this;
    }

    /**
     * Sets the retain flag.
     *
     * @param retain {@code true} to have the broker keep the message as the topic's last one
     * @return this request
     */
    public PublishRequest retain(boolean retain) {
        this.retain = retain;
        return this;
    }

    /**
     * Publishes the message.
     *
     * @return completes when the broker acknowledged it (QoS 1/2) or it was written (QoS 0)
     * @throws IllegalStateException when the topic or the payload is missing, or the client is not started
     * @throws PayloadTooLargeException when the payload exceeds {@link MyMqtt#MAX_PAYLOAD_BYTES}
     */
    public CompletableFuture<Void> send() {
        if (topic == null) {
            throw new IllegalStateException("PublishRequest is missing the topic: call topic(...) before send().");
        }
        if (payload == null) {
            throw new IllegalStateException("PublishRequest to [" + TopicRules.quote(topic) + "] is missing the "
                    + "payload: call payload(...), text(...) or value(...) before send().");
        }
        return client.send(topic, payload, qos == null ? client.defaultQos() : qos, retain);
    }
}
