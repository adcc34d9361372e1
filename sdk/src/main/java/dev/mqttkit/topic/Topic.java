package dev.mqttkit.topic;

import dev.mqttkit.internal.TopicRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A topic name: where a message is published. Never contains {@code +} or {@code #}.
 *
 * <pre>{@code
 * Topic temperature = Topic.builder().level("sensor").level(sensorId).level("temperature").build();
 * Topic same = Topic.of("sensor/1234/temperature");
 * mqtt.publish(temperature, "21.5");
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link Builder#level(String)} rejects values with {@code /}, {@code +},
 * {@code #} or NUL, so data from users cannot add levels or wildcards.
 */
public final class Topic implements CharSequence {

    private final String name;
    private volatile List<String> levels;

    private Topic(String name) {
        this.name = name;
    }

    /**
     * Parses and validates a topic name.
     *
     * @param name for example {@code sensor/1234/temperature}
     * @return the topic
     * @throws dev.mqttkit.InvalidTopicException when it is empty, has a wildcard or NUL, or is over 65,535 bytes
     */
    public static Topic of(String name) {
        return new Topic(TopicRules.checkTopicName(name));
    }

    /**
     * Returns a builder that adds one level at a time.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the levels, split at {@code /}; empty levels are kept ({@code /a} has levels "" and "a").
     *
     * @return the levels, unmodifiable
     */
    public List<String> levels() {
        List<String> result = levels;
        if (result == null) {
            result = Levels.split(name);
            levels = result;
        }
        return result;
    }

    /**
     * Returns the topic name.
     *
     * @return for example {@code sensor/1234/temperature}
     */
    @Override
    public String toString() {
        return name;
    }

    /**
     * Returns the length of the text, so a topic can go wherever a {@link CharSequence} does
     * ({@code mqtt.publish(topic, "21.5")}).
     *
     * @return the number of UTF-16 chars
     */
    @Override
    public int length() {
        return name.length();
    }

    @Override
    public char charAt(int index) {
        return name.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return name.subSequence(start, end);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Topic that && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** Builds a {@link Topic} level by level. */
    public static final class Builder {
        private final List<String> levels = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a level.
         *
         * @param value the level; may be empty (though a topic of one empty level is the empty topic, which is
         *     invalid), must not contain {@code /}, {@code +}, {@code #} or NUL
         * @return this builder
         * @throws dev.mqttkit.InvalidTopicException naming the value when it breaks that rule
         */
        public Builder level(String value) {
            levels.add(Levels.checkLevel(value));
            return this;
        }

        /**
         * Builds the topic.
         *
         * @return the topic
         * @throws IllegalStateException when no level was added
         * @throws dev.mqttkit.InvalidTopicException when the topic breaks a rule (empty, over 65,535 bytes)
         */
        public Topic build() {
            if (levels.isEmpty()) {
                throw new IllegalStateException("Topic.Builder has no level: add one with level(...).");
            }
            return Topic.of(String.join("/", levels));
        }
    }
}
