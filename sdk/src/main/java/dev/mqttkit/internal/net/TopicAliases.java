package dev.mqttkit.internal.net;

import java.nio.ByteBuffer;
import java.util.Base64;
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

    /** An alias that carries its topic, in base64url. */
    private static final String SELF_PREFIX = PREFIX + "b/";
    private static final int SELF = SELF_PREFIX.length();
    /** A numbered alias, restored from {@link #numbered}. */
    private static final String SEQUENCE = PREFIX + "n/";
    private static final int MAX_TOPIC_BYTES = 65_535;

    private final Map<String, Restored> numbered = new ConcurrentHashMap<>();
    /** Payloads routed beside an alias for speed, with the connection they came on. */
    private final Map<String, Routed> routed = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong connection = new AtomicLong();

    private record Routed(Restored restored, long connection) {
    }

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
     * The length of the alias {@link #alias} gives a topic, without making it.
     *
     * @param utf8 the real topic's bytes
     * @return the alias's length in bytes
     */
    static int aliasLength(byte[] utf8) {
        int encoded = SELF + (utf8.length + 2) / 3 * 4;
        return encoded <= MAX_TOPIC_BYTES ? encoded : SEQUENCE.length() + 20;
    }

    /**
     * Returns the alias of a topic Paho cannot read: ASCII, and for any topic up to ~49,000 bytes the topic itself in
     * base64url after {@link #PREFIX}, so that the name survives in a message Paho persisted (the file store keeps
     * the PUBLISH as Paho read it) and a restarted process restores it. Longer topics get a numbered alias that only
     * this instance can restore.
     *
     * @param utf8 the real topic's bytes
     * @return the alias's bytes, ASCII
     */
    byte[] alias(byte[] utf8) {
        String encoded = SELF_PREFIX + Base64.getUrlEncoder().encodeToString(utf8);
        if (encoded.length() <= MAX_TOPIC_BYTES) {
            return encoded.getBytes(StandardCharsets.US_ASCII);
        }
        return numbered(utf8, null);
    }

    /**
     * Registers a message whose payload is handed over beside its alias (the PUBLISH with the alias in its place
     * would be longer than MQTT allows) and returns the alias.
     *
     * @param utf8 the real topic's bytes
     * @param payload the message's payload
     * @return the alias's bytes, ASCII
     */
    byte[] aliasWithPayload(byte[] utf8, byte[] payload) {
        return numbered(utf8, payload);
    }

    /**
     * Registers a QoS 0 or 1 message whose payload goes beside its alias to spare Paho's byte-by-byte copy, and
     * returns the alias. Such a message that Paho never hands over (its connection ended first: Paho drops what it
     * had queued, and the broker sends a QoS 1 message again) is forgotten two connections later.
     *
     * @param utf8 the real topic's bytes
     * @param payload the message's payload
     * @return the alias's bytes, ASCII
     */
    byte[] routePayload(byte[] utf8, byte[] payload) {
        String alias = SEQUENCE + sequence.incrementAndGet();
        routed.put(alias, new Routed(new Restored(text(utf8), payload, false), connection.get()));
        return alias.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A new connection's reader starts: payloads routed on connections before the last one can no longer be handed
     * over (Paho clears its queue when a connection starts), so they are dropped.
     */
    void newConnection() {
        long now = connection.incrementAndGet();
        if (!routed.isEmpty()) {
            routed.values().removeIf(entry -> entry.connection() < now - 1);
        }
    }

    private byte[] numbered(byte[] utf8, byte[] payload) {
        String alias = SEQUENCE + sequence.incrementAndGet();
        numbered.put(alias, new Restored(text(utf8), payload, false));
        return alias.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A topic as the broker sent it, decoded; bytes that are not UTF-8 (which MQTT forbids) lossily.
     *
     * @param utf8 the topic's bytes on the wire
     * @return its text
     */
    static String decodeLossily(byte[] utf8) {
        for (byte b : utf8) {
            if (b < 0) {
                return text(utf8);
            }
        }
        return new String(utf8, StandardCharsets.US_ASCII);
    }

    private static String text(byte[] utf8) {
        String real = decode(utf8);
        // not UTF-8, which MQTT forbids: deliver it under its lossy decoding rather than not at all
        return real != null ? real : new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * A topic as Paho delivered it, restored: the real name, and the payload when it came beside the alias.
     *
     * @param topic the real topic, or the alias when it cannot be restored
     * @param payload the payload handed over beside the alias, or {@code null}: the message's own
     * @param lost whether this is an alias whose real name is gone: a numbered alias of an earlier process, found in
     *     a message its file store kept
     */
    public record Restored(String topic, byte[] payload, boolean lost) {
    }

    /**
     * Returns the real name of a topic Paho delivered (forgetting a numbered alias), and a payload handed over
     * beside it.
     *
     * @param topic the name Paho delivered
     * @return the real topic and payload
     */
    public Restored restore(String topic) {
        if (!topic.startsWith(PREFIX)) {
            return new Restored(topic, null, false);
        }
        if (topic.startsWith(SELF_PREFIX)) {
            try {
                return new Restored(text(Base64.getUrlDecoder().decode(topic.substring(SELF_PREFIX.length()))), null,
                        false);
            } catch (IllegalArgumentException notBase64) {
                return new Restored(topic, null, true);
            }
        }
        Routed fast = routed.remove(topic);
        if (fast != null) {
            return fast.restored();
        }
        Restored restored = numbered.remove(topic);
        return restored != null ? restored : new Restored(topic, null, true);
    }

    /**
     * How many aliases wait for their message to be delivered.
     *
     * @return the count
     */
    int pending() {
        return numbered.size() + routed.size();
    }
}
