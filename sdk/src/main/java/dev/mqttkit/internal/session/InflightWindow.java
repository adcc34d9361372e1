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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The publishes handed to Paho and not yet finished, and the slots that bound them.
 *
 * <p>A slot is taken before a message goes to Paho and given back exactly once, whatever Paho reports and how
 * often ({@link Entry#release()}): Paho 1.2.5 fails a durable session's in-flight tokens on a connection loss
 * and succeeds the same tokens after it resent them, which would otherwise free their slots twice. Paho's own
 * limit sits one above this window, so it never refuses a publish with 32202.
 *
 * <p>While a publisher waits for a slot, the slots given back are handed over together, up to
 * {@code size / 16} (at most {@value #MAX_BATCH}) at a time, so that a publisher held by a full window wakes once
 * per batch of acknowledgements instead of once per acknowledgement (each wake-up is a system call on both
 * threads). A slot is held back at most {@value #HOLD_NANOS} ns: the waiting publisher takes what is held when that
 * has passed, and the last publish to finish gives back everything.
 */
final class InflightWindow {

    /** The most slots handed over to a waiting publisher at once. */
    static final int MAX_BATCH = 64;
    /** How long a given-back slot may be held for a batch. */
    static final long HOLD_NANOS = 1_000_000;

    private final int size;
    private final int batch;
    private final Semaphore slots;
    private final LongSupplier nanoTime;
    private final Set<Entry> pending = ConcurrentHashMap.newKeySet();
    private final Object heldLock = new Object();
    /** Publishers waiting for a slot. */
    private final AtomicInteger waiters = new AtomicInteger();
    /** Slots given back and not yet handed to the semaphore (guarded by {@code heldLock}). */
    private volatile int held;
    private long heldSince;

    /**
     * Creates a window.
     *
     * @param size how many publishes may be unfinished at once
     */
    public InflightWindow(int size) {
        this(size, System::nanoTime);
    }

    /** With a clock of the test's own (for how long slots are held). */
    InflightWindow(int size, LongSupplier nanoTime) {
        this.size = size;
        this.batch = Math.max(1, Math.min(MAX_BATCH, size / 16));
        this.slots = new Semaphore(size);
        this.nanoTime = nanoTime;
    }

    /**
     * Takes a slot, waiting while the window is full.
     *
     * @param timeoutMillis how long to wait
     * @return {@code false} when no slot came free in time
     * @throws InterruptedException when interrupted
     */
    public boolean acquire(long timeoutMillis) throws InterruptedException {
        if (slots.tryAcquire()) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        waiters.incrementAndGet();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (slots.tryAcquire(Math.max(0, Math.min(left, HOLD_NANOS)), TimeUnit.NANOSECONDS)) {
                    return true;
                }
                giveBackHeld(left <= HOLD_NANOS); // all of them when the wait is over
                if (slots.tryAcquire()) {
                    return true;
                }
                if (left <= HOLD_NANOS) {
                    return false;
                }
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** A slot comes free: to the semaphore at once, or held for a batch while a publisher waits. */
    private void giveBack() {
        int release;
        synchronized (heldLock) {
            long now = nanoTime.getAsLong();
            if (held == 0) {
                heldSince = now;
            }
            held++;
            if (held < batch && waiters.get() > 0 && !pending.isEmpty() && now - heldSince < HOLD_NANOS) {
                return;
            }
            release = held;
            held = 0;
        }
        slots.release(release);
    }

    /** Hands the held slots to the semaphore: all, or those held for {@link #HOLD_NANOS} or longer. */
    private void giveBackHeld(boolean all) {
        int release;
        synchronized (heldLock) {
            if (held == 0 || !all && nanoTime.getAsLong() - heldSince < HOLD_NANOS) {
                return;
            }
            release = held;
            held = 0;
        }
        slots.release(release);
    }

    /** Whether a publisher waits for a slot (for tests). */
    boolean hasWaiter() {
        return waiters.get() > 0;
    }

    /** How many given-back slots are held for a batch (for tests). */
    int held() {
        return held;
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
        return slots.availablePermits() + held;
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
            giveBack();
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
