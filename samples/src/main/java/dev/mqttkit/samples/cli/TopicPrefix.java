package dev.mqttkit.samples.cli;

import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.topic.Topic;
import picocli.CommandLine.Option;

/**
 * {@code --prefix}: the sample's topics under levels of the user's, so that a class sharing the lab's broker does
 * not switch each other's lights or read each other's retained messages.
 */
final class TopicPrefix {

    @Option(names = "--prefix", paramLabel = "LEVELS",
            description = "Put the sample's topics under these levels, so that others' samples on the same broker do "
                    + "not meet yours: --prefix alice makes led alice/led (default: the course's topics).")
    String prefix;

    /**
     * The prefix to put before a topic.
     *
     * @return {@code ""} without {@code --prefix}, else the levels and a slash, for example {@code alice/}
     * @throws IllegalArgumentException when the prefix is not topic levels a sample can publish to
     */
    String value() {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String levels = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try {
            Topic.of(levels);
        } catch (InvalidTopicException invalid) {
            throw new IllegalArgumentException(problem(), invalid);
        }
        if (levels.contains("{") || levels.contains("}")) {
            throw new IllegalArgumentException(problem());
        }
        return levels + "/";
    }

    private String problem() {
        return "--prefix [" + prefix + "] must be topic levels without +, #, { or }, for example alice or lab3/alice.";
    }
}
