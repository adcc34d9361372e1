package dev.mqttkit.topic;

import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.internal.TopicRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A topic filter: what a client subscribes to. Levels may be {@code +} (any one level) and the last may be
 * {@code #} (any remaining levels, including none). A shared subscription is written
 * {@code $share/<group>/<filter>}.
 *
 * <pre>{@code
 * TopicFilter anySensor = TopicFilter.builder().level("sensor").anyLevel().level("temperature").build();
 * anySensor.toString();                                     // sensor/+/temperature
 * anySensor.matches(Topic.of("sensor/1234/temperature"));   // true
 * TopicFilter.of("sensor/#").covers(anySensor);             // true
 * }</pre>
 *
 * <p>Immutable and thread-safe. Matching follows MQTT 3.1.1 §4.7 exactly (see {@link #matches(Topic)}).
 */
public final class TopicFilter implements CharSequence {

    private static final String SHARE_PREFIX = "$share/";

    private final String filter;
    private final String shareGroup;
    private final String matchFilter;

    private TopicFilter(String filter, String shareGroup, String matchFilter) {
        this.filter = filter;
        this.shareGroup = shareGroup;
        this.matchFilter = matchFilter;
    }

    /**
     * Parses and validates a topic filter.
     *
     * @param filter for example {@code house/+/lights/#} or {@code $share/workers/jobs/#}
     * @return the filter
     * @throws InvalidTopicException when it breaks a rule, for example
     *     {@code Topic filter [a/#/b] must have '#' only as the last level, found at index 2.}
     */
    public static TopicFilter of(String filter) {
        if (filter != null && filter.startsWith(SHARE_PREFIX)) {
            int groupEnd = filter.indexOf('/', SHARE_PREFIX.length());
            String group = groupEnd < 0 ? filter.substring(SHARE_PREFIX.length())
                    : filter.substring(SHARE_PREFIX.length(), groupEnd);
            checkShareGroup(filter, group);
            TopicRules.checkTopicFilter(filter);
            if (groupEnd < 0 || groupEnd == filter.length() - 1) {
                throw new InvalidTopicException("Topic filter [" + TopicRules.quote(filter)
                        + "] must have a filter after the share group: $share/<group>/<filter>.");
            }
            return new TopicFilter(filter, group, filter.substring(groupEnd + 1));
        }
        TopicRules.checkTopicFilter(filter);
        return new TopicFilter(filter, null, filter);
    }

    private static void checkShareGroup(String filter, String group) {
        if (group.isEmpty()) {
            throw new InvalidTopicException("Topic filter [" + TopicRules.quote(filter)
                    + "] must name a share group: $share/<group>/<filter>.");
        }
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            if (c == '+' || c == '#') {
                throw new InvalidTopicException("Share group [" + TopicRules.quote(group) + "] of topic filter ["
                        + TopicRules.quote(filter) + "] must not contain '" + c + "', found at index " + i + ".");
            }
        }
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
     * Tells whether a message published to {@code topic} reaches a subscription on this filter, as MQTT 3.1.1
     * §4.7 says: {@code sport/#} matches {@code sport}; {@code +} matches an empty level ({@code /finance}
     * matches {@code +/+}); a filter starting with {@code +} or {@code #} does not match a topic starting with
     * {@code $}. A shared filter matches as its inner filter.
     *
     * @param topic the topic name
     * @return whether it matches
     */
    public boolean matches(Topic topic) {
        return TopicRules.matches(matchFilter, topic.toString());
    }

    /**
     * Same as {@link #matches(Topic)} for a topic name given as text, validated first.
     *
     * @param topic the topic name
     * @return whether it matches
     * @throws InvalidTopicException when {@code topic} is not a valid topic name
     */
    public boolean matches(String topic) {
        return TopicRules.matches(matchFilter, TopicRules.checkTopicName(topic));
    }

    /**
     * Tells whether every topic that matches {@code other} also matches this filter.
     *
     * <p>{@code sensor/#} covers {@code sensor/+/temperature}; {@code +/+} covers {@code a/b}; {@code a/+} does
     * not cover {@code a/#}. Every filter covers itself. Shared filters compare their inner filters. The
     * {@code $} rule applies: {@code #} does not cover {@code $SYS/#}.
     *
     * @param other the other filter
     * @return whether this filter receives everything {@code other} receives
     */
    public boolean covers(TopicFilter other) {
        List<String> mine = Levels.split(matchFilter);
        List<String> theirs = Levels.split(other.matchFilter);
        if (theirs.get(0).startsWith("$") && isWildcard(mine.get(0))) {
            // topics starting with '$' are matched only by filters whose first level is literal
            return false;
        }
        for (int i = 0; i < theirs.size(); i++) {
            if (i >= mine.size()) {
                return false;
            }
            String a = mine.get(i);
            String b = theirs.get(i);
            if (a.equals("#")) {
                return true;
            }
            if (b.equals("#")) {
                // theirs matches its prefix and everything below. The prefix itself is a topic unless it is empty
                // (no level, or one empty level), so then "+/#" receives all of it as well.
                boolean prefixIsNoTopic = i == 0 || i == 1 && theirs.get(0).isEmpty();
                return prefixIsNoTopic && mine.size() == i + 2 && a.equals("+") && mine.get(i + 1).equals("#");
            }
            if (a.equals("+")) {
                continue;
            }
            if (b.equals("+") || !a.equals(b)) {
                return false;
            }
        }
        // every level of theirs is covered; mine may only go on with a trailing '#', which matches the parent
        return mine.size() == theirs.size() || mine.size() == theirs.size() + 1 && mine.get(mine.size() - 1).equals("#");
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }

    /**
     * Tells whether this is a shared subscription ({@code $share/<group>/<filter>}).
     *
     * @return whether it is shared
     */
    public boolean isShared() {
        return shareGroup != null;
    }

    /**
     * Returns the share group of a shared subscription.
     *
     * @return the group, or {@code null} when not shared
     */
    public String shareGroup() {
        return shareGroup;
    }

    /**
     * Returns the filter messages are matched against: the whole filter, or the part after
     * {@code $share/<group>/}.
     *
     * @return the matching filter
     */
    public String matchFilter() {
        return matchFilter;
    }

    /**
     * Tells whether the filter has a {@code +} or {@code #} level.
     *
     * @return whether it has a wildcard
     */
    public boolean hasWildcard() {
        return matchFilter.indexOf('+') >= 0 || matchFilter.indexOf('#') >= 0;
    }

    /**
     * Returns the levels of the filter, {@code $share/<group>/} included.
     *
     * @return the levels, unmodifiable
     */
    public List<String> levels() {
        return Levels.split(filter);
    }

    /**
     * Returns the filter as sent to the broker.
     *
     * @return for example {@code sensor/+/temperature}
     */
    @Override
    public String toString() {
        return filter;
    }

    /**
     * Returns the length of the text, so a filter can go wherever a {@link CharSequence} does
     * ({@code mqtt.subscribe(filter, listener)}).
     *
     * @return the number of UTF-16 chars
     */
    @Override
    public int length() {
        return filter.length();
    }

    @Override
    public char charAt(int index) {
        return filter.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return filter.subSequence(start, end);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicFilter that && filter.equals(that.filter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(filter);
    }

    /** Builds a {@link TopicFilter} level by level. */
    public static final class Builder {
        private final List<String> levels = new ArrayList<>();
        private boolean closed;

        private Builder() {
        }

        /**
         * Adds a literal level.
         *
         * @param value the level; may be empty, must not contain {@code /}, {@code +}, {@code #} or NUL
         * @return this builder
         * @throws InvalidTopicException naming the value when it breaks that rule
         */
        public Builder level(String value) {
            return add(Levels.checkLevel(value));
        }

        /**
         * Adds {@code +}: any one level.
         *
         * @return this builder
         */
        public Builder anyLevel() {
            return add("+");
        }

        /**
         * Adds {@code #}: any remaining levels, including none. Must be the last.
         *
         * @return this builder
         */
        public Builder allRemaining() {
            add("#");
            closed = true;
            return this;
        }

        private Builder add(String level) {
            if (closed) {
                throw new IllegalStateException("TopicFilter.Builder: '#' must be the last level; cannot add [" + level
                        + "] after it.");
            }
            levels.add(level);
            return this;
        }

        /**
         * Builds the filter.
         *
         * @return the filter
         * @throws IllegalStateException when no level was added
         * @throws InvalidTopicException when the filter breaks a rule, for example a single empty level makes the
         *     empty filter
         */
        public TopicFilter build() {
            if (levels.isEmpty()) {
                throw new IllegalStateException("TopicFilter.Builder has no level: add one with level(...), anyLevel() "
                        + "or allRemaining().");
            }
            return TopicFilter.of(String.join("/", levels));
        }
    }
}
