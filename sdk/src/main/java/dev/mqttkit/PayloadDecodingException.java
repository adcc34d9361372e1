package dev.mqttkit;

import dev.mqttkit.internal.TopicRules;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A payload could not be decoded into the type a typed listener wants. The typed listener is not called; the
 * exception goes to the {@link ErrorListener} together with the raw {@link Message}.
 *
 * <pre>{@code
 * MyMqtt.builder().errorListener((message, error) -> {
 *     if (error instanceof PayloadDecodingException e) {
 *         log.warn("bad payload on {}: {}", e.topic(), e.reason());
 *     }
 * });
 * }</pre>
 *
 * <p>The message names the topic, the target type, the codec's reason and a short preview of the payload
 * (at most 64 characters, control characters escaped; hex when it is not UTF-8).
 */
public class PayloadDecodingException extends MqttKitException {

    private static final long serialVersionUID = 1L;
    private static final int PREVIEW_CHARS = 64;
    private static final int PREVIEW_BYTES = 32;

    private final String topic;
    private final String targetType;
    private final String reason;
    private final String preview;

    /**
     * Creates an exception.
     *
     * @param topic the topic of the message
     * @param targetType the type the payload should have become
     * @param payload the payload (only a preview is kept)
     * @param cause what the codec threw
     */
    public PayloadDecodingException(String topic, Type targetType, byte[] payload, Throwable cause) {
        this(topic, targetType.getTypeName(), reasonOf(cause), preview(payload), payload.length, cause);
    }

    private PayloadDecodingException(String topic, String targetType, String reason, String preview, int size,
            Throwable cause) {
        super("Payload on [" + TopicRules.quote(topic) + "] is not a valid " + targetType + ": " + reason
                + "; payload (" + String.format(Locale.ROOT, "%,d", size) + (size == 1 ? " byte): " : " bytes): ")
                + preview, cause);
        this.topic = topic;
        this.targetType = targetType;
        this.reason = reason;
        this.preview = preview;
    }

    private static String reasonOf(Throwable cause) {
        String message = cause.getMessage();
        if (message != null) {
            // keep the first line with text: parsers append long source excerpts after it
            for (String line : message.split("\\R")) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
        }
        String name = cause.getClass().getSimpleName();
        return name.isEmpty() ? cause.getClass().getName() : name;
    }

    /**
     * Renders the start of a payload safely: UTF-8 text with control characters escaped, or hex.
     *
     * @param payload the payload
     * @return the preview
     */
    static String preview(byte[] payload) {
        if (payload.length == 0) {
            return "(empty)";
        }
        // decode a bounded prefix, ending on a character boundary (never inside a multi-byte sequence)
        int limit = Math.min(payload.length, PREVIEW_CHARS * 4);
        while (limit < payload.length && limit > 0 && (payload[limit] & 0xC0) == 0x80) {
            limit--;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload, 0, limit))
                    .toString();
            StringBuilder out = new StringBuilder();
            int shown = 0;
            int i = 0;
            while (i < text.length() && shown < PREVIEW_CHARS) {
                int c = text.codePointAt(i);
                if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                    out.append(String.format(Locale.ROOT, "\\u%04X", c));
                } else {
                    out.appendCodePoint(c);
                }
                i += Character.charCount(c);
                shown++;
            }
            boolean cut = i < text.length() || limit < payload.length;
            return "\"" + out + "\"" + (cut ? "..." : "");
        } catch (CharacterCodingException notText) {
            int shown = Math.min(payload.length, PREVIEW_BYTES);
            return "0x" + HexFormat.of().formatHex(payload, 0, shown) + (shown < payload.length ? "..." : "");
        }
    }

    /**
     * Returns the topic of the message.
     *
     * @return the topic
     */
    public String topic() {
        return topic;
    }

    /**
     * Returns the name of the type the payload should have become.
     *
     * @return for example {@code com.example.Reading}
     */
    public String targetType() {
        return targetType;
    }

    /**
     * Returns the codec's reason, first line only.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    /**
     * Returns the safe preview of the payload.
     *
     * @return the preview, quoted text or hex
     */
    public String preview() {
        return preview;
    }
}
