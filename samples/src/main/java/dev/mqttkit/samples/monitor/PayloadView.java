package dev.mqttkit.samples.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A payload made readable: JSON pretty-printed, a number as the number, text as text, anything else as a hex
 * dump. The page shows {@link #display()} as text (never as HTML), so a payload {@code <script>} is just text.
 *
 * @param kind what the payload looks like
 * @param display what the page shows, bounded in length
 * @param truncated whether {@code display} shows only the start of the payload
 */
record PayloadView(Kind kind, String display, boolean truncated) {

    /** What a payload looks like. */
    enum Kind {
        EMPTY, JSON, NUMBER, TEXT, BINARY;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Longest text shown; a pretty-printed JSON document may grow a few times its size. */
    static final int MAX_DISPLAY_CHARS = 16_384;
    /** Bytes a hex dump shows: enough to recognise a format, small enough to read. */
    static final int MAX_HEX_BYTES = 512;

    // numbers as Python's str(float) and str(int) write them ("75.27719645201488", "1e-05", "21"); not nan or inf
    private static final Pattern NUMBER = Pattern.compile("\\s*-?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*");
    private static final int MAX_NUMBER_CHARS = 64;
    /** A JSON object at most this long is looked into for a numeric {@code "value"} on every message. */
    private static final int MAX_VALUE_OBJECT_BYTES = 4_096;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // 21.50 stays 21.50 when pretty-printed: the page shows what was sent
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    /**
     * Describes a payload.
     *
     * @param kept the payload, or its first bytes when the store keeps only a prefix
     * @param size the payload's full size in bytes
     * @return the view
     */
    static PayloadView of(byte[] kept, int size) {
        if (size == 0) {
            return new PayloadView(Kind.EMPTY, "", false);
        }
        boolean complete = kept.length == size;
        String text = utf8(kept, complete);
        if (text == null || hasControlCharacters(text)) {
            return hex(kept, size);
        }
        if (complete && NUMBER.matcher(text).matches() && text.length() <= MAX_NUMBER_CHARS) {
            return new PayloadView(Kind.NUMBER, text.strip(), false);
        }
        if (complete && looksLikeJson(text)) {
            String pretty = pretty(text);
            if (pretty != null) {
                return bounded(Kind.JSON, pretty, false);
            }
        }
        return bounded(Kind.TEXT, text, !complete);
    }

    /**
     * The number a payload carries, for the sparkline: a number as text ({@code 21.5}, what the labs publish), or
     * the {@code "value"} of a small JSON object ({@code {"sensor": "s1", "value": 21.5}}).
     *
     * @param payload the whole payload
     * @return the number, or {@code NaN} when there is none
     */
    static double number(byte[] payload) {
        if (payload.length == 0) {
            return Double.NaN;
        }
        if (payload.length <= MAX_NUMBER_CHARS) {
            String text = new String(payload, StandardCharsets.ISO_8859_1); // digits are ASCII; others fail the match
            if (NUMBER.matcher(text).matches()) {
                return finite(Double.parseDouble(text.strip()));
            }
        }
        if (payload.length <= MAX_VALUE_OBJECT_BYTES && firstNonSpace(payload) == '{') {
            try {
                JsonNode value = JSON.readTree(payload).get("value");
                return value != null && value.isNumber() ? finite(value.doubleValue()) : Double.NaN;
            } catch (IOException notJson) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : Double.NaN;
    }

    private static int firstNonSpace(byte[] payload) {
        for (byte b : payload) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b;
            }
        }
        return -1;
    }

    private static boolean looksLikeJson(String text) {
        String start = text.stripLeading();
        return start.startsWith("{") || start.startsWith("[");
    }

    private static String pretty(String text) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(text));
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private static PayloadView bounded(Kind kind, String text, boolean truncated) {
        if (text.length() <= MAX_DISPLAY_CHARS) {
            return new PayloadView(kind, text, truncated);
        }
        int end = MAX_DISPLAY_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a character in two
        }
        return new PayloadView(kind, text.substring(0, end), true);
    }

    /** Line breaks and tabs are text; other control characters (ESC, NUL, ...) mean the bytes are not text. */
    private static boolean hasControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return true;
            }
        }
        return false;
    }

    /**
     * Decodes UTF-8 strictly; for a prefix, a character cut at the end is left out rather than taken for
     * binary data.
     */
    private static String utf8(byte[] bytes, boolean complete) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        if (decoder.decode(in, out, complete).isError()) {
            return null;
        }
        if (complete) {
            if (decoder.flush(out).isError()) {
                return null;
            }
        } else if (in.remaining() > 3) {
            return null;
        }
        return out.flip().toString();
    }

    private static PayloadView hex(byte[] kept, int size) {
        int shown = Math.min(kept.length, MAX_HEX_BYTES);
        StringBuilder dump = new StringBuilder(shown * 4 + 32);
        for (int line = 0; line < shown; line += 16) {
            if (line > 0) {
                dump.append('\n');
            }
            dump.append(String.format(Locale.ROOT, "%04x ", line));
            int end = Math.min(line + 16, shown);
            for (int i = line; i < line + 16; i++) {
                dump.append(i < end ? String.format(Locale.ROOT, " %02x", kept[i] & 0xff) : "   ");
            }
            dump.append("  ");
            for (int i = line; i < end; i++) {
                int b = kept[i] & 0xff;
                dump.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
        }
        return new PayloadView(Kind.BINARY, dump.toString(), shown < size);
    }
}
