package dev.mqttkit.samples.monitor;

import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.Qos;
import dev.mqttkit.topic.TopicFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every topic the monitor has seen, in bounded memory whatever the traffic: at most {@code maxTopics} topics and
 * about {@code maxBytes} bytes; each keeps its last payload (its first {@code maxPayloadBytes} bytes) and its last
 * {@code historySize} numbers. When a limit is reached the topic idle the longest goes, and {@link #dropped()}
 * counts it.
 *
 * <p>Each change gets a version number; a page asks for the {@linkplain #changesSince changes since} the version
 * it has, so a QoS 0 flood of a topic costs the page one update per look, not one per message. Thread-safe.
 */
final class TopicStore {

    static final int DEFAULT_MAX_TOPICS = 2_000;
    static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;
    static final int DEFAULT_HISTORY = 60;
    static final int DEFAULT_MAX_PAYLOAD_BYTES = 4_096;
    /** Removals remembered for pages catching up; a page further behind gets everything again. */
    private static final int REMOVALS_KEPT = 1_024;
    private static final long RATE_REFRESH_MILLIS = 1_000;

    private final int maxTopics;
    private final long maxBytes;
    private final int historySize;
    private final int maxPayloadBytes;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // access order: record() moves a topic to the end, so the first entry is the one idle the longest
    private final LinkedHashMap<String, TopicState> topics = new LinkedHashMap<>(64, 0.75f, true);
    private final ArrayDeque<Removal> removals = new ArrayDeque<>();
    private long removalHorizon;
    private long version;
    private long bytes;
    private long dropped;
    private long messages;
    private long lastRateRefresh;
    private boolean closed;

    /** A topic that was dropped, and the version that dropped it. */
    private record Removal(String topic, long version) {
    }

    /**
     * What changed since a version, for one page.
     *
     * @param version the version this brings the page to
     * @param reset whether the page must forget what it shows and take {@code updated} as everything
     * @param updated topics with new messages (or all of them, on a reset)
     * @param rates topics whose rate changed but not their message: topic and rate
     * @param removed topics dropped to stay within the limits
     * @param stats the store's counters
     */
    record Changes(long version, boolean reset, List<TopicSnapshot> updated, Map<String, Double> rates,
            List<String> removed, Stats stats) {

        boolean isEmpty() {
            return !reset && updated.isEmpty() && rates.isEmpty() && removed.isEmpty();
        }
    }

    /**
     * The store's counters.
     *
     * @param topics topics kept now
     * @param maxTopics the most it keeps
     * @param dropped topics dropped so far to stay within the limits
     * @param messages messages received so far
     * @param bytes the bytes the topics hold, about
     */
    record Stats(int topics, int maxTopics, long dropped, long messages, long bytes) {
    }

    TopicStore() {
        this(DEFAULT_MAX_TOPICS, DEFAULT_MAX_BYTES, DEFAULT_HISTORY, DEFAULT_MAX_PAYLOAD_BYTES, Clock.systemUTC());
    }

    TopicStore(int maxTopics, long maxBytes, int historySize, int maxPayloadBytes, Clock clock) {
        if (maxTopics < 1 || maxBytes < 1 || historySize < 0 || maxPayloadBytes < 0) {
            throw new IllegalArgumentException("TopicStore limits must be positive: maxTopics " + maxTopics
                    + ", maxBytes " + maxBytes + ", historySize " + historySize + ", maxPayloadBytes "
                    + maxPayloadBytes + ".");
        }
        this.maxTopics = maxTopics;
        this.maxBytes = maxBytes;
        this.historySize = historySize;
        this.maxPayloadBytes = maxPayloadBytes;
        this.clock = clock;
    }

    /**
     * Takes a message in. Runs on the MQTT client's dispatch thread, for every message: it does not block beyond
     * the store's short lock, and parses the payload (for its number) before taking it.
     *
     * @param topic the topic
     * @param payload the payload, not copied (the caller hands over its own copy)
     * @param qos the delivered QoS
     * @param retained whether it is a retained message
     */
    void record(String topic, byte[] payload, Qos qos, boolean retained) {
        double number = PayloadView.number(payload);
        byte[] kept = payload.length <= maxPayloadBytes ? payload : Arrays.copyOf(payload, maxPayloadBytes);
        lock.lock();
        try {
            if (closed) {
                return;
            }
            long now = clock.millis();
            TopicState state = topics.get(topic);
            if (state == null) {
                state = new TopicState(topic, historySize, now);
                topics.put(topic, state);
            } else {
                bytes -= state.bytes();
            }
            messages++;
            state.record(kept, payload.length, number, qos, retained, now, ++version);
            bytes += state.bytes();
            evictIdle(state);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void evictIdle(TopicState keep) {
        Iterator<TopicState> oldest = topics.values().iterator();
        while ((topics.size() > maxTopics || bytes > maxBytes) && oldest.hasNext()) {
            TopicState idle = oldest.next();
            if (idle == keep) {
                return;
            }
            oldest.remove();
            bytes -= idle.bytes();
            dropped++;
            removals.addLast(new Removal(idle.topic, ++version));
            if (removals.size() > REMOVALS_KEPT) {
                removalHorizon = removals.removeFirst().version;
            }
        }
    }

    /**
     * Returns what changed since a version, for topics the filter matches (all topics when it is {@code null}).
     * Version 0, or a version so old that removals since were forgotten, gets everything, as a reset.
     *
     * @param since the version the page has
     * @param filter what the page shows, or {@code null} for everything
     * @return the changes
     */
    Changes changesSince(long since, TopicFilter filter) {
        lock.lock();
        try {
            long now = clock.millis();
            refreshRates(now);
            boolean reset = since == 0 || since < removalHorizon || since > version;
            List<TopicSnapshot> updated = new ArrayList<>();
            Map<String, Double> rates = new LinkedHashMap<>();
            for (TopicState state : topics.values()) {
                if (!reset && state.version <= since && state.rateVersion <= since || !matches(filter, state.topic)) {
                    continue;
                }
                if (reset || state.version > since) {
                    updated.add(state.snapshot(now));
                } else {
                    rates.put(state.topic, state.reportedRate());
                }
            }
            List<String> removed = new ArrayList<>();
            if (!reset) {
                for (Iterator<Removal> newest = removals.descendingIterator(); newest.hasNext(); ) {
                    Removal removal = newest.next();
                    if (removal.version <= since) {
                        break;
                    }
                    removed.add(removal.topic);
                }
            }
            return new Changes(version, reset, updated, rates, removed, statsLocked());
        } finally {
            lock.unlock();
        }
    }

    /** Once a second: a topic that went quiet shows its rate falling without a new message. */
    private void refreshRates(long now) {
        if (now - lastRateRefresh < RATE_REFRESH_MILLIS) {
            return;
        }
        lastRateRefresh = now;
        boolean any = false;
        for (TopicState state : topics.values()) {
            if (state.refreshRate(now)) {
                state.rateVersion = version + 1;
                any = true;
            }
        }
        if (any) {
            version++;
        }
    }

    private static boolean matches(TopicFilter filter, String topic) {
        if (filter == null) {
            return true;
        }
        try {
            return filter.matches(topic);
        } catch (InvalidTopicException notSendable) {
            return false; // a topic the broker delivered is valid; nothing else reaches the store
        }
    }

    /**
     * Waits until the store changes after a version, the timeout passes or the store closes.
     *
     * @param since the version the caller has
     * @param timeout the longest wait
     * @return whether there is a version after {@code since}
     * @throws InterruptedException when interrupted while waiting
     */
    boolean awaitChange(long since, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (version <= since && !closed && left > 0) {
                left = changed.awaitNanos(left);
            }
            return version > since;
        } finally {
            lock.unlock();
        }
    }

    /** The version now: what a page that saw everything has. */
    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** Topics dropped so far to stay within the limits. */
    long dropped() {
        return stats().dropped();
    }

    Stats stats() {
        lock.lock();
        try {
            return statsLocked();
        } finally {
            lock.unlock();
        }
    }

    private Stats statsLocked() {
        return new Stats(topics.size(), maxTopics, dropped, messages, bytes);
    }

    /** Stops taking messages and wakes every waiting page, so their streams end. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
