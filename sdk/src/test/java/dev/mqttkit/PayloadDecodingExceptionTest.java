package dev.mqttkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.codec.PayloadCodecs;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadDecodingExceptionTest {

    private static final String TOPIC = "robotcell1/temperature";

    private static PayloadDecodingException exception(byte[] payload, Throwable cause) {
        return new PayloadDecodingException(TOPIC, Double.class, payload, cause);
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------------
    // message
    // ------------------------------------------------------------------------------------------------------

    @Test
    void getMessage_textPayload_namesTopicTypeReasonSizeAndPreview() {
        PayloadDecodingException e = exception("abc".getBytes(UTF_8),
                new NumberFormatException("For input string: \"abc\""));

        assertThat(e).hasMessage("Payload on [robotcell1/temperature] is not a valid java.lang.Double: "
                + "For input string: \"abc\"; payload (3 bytes): \"abc\"");
    }

    @Test
    void getMessage_largePayload_formatsSizeWithThousandsSeparator() {
        PayloadDecodingException e = exception("x".repeat(1_234).getBytes(UTF_8), new IllegalArgumentException("bad"));

        assertThat(e).hasMessage("Payload on [robotcell1/temperature] is not a valid java.lang.Double: bad; "
                + "payload (1,234 bytes): \"" + "x".repeat(64) + "\"...");
    }

    @Test
    void getMessage_emptyPayload_saysEmpty() {
        PayloadDecodingException e = exception(new byte[0], new NumberFormatException("empty payload, expected a "
                + "number"));

        assertThat(e).hasMessage("Payload on [robotcell1/temperature] is not a valid java.lang.Double: empty payload, "
                + "expected a number; payload (0 bytes): (empty)");
    }

    @Test
    void getMessage_binaryPayload_showsHex() {
        PayloadDecodingException e = new PayloadDecodingException("raw", byte[].class, bytes(0xCA, 0xFE),
                new IllegalStateException("no"));

        assertThat(e).hasMessage("Payload on [raw] is not a valid byte[]: no; payload (2 bytes): 0xcafe");
    }

    @Test
    void getMessage_topicWithControlCharacter_quotesTopicButAccessorKeepsIt() {
        PayloadDecodingException e = new PayloadDecodingException("a\nb", String.class, "x".getBytes(UTF_8),
                new IllegalArgumentException("r"));

        assertThat(e).hasMessage("Payload on [a\\u000Ab] is not a valid java.lang.String: r; payload (1 byte): \"x\"");
        assertThat(e.topic()).isEqualTo("a\nb");
    }

    @Test
    void getMessage_genericTargetType_usesTypeName() {
        Type listOfStrings = new ArrayList<String>() {
            private static final long serialVersionUID = 1L;
        }.getClass().getGenericSuperclass();

        PayloadDecodingException e = new PayloadDecodingException("t", listOfStrings, "[".getBytes(UTF_8),
                new IllegalArgumentException("unexpected end"));

        assertThat(e.targetType()).isEqualTo("java.util.ArrayList<java.lang.String>");
        assertThat(e).hasMessage("Payload on [t] is not a valid java.util.ArrayList<java.lang.String>: unexpected "
                + "end; payload (1 byte): \"[\"");
    }

    @Test
    void getMessage_realCodecFailure_carriesCodecReason() {
        byte[] payload = "warm".getBytes(UTF_8);
        Exception cause = decodeFailure(payload);

        PayloadDecodingException e = new PayloadDecodingException(TOPIC, PayloadCodecs.doubles().type(), payload,
                cause);

        assertThat(e).hasMessage("Payload on [robotcell1/temperature] is not a valid java.lang.Double: "
                + "[warm] is not a number; payload (4 bytes): \"warm\"");
        assertThat(e).hasCause(cause);
    }

    private static Exception decodeFailure(byte[] payload) {
        try {
            PayloadCodecs.doubles().decode(payload);
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("decoding [" + new String(payload, UTF_8) + "] should fail");
    }

    // ------------------------------------------------------------------------------------------------------
    // reason
    // ------------------------------------------------------------------------------------------------------

    @Test
    void reason_multiLineCauseMessage_keepsFirstLineOnly() {
        PayloadDecodingException e = exception("{".getBytes(UTF_8),
                new IllegalArgumentException("Unexpected end-of-input\n at [Source: (byte[])\"{\"; line: 1]\nmore"));

        assertThat(e.reason()).isEqualTo("Unexpected end-of-input");
        assertThat(e).hasMessage("Payload on [robotcell1/temperature] is not a valid java.lang.Double: "
                + "Unexpected end-of-input; payload (1 byte): \"{\"");
    }

    @Test
    void reason_firstLineWithSurroundingSpaces_isStripped() {
        PayloadDecodingException e = exception("x".getBytes(UTF_8), new IllegalArgumentException("  padded  \nrest"));

        assertThat(e.reason()).isEqualTo("padded");
    }

    @Test
    void reason_windowsLineEnding_dropsCarriageReturn() {
        PayloadDecodingException e = exception("x".getBytes(UTF_8), new IllegalArgumentException("first\r\nsecond"));

        assertThat(e.reason()).isEqualTo("first");
    }

    @Test
    void reason_singleLineMessage_isKeptWhole() {
        PayloadDecodingException e = exception("x".getBytes(UTF_8), new IllegalArgumentException("just one line"));

        assertThat(e.reason()).isEqualTo("just one line");
    }

    @Test
    void reason_causeWithNullMessage_usesSimpleClassName() {
        PayloadDecodingException e = exception("x".getBytes(UTF_8), new NumberFormatException());

        assertThat(e.reason()).isEqualTo("NumberFormatException");
        assertThat(e).hasMessage("Payload on [robotcell1/temperature] is not a valid java.lang.Double: "
                + "NumberFormatException; payload (1 byte): \"x\"");
    }

    @Test
    void reason_causeWithBlankMessage_usesSimpleClassName() {
        PayloadDecodingException e = exception("x".getBytes(UTF_8), new IllegalStateException(" \n\t"));

        assertThat(e.reason()).isEqualTo("IllegalStateException");
    }

    // ------------------------------------------------------------------------------------------------------
    // preview
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> textPreviews() {
        return Stream.of(
                Arguments.of("21.5", "\"21.5\""),
                Arguments.of(" ", "\" \""),
                Arguments.of("température 東京 😀", "\"température 東京 😀\""),
                Arguments.of("a\nb", "\"a\\u000Ab\""),
                Arguments.of("\r\n", "\"\\u000D\\u000A\""),
                Arguments.of("tab\there", "\"tab\\u0009here\""),
                Arguments.of("nul\u0000", "\"nul\\u0000\""),
                Arguments.of("del\u007f", "\"del\\u007F\""),
                Arguments.of("esc\u001b[0m", "\"esc\\u001B[0m\""),
                Arguments.of("quote\"inside", "\"quote\"inside\""),
                Arguments.of("x".repeat(64), "\"" + "x".repeat(64) + "\""),
                Arguments.of("x".repeat(65), "\"" + "x".repeat(64) + "\"..."),
                Arguments.of("y".repeat(300), "\"" + "y".repeat(64) + "\"..."),
                Arguments.of("é".repeat(64), "\"" + "é".repeat(64) + "\""),
                Arguments.of("é".repeat(65), "\"" + "é".repeat(64) + "\"..."),
                Arguments.of("€".repeat(85), "\"" + "€".repeat(64) + "\"..."),
                Arguments.of("\n".repeat(65), "\"" + "\\u000A".repeat(64) + "\"..."));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("textPreviews")
    void preview_utf8Text_isQuotedEscapedAndCut(String text, String expected) {
        assertThat(PayloadDecodingException.preview(text.getBytes(UTF_8))).isEqualTo(expected);
    }

    @Test
    void preview_emptyPayload_saysEmpty() {
        assertThat(PayloadDecodingException.preview(new byte[0])).isEqualTo("(empty)");
    }

    static Stream<Arguments> binaryPreviews() {
        byte[] thirtyTwo = new byte[32];
        Arrays.fill(thirtyTwo, (byte) 0xFF);
        byte[] thirtyThree = new byte[33];
        Arrays.fill(thirtyThree, (byte) 0xFF);
        byte[] textThenBad = Arrays.copyOf("abc".getBytes(UTF_8), 4);
        textThenBad[3] = (byte) 0xFF;
        byte[] longTextThenBad = Arrays.copyOf("z".repeat(40).getBytes(UTF_8), 41);
        longTextThenBad[40] = (byte) 0x80;
        return Stream.of(
                Arguments.of(bytes(0xFF), "0xff"),
                Arguments.of(bytes(0xC3, 0x28), "0xc328"),
                Arguments.of(bytes(0xCA, 0xFE, 0xBA, 0xBE), "0xcafebabe"),
                Arguments.of(textThenBad, "0x616263ff"),
                Arguments.of(thirtyTwo, "0x" + "ff".repeat(32)),
                Arguments.of(thirtyThree, "0x" + "ff".repeat(32) + "..."),
                Arguments.of(longTextThenBad, "0x" + "7a".repeat(32) + "..."));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("binaryPreviews")
    void preview_invalidUtf8_showsAtMost32BytesAsHex(byte[] payload, String expected) {
        assertThat(PayloadDecodingException.preview(payload)).isEqualTo(expected);
    }

    @Test
    void preview_payload_isNotModified() {
        byte[] payload = "a\nb".getBytes(UTF_8);

        PayloadDecodingException.preview(payload);

        assertThat(payload).isEqualTo("a\nb".getBytes(UTF_8));
    }

    @Test
    void preview_validUtf8CutInsideCharacterAt256Bytes_isStillText() {
        byte[] payload = ("ab" + "€".repeat(100)).getBytes(UTF_8);

        assertThat(PayloadDecodingException.preview(payload)).isEqualTo("\"ab" + "€".repeat(62) + "\"...");
    }

    @Test
    void preview_cutInsideSurrogatePair_hasNoLoneSurrogate() {
        byte[] payload = ("a" + "😀".repeat(80)).getBytes(UTF_8);

        String preview = PayloadDecodingException.preview(payload);

        assertThat(preview.codePoints().filter(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE))
                .isEmpty();
        assertThat(preview).isEqualTo("\"a" + "😀".repeat(63) + "\"...");
    }

    // ------------------------------------------------------------------------------------------------------
    // accessors
    // ------------------------------------------------------------------------------------------------------

    @Test
    void accessors_constructed_returnParts() {
        NumberFormatException cause = new NumberFormatException("For input string: \"hot\"");

        PayloadDecodingException e = exception("hot\n".getBytes(UTF_8), cause);

        assertThat(e.topic()).isEqualTo(TOPIC);
        assertThat(e.targetType()).isEqualTo("java.lang.Double");
        assertThat(e.reason()).isEqualTo("For input string: \"hot\"");
        assertThat(e.preview()).isEqualTo("\"hot\\u000A\"");
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e).isInstanceOf(MqttKitException.class).isInstanceOf(RuntimeException.class);
    }

    @Test
    void targetType_arrayClass_usesTypeName() {
        PayloadDecodingException e = new PayloadDecodingException("t", int[].class, new byte[] {1},
                new IllegalArgumentException("x"));

        assertThat(e.targetType()).isEqualTo("int[]");
    }

    @Test
    void preview_accessor_equalsStaticPreview() {
        byte[] payload = bytes(0x00, 0xFF, 0x10);

        PayloadDecodingException e = exception(payload, new IllegalArgumentException("x"));

        assertThat(e.preview()).isEqualTo(PayloadDecodingException.preview(payload)).isEqualTo("0x00ff10");
    }

    @Test
    void reason_messageStartingWithNewline_usesFirstLineWithText() {
        PayloadDecodingException e = exception("x".getBytes(UTF_8), new IllegalArgumentException("\n\n  real reason\nmore"));
        assertThat(e.reason()).isEqualTo("real reason");
    }

    @Test
    void reason_anonymousCauseWithoutMessage_usesClassName() {
        Exception anonymous = new Exception() { };
        PayloadDecodingException e = exception("x".getBytes(UTF_8), anonymous);
        assertThat(e.reason()).isEqualTo(anonymous.getClass().getName());
    }

    @Test
    void preview_c1ControlCharacter_escaped() {
        assertThat(PayloadDecodingException.preview("a\u0085b".getBytes(UTF_8))).isEqualTo("\"a\\u0085b\"");
    }
}
