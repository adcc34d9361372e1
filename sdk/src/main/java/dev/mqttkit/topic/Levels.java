package dev.mqttkit.topic;

import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.internal.TopicRules;
import java.util.ArrayList;
import java.util.List;

/** Splitting topics into levels and checking level values given by builders and templates. */
final class Levels {

    private Levels() {
    }

    static List<String> split(String topic) {
        List<String> levels = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                levels.add(topic.substring(start, i));
                start = i + 1;
            }
        }
        levels.add(topic.substring(start));
        return List.copyOf(levels);
    }

    /**
     * Checks a value that must fill exactly one level, so that data from users cannot add levels or wildcards.
     */
    static String checkLevel(String value) {
        if (value == null) {
            throw new NullPointerException("level");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '+' || c == '#') {
                throw new InvalidTopicException("Topic level [" + TopicRules.quote(value) + "] must not contain '" + c
                        + "', found at index " + i + ".");
            }
            if (c == '\u0000') {
                throw new InvalidTopicException("Topic level [" + TopicRules.quote(value)
                        + "] must not contain the null character U+0000, found at index " + i + ".");
            }
        }
        return value;
    }

    /** Checks a value that may span several levels (a template's trailing {@code {name...}}). */
    static String checkLevels(String value) {
        if (value == null) {
            throw new NullPointerException("levels");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+' || c == '#') {
                throw new InvalidTopicException("Topic levels [" + TopicRules.quote(value) + "] must not contain '" + c
                        + "', found at index " + i + ".");
            }
            if (c == '\u0000') {
                throw new InvalidTopicException("Topic levels [" + TopicRules.quote(value)
                        + "] must not contain the null character U+0000, found at index " + i + ".");
            }
        }
        return value;
    }
}
