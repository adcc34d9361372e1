package dev.mqttkit.internal.net;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stand-in names for topics that Paho cannot decode, so that one message cannot kill its receive thread.
 *
 * <p>Paho 1.2.5 refuses, while decoding a PUBLISH, every topic with a control character (U+0000 to U+001F,
 * U+007F to U+009F), a surrogate (so every character outside the Basic Multilingual Plane: emoji, many CJK
 * characters) or a character from U+FDD0 up (full-width forms among them), and its receive thread dies of the
 * exception while the client still reports itself connected. Such topics are legal MQTT and any client on the
 * broker may publish them. {@link InboundTopicStream} gives each one an ASCII alias before Paho reads it, and
 * the session restores the real name before the message reaches a listener.
 *
 * <p>Topics that start with the alias prefix are aliased too, so a name Paho hands over is an alias exactly
 * when it starts with the prefix. One instance per client; thread-safe.
 */
public final class TopicAliases {

    /** Starts every alias; a real topic that starts so is aliased as well. */
    static final String PREFIX = "\u0020mqttkit-alias/"; // a leading space: legal, and no sane topic has it

    private final Map<String, String> realTopics = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * Tells whether Paho 1.2.5 can decode a topic, from its UTF-8 bytes.
     *
     * @param utf8 the topic as it is on the wire
     * @return {@code false} when Paho would refuse it, or it is not valid UTF-8
     */
    static boolean pahoCanRead(byte[] utf8) {
        if (startsWithPrefix(utf8)) {
            return false;
        }
        boolean ascii = true;
        for (byte b : utf8) {
            if (b < 0) {
                ascii = false;
            } else if (b < 0x20 || b == 0x7f) {
                return false;
            }
        }
        return ascii || pahoCanRead(decode(utf8));
    }

    private static boolean pahoCanRead(String topic) {
        if (topic == null) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f || Character.isSurrogate(c) || c >= 0xfdd0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithPrefix(byte[] utf8) {
        byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
        if (utf8.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (utf8[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The topic as text; {@code null} when the bytes are not valid UTF-8. */
    static String decode(byte[] utf8) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    /**
     * Registers a topic Paho cannot read and returns its alias.
     *
     * @param utf8 the real topic's bytes
     * @return the alias's bytes, ASCII
     */
    byte[] alias(byte[] utf8) {
        String real = decode(utf8);
        if (real == null) {
            // not UTF-8, which MQTT forbids: deliver it under its lossy decoding rather than not at all
            real = new String(utf8, StandardCharsets.UTF_8);
        }
        String alias = PREFIX + sequence.incrementAndGet();
        realTopics.put(alias, real);
        return alias.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Returns the real name of a topic Paho delivered, forgetting the alias.
     *
     * @param topic the name Paho delivered
     * @return the real topic
     */
    public String restore(String topic) {
        if (!topic.startsWith(PREFIX)) {
            return topic;
        }
        String real = realTopics.remove(topic);
        return real != null ? real : topic;
    }

    /**
     * How many aliases wait for their message to be delivered.
     *
     * @return the count
     */
    int pending() {
        return realTopics.size();
    }
}
