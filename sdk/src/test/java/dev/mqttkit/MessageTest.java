package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Message message(String payload) {
        return new Message("robotcell1/temperature", bytes(payload), Qos.AT_LEAST_ONCE, false, false);
    }

    @Test
    void constructor_callerMutatesPayloadArray_messageUnchanged() {
        byte[] payload = bytes("21.5");
        Message message = new Message("t", payload, Qos.AT_MOST_ONCE, false, false);

        payload[0] = 'X';

        assertThat(message.payload()).isEqualTo(bytes("21.5"));
        assertThat(message.payloadAsString()).isEqualTo("21.5");
    }

    @Test
    void payload_callerMutatesReturnedArray_messageUnchanged() {
        Message message = message("on");

        byte[] first = message.payload();
        first[0] = 'X';

        assertThat(message.payload()).isEqualTo(bytes("on"));
        assertThat(message.payloadAsString()).isEqualTo("on");
    }

    @Test
    void payload_calledTwice_returnsDistinctArrays() {
        Message message = message("on");

        assertThat(message.payload()).isNotSameAs(message.payload());
    }

    @Test
    void payloadAsString_utf8Payload_decodesUtf8() {
        String text = "Grüße, 21 °C € 😀 東京";

        Message message = message(text);

        assertThat(message.payloadAsString()).isEqualTo(text);
        assertThat(message.payloadSize()).isEqualTo(bytes(text).length);
    }

    @Test
    void constructor_nullPayload_becomesEmpty() {
        Message message = new Message("t", null, Qos.AT_MOST_ONCE, false, false);

        assertThat(message.payload()).isEmpty();
        assertThat(message.payloadAsString()).isEmpty();
        assertThat(message.payloadSize()).isZero();
    }

    @Test
    void equals_nullPayloadAndEmptyPayload_areEqual() {
        Message nullPayload = new Message("t", null, Qos.AT_MOST_ONCE, false, false);
        Message emptyPayload = new Message("t", new byte[0], Qos.AT_MOST_ONCE, false, false);

        assertThat(nullPayload).isEqualTo(emptyPayload);
        assertThat(nullPayload.hashCode()).isEqualTo(emptyPayload.hashCode());
    }

    @Test
    void constructor_nullTopic_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> new Message(null, bytes("x"), Qos.AT_MOST_ONCE, false, false))
                .withMessage("topic");
    }

    @Test
    void constructor_nullQos_throwsNullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> new Message("t", bytes("x"), null, false, false))
                .withMessage("qos");
    }

    @Test
    void accessors_anyMessage_returnConstructorValues() {
        Message message = new Message("a/b", bytes("x"), Qos.EXACTLY_ONCE, true, true);

        assertThat(message.topic()).isEqualTo("a/b");
        assertThat(message.qos()).isSameAs(Qos.EXACTLY_ONCE);
        assertThat(message.retained()).isTrue();
        assertThat(message.duplicate()).isTrue();
    }

    @Test
    void equals_sameContentInDifferentArrays_areEqualWithSameHashCode() {
        Message a = new Message("a/b", bytes("payload"), Qos.AT_LEAST_ONCE, true, false);
        Message b = new Message("a/b", bytes("payload"), Qos.AT_LEAST_ONCE, true, false);

        assertThat(a).isEqualTo(b);
        assertThat(b).isEqualTo(a);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }

    @Test
    void equals_sameInstance_isEqual() {
        Message a = message("x");

        assertThat(a).isEqualTo(a);
    }

    @Test
    void equals_anyFieldDiffers_notEqual() {
        Message base = new Message("a/b", bytes("payload"), Qos.AT_LEAST_ONCE, false, false);

        assertThat(base)
                .isNotEqualTo(new Message("a/c", bytes("payload"), Qos.AT_LEAST_ONCE, false, false))
                .isNotEqualTo(new Message("a/b", bytes("payloaD"), Qos.AT_LEAST_ONCE, false, false))
                .isNotEqualTo(new Message("a/b", bytes("payload!"), Qos.AT_LEAST_ONCE, false, false))
                .isNotEqualTo(new Message("a/b", bytes("payload"), Qos.EXACTLY_ONCE, false, false))
                .isNotEqualTo(new Message("a/b", bytes("payload"), Qos.AT_LEAST_ONCE, true, false))
                .isNotEqualTo(new Message("a/b", bytes("payload"), Qos.AT_LEAST_ONCE, false, true));
    }

    @Test
    void equals_nullOrOtherType_notEqual() {
        Message message = message("x");

        assertThat(message.equals(null)).isFalse();
        assertThat(message.equals("x")).isFalse();
    }

    @Test
    void toString_anyMessage_showsSizeNotPayload() {
        Message message = new Message("a/b", bytes("secret-token"), Qos.AT_LEAST_ONCE, true, false);

        assertThat(message.toString())
                .isEqualTo("Message[topic=a/b, payload=12 bytes, qos=1, retained=true, duplicate=false]")
                .doesNotContain("secret");
    }
}
