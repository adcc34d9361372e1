/**
 * Topics as values: {@link dev.mqttkit.topic.Topic} (a concrete topic name), {@link dev.mqttkit.topic.TopicFilter}
 * (a subscription pattern with {@code +} and {@code #}), {@link dev.mqttkit.topic.TopicTemplate}
 * ({@code sensor/{id}/temperature}) and {@link dev.mqttkit.topic.TypedTopic} (a template bound to a payload
 * codec). All are immutable and validated when made, with messages that quote the value and name the rule.
 */
package dev.mqttkit.topic;
