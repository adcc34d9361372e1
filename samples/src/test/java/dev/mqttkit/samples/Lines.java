package dev.mqttkit.samples;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** What a sample displays, line by line, for a test to wait on. */
public final class Lines implements Consumer<String> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void accept(String line) {
        lines.add(line);
    }

    /** Every line so far. */
    public List<String> all() {
        return List.copyOf(lines);
    }

    /** Waits for a line that contains the text, and returns it. */
    public String await(String text) {
        Awaitility.await().atMost(TIMEOUT).until(() -> find(text) != null);
        return find(text);
    }

    /** Waits until at least {@code count} lines contain the text. */
    public void awaitCount(String text, int count) {
        Awaitility.await().atMost(TIMEOUT).until(() -> lines.stream().filter(line -> line.contains(text)).count() >= count);
    }

    private String find(String text) {
        return lines.stream().filter(line -> line.contains(text)).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
