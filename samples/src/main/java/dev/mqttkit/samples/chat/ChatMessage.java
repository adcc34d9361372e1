package dev.mqttkit.samples.chat;

/**
 * One chat line as JSON: {@code {"user": "John", "text": "Hi"}}.
 *
 * @param user who wrote it
 * @param text what they wrote
 */
public record ChatMessage(String user, String text) {
}
