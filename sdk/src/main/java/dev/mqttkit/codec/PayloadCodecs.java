package dev.mqttkit.codec;

import dev.mqttkit.PayloadCodecException;
import java.lang.reflect.Type;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The built-in codecs: raw bytes, UTF-8 text, and numbers and booleans as text, the way Python's paho client
 * publishes them ({@code publish(topic, 75.27)} sends the bytes {@code 75.27}).
 *
 * <pre>{@code
 * mqtt.publish("robotcell1/temperature", 75.27, PayloadCodecs.doubles());
 * mqtt.subscribeWith().filter("robotcell1/temperature").decode(PayloadCodecs.doubles())
 *         .listen(message -> average.add(message.value()));
 * }</pre>
 */
public final class PayloadCodecs {

    private static final PayloadCodec<byte[]> BYTES = new SimpleCodec<>(byte[].class, byte[]::clone, byte[]::clone);
    private static final PayloadCodec<String> UTF8 = new SimpleCodec<>(String.class, PayloadCodecs::strictUtf8Bytes,
            PayloadCodecs::strictUtf8);
    private static final PayloadCodec<Long> LONGS = new SimpleCodec<>(Long.class, PayloadCodecs::text,
            payload -> Long.parseLong(numberText(payload)));
    private static final PayloadCodec<Integer> INTEGERS = new SimpleCodec<>(Integer.class, PayloadCodecs::text,
            payload -> Integer.parseInt(numberText(payload)));
    private static final PayloadCodec<Double> DOUBLES = new SimpleCodec<>(Double.class, PayloadCodecs::doubleText,
            PayloadCodecs::parseDouble);
    private static final PayloadCodec<Boolean> BOOLEANS = new SimpleCodec<>(Boolean.class,
            value -> (value ? "True" : "False").getBytes(StandardCharsets.US_ASCII), PayloadCodecs::parseBoolean);

    private PayloadCodecs() {
    }

    /**
     * The payload as it is: bytes in, bytes out (copied both ways).
     *
     * @return the codec
     */
    public static PayloadCodec<byte[]> bytes() {
        return BYTES;
    }

    /**
     * UTF-8 text. Decoding rejects malformed UTF-8 instead of replacing it.
     *
     * @return the codec
     */
    public static PayloadCodec<String> utf8() {
        return UTF8;
    }

    /**
     * Whole numbers as decimal text ({@code 42}, {@code -7}), as Python's {@code publish(topic, 42)} sends them.
     *
     * @return the codec
     */
    public static PayloadCodec<Long> longs() {
        return LONGS;
    }

    /**
     * Whole numbers that fit an {@code int}, as decimal text.
     *
     * @return the codec
     */
    public static PayloadCodec<Integer> integers() {
        return INTEGERS;
    }

    /**
     * Floating-point numbers as text, as Python's {@code publish(topic, 75.27)} sends them. Decoding accepts
     * Python's spellings ({@code 75.27}, {@code 1e+16}, {@code 3}, {@code nan}, {@code inf}, {@code -inf}) and
     * Java's ({@code NaN}, {@code Infinity}); encoding writes {@code 75.27}, {@code 3.0}, {@code nan}, {@code inf}
     * and {@code -inf}, which Python's {@code float()} reads back.
     *
     * @return the codec
     */
    public static PayloadCodec<Double> doubles() {
        return DOUBLES;
    }

    /**
     * Booleans as Python writes them, {@code True} and {@code False}; decoding also accepts {@code true},
     * {@code false}, {@code 1} and {@code 0}.
     *
     * @return the codec
     */
    public static PayloadCodec<Boolean> booleans() {
        return BOOLEANS;
    }

    private static byte[] text(Object value) {
        return String.valueOf(Objects.requireNonNull(value, "value")).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] strictUtf8Bytes(String value) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(value));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new PayloadCodecException("Text cannot be encoded as UTF-8: it has an unpaired surrogate ("
                    + e.getMessage() + ").", e);
        }
    }

    private static String strictUtf8(byte[] payload) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(payload))
                .toString();
    }

    private static String numberText(byte[] payload) throws CharacterCodingException {
        String text = strictUtf8(payload).strip();
        if (text.isEmpty()) {
            throw new NumberFormatException("empty payload, expected a number");
        }
        return text;
    }

    private static byte[] doubleText(Double value) {
        double d = Objects.requireNonNull(value, "value");
        String text;
        if (Double.isNaN(d)) {
            text = "nan";
        } else if (Double.isInfinite(d)) {
            text = d > 0 ? "inf" : "-inf";
        } else {
            text = Double.toString(d);
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static Double parseDouble(byte[] payload) throws CharacterCodingException {
        String text = numberText(payload);
        switch (text.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // Java also reads hex floats and "1d"/"1f"; Python does not, so neither do we
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                throw new NumberFormatException("[" + text + "] is not a number");
            }
        }
        return Double.parseDouble(text);
    }

    private static Boolean parseBoolean(byte[] payload) throws CharacterCodingException {
        String text = strictUtf8(payload).strip();
        switch (text) {
            case "True", "true", "1":
                return Boolean.TRUE;
            case "False", "false", "0":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("[" + text + "] is not a boolean; expected True, False, true, "
                        + "false, 1 or 0");
        }
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode(byte[] payload) throws Exception;
    }

    private static final class SimpleCodec<T> implements PayloadCodec<T> {
        private final Class<T> type;
        private final Function<T, byte[]> encoder;
        private final Decoder<T> decoder;

        SimpleCodec(Class<T> type, Function<T, byte[]> encoder, Decoder<T> decoder) {
            this.type = type;
            this.encoder = encoder;
            this.decoder = decoder;
        }

        @Override
        public byte[] encode(T value) {
            Objects.requireNonNull(value, "value");
            try {
                return encoder.apply(value);
            } catch (RuntimeException e) {
                throw PayloadCodecException.wrap(e);
            }
        }

        @Override
        public T decode(byte[] payload) {
            Objects.requireNonNull(payload, "payload");
            try {
                return decoder.decode(payload);
            } catch (Exception e) {
                throw PayloadCodecException.wrap(e);
            }
        }

        @Override
        public Type type() {
            return type;
        }

        @Override
        public String toString() {
            return "PayloadCodec[" + type.getSimpleName() + "]";
        }
    }
}
