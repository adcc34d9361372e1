package dev.mqttkit.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.PayloadCodecException;
import java.lang.reflect.Type;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.MalformedInputException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadCodecsTest {

    private static byte[] ascii(String text) {
        return text.getBytes(UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    static Stream<byte[]> malformedUtf8() {
        return Stream.of(
                bytes(0xC3, 0x28), // 2-byte start followed by ASCII
                bytes(0x80), // lone continuation byte
                bytes(0xC0, 0xAF), // overlong encoding of '/'
                bytes(0xED, 0xA0, 0x80), // encoded surrogate U+D800
                bytes(0xFF), // never valid
                bytes(0x34, 0x32, 0xE2, 0x82)); // "42" then a truncated 3-byte sequence
    }

    // ------------------------------------------------------------------------------------------------------
    // bytes
    // ------------------------------------------------------------------------------------------------------

    @Test
    void bytesEncode_array_returnsCopy() {
        byte[] value = bytes(1, 2, 3);

        byte[] encoded = PayloadCodecs.bytes().encode(value);
        value[0] = 9;

        assertThat(encoded).isNotSameAs(value).containsExactly(1, 2, 3);
    }

    @Test
    void bytesDecode_payload_returnsCopyAndLeavesPayloadAlone() throws Exception {
        byte[] payload = bytes(0, 0xFF, 0x7F);

        byte[] decoded = PayloadCodecs.bytes().decode(payload);
        decoded[0] = 5;

        assertThat(payload).containsExactly(0, 0xFF, 0x7F);
        assertThat(decoded).isNotSameAs(payload).containsExactly(5, 0xFF, 0x7F);
    }

    @Test
    void bytes_emptyPayload_roundTrips() throws Exception {
        assertThat(PayloadCodecs.bytes().decode(PayloadCodecs.bytes().encode(new byte[0]))).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------
    // utf8
    // ------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "hello", "température 東京 😀", "line1\nline2\u0000", "€"})
    void utf8_text_roundTrips(String text) throws Exception {
        byte[] encoded = PayloadCodecs.utf8().encode(text);

        assertThat(encoded).isEqualTo(text.getBytes(UTF_8));
        assertThat(PayloadCodecs.utf8().decode(encoded)).isEqualTo(text);
    }

    @Test
    void utf8Encode_nonAscii_usesUtf8Bytes() {
        assertThat(PayloadCodecs.utf8().encode("é€")).containsExactly(0xC3, 0xA9, 0xE2, 0x82, 0xAC);
    }

    @ParameterizedTest
    @MethodSource("malformedUtf8")
    void utf8Decode_malformed_throwsInsteadOfReplacing(byte[] payload) {
        assertThatThrownBy(() -> PayloadCodecs.utf8().decode(payload))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(MalformedInputException.class);
    }

    // ------------------------------------------------------------------------------------------------------
    // longs, integers
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> longCases() {
        return Stream.of(
                Arguments.of("42", 42L),
                Arguments.of("-7", -7L),
                Arguments.of("+7", 7L),
                Arguments.of("0", 0L),
                Arguments.of(" 7 ", 7L),
                Arguments.of("\t7\r\n", 7L),
                Arguments.of("007", 7L),
                Arguments.of("9223372036854775807", Long.MAX_VALUE),
                Arguments.of("-9223372036854775808", Long.MIN_VALUE));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("longCases")
    void longsDecode_decimalText_returnsValue(String text, long expected) throws Exception {
        assertThat(PayloadCodecs.longs().decode(ascii(text))).isEqualTo(expected);
    }

    static Stream<Arguments> invalidLongs() {
        return Stream.of(
                Arguments.of("", "empty payload, expected a number"),
                Arguments.of(" \t\n", "empty payload, expected a number"),
                Arguments.of("9223372036854775808", "For input string: \"9223372036854775808\""),
                Arguments.of("-9223372036854775809", "For input string: \"-9223372036854775809\""),
                Arguments.of("42.0", "For input string: \"42.0\""),
                Arguments.of("4 2", "For input string: \"4 2\""),
                Arguments.of("1e3", "For input string: \"1e3\""),
                Arguments.of("abc", "For input string: \"abc\""),
                Arguments.of("0x10", "For input string: \"0x10\""));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("invalidLongs")
    void longsDecode_notAWholeNumber_throwsNumberFormatException(String text, String message) {
        assertThatThrownBy(() -> PayloadCodecs.longs().decode(ascii(text)))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(NumberFormatException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @MethodSource("malformedUtf8")
    void longsDecode_malformedUtf8_throwsCodingException(byte[] payload) {
        assertThatThrownBy(() -> PayloadCodecs.longs().decode(payload))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(CharacterCodingException.class);
    }

    @Test
    void longsEncode_value_writesDecimalText() {
        assertThat(new String(PayloadCodecs.longs().encode(42L), UTF_8)).isEqualTo("42");
        assertThat(new String(PayloadCodecs.longs().encode(-7L), UTF_8)).isEqualTo("-7");
        assertThat(new String(PayloadCodecs.longs().encode(Long.MIN_VALUE), UTF_8))
                .isEqualTo("-9223372036854775808");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(longs = {0, 1, -1, 42, Long.MAX_VALUE, Long.MIN_VALUE})
    void longs_value_roundTrips(long value) throws Exception {
        assertThat(PayloadCodecs.longs().decode(PayloadCodecs.longs().encode(value))).isEqualTo(value);
    }

    static Stream<Arguments> integerCases() {
        return Stream.of(
                Arguments.of("42", 42),
                Arguments.of(" -7\n", -7),
                Arguments.of("2147483647", Integer.MAX_VALUE),
                Arguments.of("-2147483648", Integer.MIN_VALUE));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("integerCases")
    void integersDecode_decimalText_returnsValue(String text, int expected) throws Exception {
        assertThat(PayloadCodecs.integers().decode(ascii(text))).isEqualTo(expected);
    }

    static Stream<Arguments> invalidIntegers() {
        return Stream.of(
                Arguments.of("", "empty payload, expected a number"),
                Arguments.of("2147483648", "For input string: \"2147483648\""),
                Arguments.of("-2147483649", "For input string: \"-2147483649\""),
                Arguments.of("7.5", "For input string: \"7.5\""));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("invalidIntegers")
    void integersDecode_notAnInt_throwsNumberFormatException(String text, String message) {
        assertThatThrownBy(() -> PayloadCodecs.integers().decode(ascii(text)))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(NumberFormatException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(ints = {0, 42, -7, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void integers_value_roundTrips(int value) throws Exception {
        byte[] encoded = PayloadCodecs.integers().encode(value);

        assertThat(new String(encoded, UTF_8)).isEqualTo(Integer.toString(value));
        assertThat(PayloadCodecs.integers().decode(encoded)).isEqualTo(value);
    }

    // ------------------------------------------------------------------------------------------------------
    // doubles
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> doubleCases() {
        return Stream.of(
                // what Python's str(float) / paho publish sends
                Arguments.of("75.27719645201488", 75.27719645201488),
                Arguments.of("75.27", 75.27),
                Arguments.of("3", 3.0),
                Arguments.of("3.0", 3.0),
                Arguments.of("-2.5", -2.5),
                Arguments.of("1e+16", 1e16),
                Arguments.of("1e-07", 1e-7),
                Arguments.of("-0.0", -0.0),
                Arguments.of("nan", Double.NaN),
                Arguments.of("inf", Double.POSITIVE_INFINITY),
                Arguments.of("-inf", Double.NEGATIVE_INFINITY),
                // other spellings Python's float() reads
                Arguments.of("+inf", Double.POSITIVE_INFINITY),
                Arguments.of("INF", Double.POSITIVE_INFINITY),
                Arguments.of("-nan", Double.NaN),
                Arguments.of(".5", 0.5),
                Arguments.of("1.", 1.0),
                Arguments.of("1E3", 1000.0),
                Arguments.of(" 21.5\n", 21.5),
                // Java's spellings
                Arguments.of("NaN", Double.NaN),
                Arguments.of("Infinity", Double.POSITIVE_INFINITY),
                Arguments.of("+Infinity", Double.POSITIVE_INFINITY),
                Arguments.of("-Infinity", Double.NEGATIVE_INFINITY),
                Arguments.of("1.0E16", 1e16));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("doubleCases")
    void doublesDecode_pythonOrJavaText_returnsValue(String text, double expected) throws Exception {
        assertThat(PayloadCodecs.doubles().decode(ascii(text))).isEqualTo(Double.valueOf(expected));
    }

    static Stream<Arguments> invalidDoubles() {
        return Stream.of(
                Arguments.of("0x1p3", "[0x1p3] is not a number"),
                Arguments.of("0x10", "[0x10] is not a number"),
                Arguments.of("1d", "[1d] is not a number"),
                Arguments.of("1.5f", "[1.5f] is not a number"),
                Arguments.of("1,5", "[1,5] is not a number"),
                Arguments.of("1_000.5", "[1_000.5] is not a number"),
                Arguments.of("abc", "[abc] is not a number"),
                Arguments.of("infinite", "[infinite] is not a number"),
                Arguments.of("", "empty payload, expected a number"),
                Arguments.of("  \n", "empty payload, expected a number"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("invalidDoubles")
    void doublesDecode_notPythonFloatText_throwsNumberFormatException(String text, String message) {
        assertThatThrownBy(() -> PayloadCodecs.doubles().decode(ascii(text)))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(NumberFormatException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {".", "1e", "e5", "--1", "1.2.3", "+-1"})
    void doublesDecode_malformedNumber_throwsNumberFormatException(String text) {
        assertThatThrownBy(() -> PayloadCodecs.doubles().decode(ascii(text)))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(NumberFormatException.class);
    }

    static Stream<Arguments> doubleEncodings() {
        return Stream.of(
                Arguments.of(75.27, "75.27"),
                Arguments.of(3.0, "3.0"),
                Arguments.of(-2.5, "-2.5"),
                Arguments.of(75.27719645201488, "75.27719645201488"),
                Arguments.of(Double.NaN, "nan"),
                Arguments.of(Double.POSITIVE_INFINITY, "inf"),
                Arguments.of(Double.NEGATIVE_INFINITY, "-inf"),
                Arguments.of(-0.0, "-0.0"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("doubleEncodings")
    void doublesEncode_value_writesPythonReadableText(double value, String expected) throws Exception {
        byte[] encoded = PayloadCodecs.doubles().encode(value);

        assertThat(new String(encoded, UTF_8)).isEqualTo(expected);
        assertThat(PayloadCodecs.doubles().decode(encoded)).isEqualTo(Double.valueOf(value));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(doubles = {1e16, 1e-7, Double.MAX_VALUE, Double.MIN_VALUE, 0.1, 123456789.123})
    void doubles_value_roundTripsExactly(double value) throws Exception {
        byte[] encoded = PayloadCodecs.doubles().encode(value);

        assertThat(PayloadCodecs.doubles().decode(encoded)).isEqualTo(Double.valueOf(value));
    }

    // ------------------------------------------------------------------------------------------------------
    // booleans
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> booleanCases() {
        return Stream.of(
                Arguments.of("True", true),
                Arguments.of("true", true),
                Arguments.of("1", true),
                Arguments.of(" True\n", true),
                Arguments.of("False", false),
                Arguments.of("false", false),
                Arguments.of("0", false),
                Arguments.of("\tfalse ", false));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("booleanCases")
    void booleansDecode_acceptedSpelling_returnsValue(String text, boolean expected) throws Exception {
        assertThat(PayloadCodecs.booleans().decode(ascii(text))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"yes", "TRUE", "no", "2", "t", "on"})
    void booleansDecode_otherText_throwsNamingAcceptedSpellings(String text) {
        assertThatThrownBy(() -> PayloadCodecs.booleans().decode(ascii(text)))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessage("[" + text + "] is not a boolean; expected True, False, true, false, 1 or 0");
    }

    @Test
    void booleansDecode_yes_throwsExactMessage() {
        assertThatThrownBy(() -> PayloadCodecs.booleans().decode(ascii("yes")))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessage("[yes] is not a boolean; expected True, False, true, false, 1 or 0");
    }

    @Test
    void booleansDecode_empty_throwsWithEmptyQuote() {
        assertThatThrownBy(() -> PayloadCodecs.booleans().decode(new byte[0]))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessage("[] is not a boolean; expected True, False, true, false, 1 or 0");
    }

    @ParameterizedTest
    @MethodSource("malformedUtf8")
    void booleansDecode_malformedUtf8_throwsCodingException(byte[] payload) {
        assertThatThrownBy(() -> PayloadCodecs.booleans().decode(payload))
                .isInstanceOf(PayloadCodecException.class).hasCauseInstanceOf(CharacterCodingException.class);
    }

    @Test
    void booleansEncode_value_writesPythonSpelling() throws Exception {
        assertThat(new String(PayloadCodecs.booleans().encode(true), UTF_8)).isEqualTo("True");
        assertThat(new String(PayloadCodecs.booleans().encode(false), UTF_8)).isEqualTo("False");
        assertThat(PayloadCodecs.booleans().decode(PayloadCodecs.booleans().encode(true))).isTrue();
        assertThat(PayloadCodecs.booleans().decode(PayloadCodecs.booleans().encode(false))).isFalse();
    }

    // ------------------------------------------------------------------------------------------------------
    // type, toString, null values
    // ------------------------------------------------------------------------------------------------------

    static Stream<Arguments> codecTypes() {
        return Stream.of(
                Arguments.of(PayloadCodecs.bytes(), byte[].class, "PayloadCodec[byte[]]"),
                Arguments.of(PayloadCodecs.utf8(), String.class, "PayloadCodec[String]"),
                Arguments.of(PayloadCodecs.longs(), Long.class, "PayloadCodec[Long]"),
                Arguments.of(PayloadCodecs.integers(), Integer.class, "PayloadCodec[Integer]"),
                Arguments.of(PayloadCodecs.doubles(), Double.class, "PayloadCodec[Double]"),
                Arguments.of(PayloadCodecs.booleans(), Boolean.class, "PayloadCodec[Boolean]"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("codecTypes")
    void type_builtInCodec_returnsValueClass(PayloadCodec<?> codec, Type expected, String name) {
        assertThat(codec.type()).isEqualTo(expected);
        assertThat(codec.toString()).isEqualTo(name);
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("codecTypes")
    @SuppressWarnings("unchecked")
    void encode_null_throwsNullPointerException(PayloadCodec<?> codec, Type type, String name) {
        PayloadCodec<Object> raw = (PayloadCodec<Object>) codec;

        assertThatNullPointerException()
                .isThrownBy(() -> raw.encode(null))
                .withMessage("value");
    }

    @Test
    void factories_calledTwice_returnSameInstance() {
        assertThat(PayloadCodecs.bytes()).isSameAs(PayloadCodecs.bytes());
        assertThat(PayloadCodecs.utf8()).isSameAs(PayloadCodecs.utf8());
        assertThat(PayloadCodecs.longs()).isSameAs(PayloadCodecs.longs());
        assertThat(PayloadCodecs.integers()).isSameAs(PayloadCodecs.integers());
        assertThat(PayloadCodecs.doubles()).isSameAs(PayloadCodecs.doubles());
        assertThat(PayloadCodecs.booleans()).isSameAs(PayloadCodecs.booleans());
    }

    @Test
    void utf8Encode_unpairedSurrogate_throwsInsteadOfReplacing() {
        assertThatThrownBy(() -> PayloadCodecs.utf8().encode("a\uD800b"))
                .isInstanceOf(PayloadCodecException.class)
                .hasMessageStartingWith("Text cannot be encoded as UTF-8: it has an unpaired surrogate");
    }
}
