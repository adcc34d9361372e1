package dev.mqttkit;

import dev.mqttkit.topic.TopicFilter;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Keeps the retained messages a broker replays for a new subscription to the listeners that subscription is for.
 *
 * <p>A broker replays a topic's retained message to every new subscription that matches it, flagged RETAIN, and
 * each existing subscription's deliveries are not flagged ([MQTT-3.3.1-8], [MQTT-3.3.1-9]). So while a window is
 * open for a SUBSCRIBE made for new listeners (from just before it is sent until a little after its SUBACK), a
 * retained message on a topic its filters match goes only to those listeners: the others had it already. A replay
 * comes right after its SUBACK, so of the windows open at once, it belongs to the newest that has not had its topic
 * (some brokers replay to no wildcard subscription: RabbitMQ). A
 * listener whose filter another subscribed filter covers needs a subscription of its own for a moment to get its
 * retained messages ({@link #openTemporary}); while it lasts, a broker that sends a copy per matching
 * subscription sends live messages twice, and the second copy (the same topic and payload within
 * {@link #COPY_MILLIS}) is dropped.
 *
 * <p>Decided as messages arrive, before they queue for the listeners. Cheap when no window is open, which is nearly
 * always.
 */
final class ReplayGuard {

    /** How long after the SUBACK the replay of retained messages is expected to have arrived. */
    static final long SETTLE_MILLIS = 1_000;
    /** Copies of one publication arrive back to back. */
    static final long COPY_MILLIS = 250;

    /** One SUBSCRIBE's window. */
    static final class Window {
        private final List<TopicFilter> filters;
        private final Set<ListenerSubscription> fresh;
        private final boolean temporary;
        private volatile boolean settled;
        private volatile long closesAt;
        /** Topics whose replay this window's listeners had: a later replay of one is another window's. */
        private final Set<String> replayed = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private Window(List<TopicFilter> filters, Set<ListenerSubscription> fresh, boolean temporary) {
            this.filters = filters;
            this.fresh = fresh;
            this.temporary = temporary;
        }

        private boolean matches(String topic) {
            for (TopicFilter filter : filters) {
                try {
                    if (filter.matches(topic)) {
                        return true;
                    }
                } catch (RuntimeException notATopicWeCouldSend) {
                    // received topics may hold characters mqttkit does not send; the filter cannot be about them
                }
            }
            return false;
        }
    }

    private final List<Window> windows = new CopyOnWriteArrayList<>();
    /** Recent live messages on topics of temporary windows: topic and payload hash, with when they came. */
    private final Map<String, Long> recent = new LinkedHashMap<>();

    /**
     * Opens a window before a SUBSCRIBE for new listeners.
     *
     * @param filters the filters subscribed
     * @param fresh the listeners the SUBSCRIBE is for: they get the replayed retained messages
     * @return close it with {@link #settle} once the SUBACK came (or the SUBSCRIBE failed)
     */
    Window open(Collection<String> filters, Set<ListenerSubscription> fresh) {
        return add(new Window(filters.stream().map(TopicFilter::of).toList(), fresh, false));
    }

    /** Opens a window for a covered filter's temporary subscription; see the class comment. */
    Window openTemporary(String filter, Set<ListenerSubscription> fresh) {
        return add(new Window(List.of(TopicFilter.of(filter)), fresh, true));
    }

    private Window add(Window window) {
        windows.add(window);
        return window;
    }

    /** The SUBACK came: the window closes once the replay had time to arrive. */
    void settle(Window window) {
        window.closesAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        window.settled = true;
    }

    /**
     * Decides, as a message arrives, which listeners must not get it.
     *
     * @return {@code null} for none (nearly always), a predicate naming them, or {@link #DROP} for a copy
     */
    Predicate<ListenerSubscription> excluded(Message message) {
        if (windows.isEmpty()) {
            return null;
        }
        long now = System.nanoTime();
        windows.removeIf(window -> window.settled && now - window.closesAt > 0);
        List<Window> open = windows.stream().filter(window -> window.matches(message.topic())).toList();
        if (open.isEmpty()) {
            return null;
        }
        if (message.retained()) {
            // a replay comes right after its SUBACK: it belongs to the newest window that has not had this topic
            Window owner = open.get(open.size() - 1);
            for (int i = open.size() - 1; i >= 0; i--) {
                if (!open.get(i).replayed.contains(message.topic())) {
                    owner = open.get(i);
                    break;
                }
            }
            owner.replayed.add(message.topic());
            Window chosen = owner;
            return listener -> !chosen.fresh.contains(listener);
        }
        if (open.stream().anyMatch(window -> window.temporary) && isCopy(message, now)) {
            return DROP;
        }
        return null;
    }

    /** Excludes every listener: the message is a copy of one delivered just before. */
    static final Predicate<ListenerSubscription> DROP = listener -> true;

    private boolean isCopy(Message message, long now) {
        String key = message.topic() + '\u0000' + Arrays.hashCode(message.payloadArray()) + '/' + message.payloadSize();
        synchronized (recent) {
            for (Iterator<Long> it = recent.values().iterator(); it.hasNext(); ) {
                if (now - it.next() > TimeUnit.MILLISECONDS.toNanos(COPY_MILLIS)) {
                    it.remove();
                } else {
                    break; // in arrival order: the rest are newer
                }
            }
            Long seen = recent.remove(key);
            if (seen != null) {
                return true;
            }
            recent.put(key, now);
            return false;
        }
    }
}
