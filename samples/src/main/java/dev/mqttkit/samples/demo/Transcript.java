package dev.mqttkit.samples.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The demo's output: each component writes its lines under its own label, and the demo waits for the line that
 * tells a step is done before it starts the next (the components run on their clients' threads).
 */
final class Transcript {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    private final PrintWriter out;
    private final List<String> lines = new ArrayList<>();

    Transcript(PrintWriter out) {
        this.out = out;
    }

    /** Where a component writes: its lines appear as {@code [label]  line}. */
    Consumer<String> as(String label) {
        String prefix = prefix(label);
        return line -> add(prefix + line);
    }

    /** How a label starts its lines: {@code [label]} and padding. */
    static String prefix(String label) {
        return String.format("%-13s", "[" + label + "]");
    }

    /** A line of the demo's own. */
    void say(String line) {
        add(line);
    }

    synchronized void add(String line) {
        lines.add(line);
        out.println(line);
        notifyAll();
    }

    /**
     * Returns a mark for {@link #awaitSince}: the lines written from now on.
     *
     * @return the number of lines so far
     */
    synchronized int mark() {
        return lines.size();
    }

    /**
     * Waits for a line written since the mark that contains the text.
     *
     * @param mark from {@link #mark()}, taken before the action whose outcome the line tells
     * @param text what the line contains
     * @throws IllegalStateException when no such line came within 10 s
     */
    synchronized void awaitSince(int mark, String text) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        for (int checked = mark; ; ) {
            for (; checked < lines.size(); checked++) {
                if (lines.get(checked).contains(text)) {
                    return;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("The demo waited " + STEP_TIMEOUT.toSeconds() + " s for the line ["
                        + text + "] and it did not come.");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
