package dev.mqttkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A listener that records what it receives, for tests to wait on. */
final class Recorder implements MessageListener {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final List<Message> messages = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(Message message) {
        messages.add(message);
    }

    List<Message> messages() {
        return List.copyOf(messages);
    }

    List<String> payloads() {
        return messages.stream().map(Message::payloadAsString).collect(Collectors.toList());
    }

    List<String> topics() {
        return messages.stream().map(Message::topic).collect(Collectors.toList());
    }

    /** Waits until at least {@code count} messages arrived, and returns them. */
    List<Message> awaitCount(int count) {
        await().atMost(TIMEOUT).until(() -> messages.size() >= count);
        return messages();
    }

    /** Waits until a message with this payload arrived, and returns everything received so far. */
    List<String> awaitPayload(String payload) {
        await().atMost(TIMEOUT).until(() -> payloads().contains(payload));
        return payloads();
    }
}
