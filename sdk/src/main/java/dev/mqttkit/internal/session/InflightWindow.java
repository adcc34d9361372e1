package dev.mqttkit.internal.session;

import dev.mqttkit.Qos;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The publishes handed to Paho and not yet finished, and the slots that bound them.
 *
 * <p>A slot is taken before a message goes to Paho and given back exactly once, whatever Paho reports and how
 * often ({@link Entry#release()}): Paho 1.2.5 fails a durable session's in-flight tokens on a connection loss
 * and succeeds the same tokens after it resent them, which would otherwise free their slots twice. Paho's own
 * limit sits one above this window, so it never refuses a publish with 32202.
 */
final class InflightWindow {

    private final int size;
    private final Semaphore slots;
    private final Set<Entry> pending = ConcurrentHashMap.newKeySet();

    /**
     * Creates a window.
     *
     * @param size how many publishes may be unfinished at once
     */
    public InflightWindow(int size) {
        this.size = size;
        this.slots = new Semaphore(size);
    }

    /**
     * Takes a slot, waiting while the window is full.
     *
     * @param timeoutMillis how long to wait
     * @return {@code false} when no slot came free in time
     * @throws InterruptedException when interrupted
     */
    public boolean acquire(long timeoutMillis) throws InterruptedException {
        return slots.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Records a publish that holds a slot.
     *
     * @param topic the topic
     * @param qos the QoS
     * @param future its future
     * @param ackDeadline when it fails if unacknowledged, in {@link System#nanoTime()} terms
     * @return its entry
     */
    public Entry track(String topic, Qos qos, CompletableFuture<Void> future, long ackDeadline) {
        return track(topic, qos, qos, null, false, future, ackDeadline);
    }

    /**
     * Tracks a publish whose slot was acquired, with what it takes to send it again.
     *
     * @param topic the topic
     * @param qos the QoS it goes out with
     * @param requested the QoS the caller asked for (higher when the broker supports less)
     * @param payload the payload
     * @param retain the retain flag
     * @param future its future
     * @param ackDeadline when its acknowledgement is overdue
     * @return the entry
     */
    Entry track(String topic, Qos qos, Qos requested, byte[] payload, boolean retain, CompletableFuture<Void> future,
            long ackDeadline) {
        Entry entry = new Entry(topic, qos, future, ackDeadline);
        entry.requested = requested;
        entry.payload = payload;
        entry.retain = retain;
        entry.sentAt = System.nanoTime();
        pending.add(entry);
        return entry;
    }

    /**
     * Returns the unfinished publishes.
     *
     * @return a snapshot
     */
    public List<Entry> pending() {
        return new ArrayList<>(pending);
    }

    /**
     * Returns the free slots.
     *
     * @return between 0 and the window size
     */
    public int available() {
        return slots.availablePermits();
    }

    /**
     * Returns the window size.
     *
     * @return the size given at construction
     */
    public int size() {
        return size;
    }

    /** One publish in the window. */
    public final class Entry {
        private final String topic;
        private final Qos qos;
        private final CompletableFuture<Void> future;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile long ackDeadline;
        private Qos requested;
        private byte[] payload;
        private boolean retain;
        private long sentAt;
        /** Paho's token for the message, to take it out of Paho's store. */
        volatile Object token;
        /** How often the broker closed the connection soon after this message was sent again. */
        int quickDrops;

        private Entry(String topic, Qos qos, CompletableFuture<Void> future, long ackDeadline) {
            this.topic = topic;
            this.qos = qos;
            this.future = future;
            this.ackDeadline = ackDeadline;
        }

        /**
         * Gives the slot back; only the first call does anything.
         *
         * @return {@code true} for the first call
         */
        public boolean release() {
            if (!released.compareAndSet(false, true)) {
                return false;
            }
            pending.remove(this);
            slots.release();
            return true;
        }

        /** @return the topic */
        public String topic() {
            return topic;
        }

        /** @return the QoS */
        public Qos qos() {
            return qos;
        }

        /** @return the publish future */
        public CompletableFuture<Void> future() {
            return future;
        }

        /** @return when the acknowledgement is overdue, in {@link System#nanoTime()} terms */
        Qos requested() {
            return requested;
        }

        byte[] payload() {
            return payload;
        }

        boolean retain() {
            return retain;
        }

        long sentAt() {
            return sentAt;
        }

        public long ackDeadline() {
            return ackDeadline;
        }

        /**
         * Restarts the acknowledgement clock (after a reconnect, when Paho sends the message again).
         *
         * @param deadline the new deadline, in {@link System#nanoTime()} terms
         */
        public void ackDeadline(long deadline) {
            this.ackDeadline = deadline;
        }
    }
}
