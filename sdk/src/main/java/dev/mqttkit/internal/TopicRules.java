package dev.mqttkit.internal;

import dev.mqttkit.InvalidTopicException;
import java.util.Locale;

/**
 * The MQTT 3.1.1 rules for topic names and topic filters (§4.7): validation with messages that quote the
 * value and name the rule, and wildcard matching without allocation.
 */
public final class TopicRules {

    /** Largest UTF-8 encoded length of a topic name or filter (§1.5.3). */
    public static final int MAX_TOPIC_BYTES = 65_535;

    private static final int QUOTE_LIMIT = 60;

    private TopicRules() {
    }

    /**
     * Checks a topic name, the kind a message is published to.
     *
     * @param topic the topic name
     * @return {@code topic}
     * @throws InvalidTopicException naming the value and the rule it breaks
     * @throws NullPointerException if {@code topic} is {@code null}
     */
    public static String checkTopicName(String topic) {
        if (topic == null) {
            throw new NullPointerException("topic");
        }
        checkCommon("Topic", topic);
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                throw new InvalidTopicException("Topic [" + quote(topic) + "] must not contain the wildcard '" + c
                        + "', found at index " + i + "; wildcards are only allowed in topic filters.");
            }
        }
        return topic;
    }

    /**
     * Checks a topic filter, the kind a client subscribes to.
     *
     * @param filter the topic filter
     * @return {@code filter}
     * @throws InvalidTopicException naming the value and the rule it breaks
     * @throws NullPointerException if {@code filter} is {@code null}
     */
    public static String checkTopicFilter(String filter) {
        if (filter == null) {
            throw new NullPointerException("topic filter");
        }
        checkCommon("Topic filter", filter);
        int length = filter.length();
        for (int i = 0; i < length; i++) {
            char c = filter.charAt(i);
            if (c == '#') {
                if (i > 0 && filter.charAt(i - 1) != '/') {
                    throw new InvalidTopicException("Topic filter [" + quote(filter)
                            + "] must have '#' as a whole level, found at index " + i + ".");
                }
                if (i != length - 1) {
                    throw new InvalidTopicException("Topic filter [" + quote(filter)
                            + "] must have '#' only as the last level, found at index " + i + ".");
                }
            } else if (c == '+') {
                boolean startsLevel = i == 0 || filter.charAt(i - 1) == '/';
                boolean endsLevel = i == length - 1 || filter.charAt(i + 1) == '/';
                if (!startsLevel || !endsLevel) {
                    throw new InvalidTopicException("Topic filter [" + quote(filter)
                            + "] must have '+' as a whole level, found at index " + i + ".");
                }
            }
        }
        return filter;
    }

    /**
     * Checks what every topic-like text must satisfy: not empty, no NUL, well-formed UTF-16, at most 65,535
     * UTF-8 bytes.
     *
     * @param kind how the message names the value, for example {@code Topic template}
     * @param value the text
     * @throws InvalidTopicException naming the value and the rule it breaks
     */
    public static void checkCommon(String kind, String value) {
        if (value.isEmpty()) {
            throw new InvalidTopicException(kind + " [] must not be empty.");
        }
        int utf8Length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                throw new InvalidTopicException(kind + " [" + quote(value)
                        + "] must not contain the null character U+0000, found at index " + i + ".");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                utf8Length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidTopicException(kind + " [" + quote(value)
                        + "] must be valid UTF-8, found an unpaired surrogate at index " + i + ".");
            } else {
                utf8Length += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        if (utf8Length > MAX_TOPIC_BYTES) {
            throw new InvalidTopicException(kind + " [" + quote(value) + "] must be at most 65,535 bytes in UTF-8, was "
                    + String.format(Locale.ROOT, "%,d", utf8Length) + ".");
        }
    }

    /**
     * Checks that a valid topic or filter can be sent: Paho 1.2.5, mqttkit's MQTT engine, drops the connection
     * instead of sending a topic with a control character (U+0001 to U+001F, U+007F to U+009F), a character
     * outside the Basic Multilingual Plane (emoji) or a character from U+FDD0 up. Such topics are received
     * correctly (see {@link TopicAliases}) but refused here, in the call, until mqttkit sends them itself.
     *
     * @param kind {@code "Topic"} or {@code "Topic filter"}, for the message
     * @param value a topic or filter that passed its own check
     * @return {@code value}
     * @throws InvalidTopicException naming the character and its index
     */
    public static String checkSendable(String kind, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f || Character.isSurrogate(c) || c >= 0xfdd0) {
                int codePoint = value.codePointAt(i);
                String what = c < 0x20 || c >= 0x7f && c <= 0x9f ? "control character"
                        : Character.isSupplementaryCodePoint(codePoint) ? "character outside the Basic Multilingual Plane"
                        : "character";
                throw new InvalidTopicException(kind + " [" + quote(value) + "] has the " + what + " "
                        + String.format(Locale.ROOT, "U+%04X", codePoint) + " at index " + i + ", which mqttkit cannot "
                        + "send yet (Paho 1.2.5 drops the connection instead); such topics are received, not sent.");
            }
        }
        return value;
    }

    /**
     * Quotes a value for an error message: control characters escaped, long values shortened.
     *
     * @param value the value to quote
     * @return a printable, bounded rendering of {@code value}
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), QUOTE_LIMIT) + 16);
        int shown = Math.min(value.length(), QUOTE_LIMIT);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !isPaired(value, i)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (shown < value.length()) {
            out.append("...(").append(String.format(Locale.ROOT, "%,d", value.length())).append(" chars)");
        }
        return out.toString();
    }

    private static boolean isPaired(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }

    /**
     * Tells whether a topic name matches a topic filter, exactly as MQTT 3.1.1 §4.7 says: {@code #} also
     * matches the parent level ({@code sport/#} matches {@code sport}), {@code +} matches an empty level, and a
     * filter that starts with a wildcard does not match a topic that starts with {@code $}.
     *
     * <p>Both arguments must be valid (see {@link #checkTopicFilter} and {@link #checkTopicName}).
     *
     * @param filter a valid topic filter
     * @param topic a valid topic name
     * @return whether a subscription on {@code filter} receives messages published to {@code topic}
     */
    public static boolean matches(String filter, String topic) {
        int fl = filter.length();
        int tl = topic.length();
        if (tl > 0 && topic.charAt(0) == '$' && fl > 0) {
            char first = filter.charAt(0);
            if (first == '+' || first == '#') {
                return false;
            }
        }
        int f = 0;
        int t = 0;
        while (true) {
            // f and t are at the start of a level
            if (f < fl && filter.charAt(f) == '#') {
                return true;
            }
            if (f < fl && filter.charAt(f) == '+') {
                f++;
                while (t < tl && topic.charAt(t) != '/') {
                    t++;
                }
            } else {
                while (f < fl && t < tl) {
                    char fc = filter.charAt(f);
                    char tc = topic.charAt(t);
                    if (fc == '/' || tc == '/') {
                        break;
                    }
                    if (fc != tc) {
                        return false;
                    }
                    f++;
                    t++;
                }
                boolean filterLevelEnded = f == fl || filter.charAt(f) == '/';
                boolean topicLevelEnded = t == tl || topic.charAt(t) == '/';
                if (!filterLevelEnded || !topicLevelEnded) {
                    return false;
                }
            }
            if (f == fl) {
                return t == tl;
            }
            if (t == tl) {
                // the topic has no more levels; only a trailing "/#" can still match (the parent level)
                return f + 2 == fl && filter.charAt(f + 1) == '#';
            }
            f++;
            t++;
        }
    }
}
