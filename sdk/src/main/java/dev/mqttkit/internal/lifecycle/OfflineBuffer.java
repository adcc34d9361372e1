package dev.mqttkit.internal.lifecycle;

import dev.mqttkit.Qos;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes made while the client is disconnected or reconnecting, kept in memory in order until the connection
 * is back.
 *
 * <p>Bounded by a message count and a byte total. When it is full, {@link #add} waits for room up to a timeout
 * and then reports that it is full: the caller fails the message's future, naming the limit. Nothing is ever
 * dropped silently (Paho's own disconnected buffer deletes its oldest message or throws 32203).
 */
public final class OfflineBuffer {

    /**
     * A buffered publish.
     *
     * @param topic the topic
     * @param payload the payload, owned by the buffer
     * @param qos the QoS
     * @param retain the retain flag
     * @param future completed once the message is acknowledged after the reconnect
     */
    public record Item(String topic, byte[] payload, Qos qos, boolean retain, CompletableFuture<Void> future) {
    }

    private final int maxMessages;
    private final long maxBytes;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private long bytes;

    /**
     * Creates a buffer.
     *
     * @param maxMessages at most this many messages; 0 turns buffering off
     * @param maxBytes at most this many payload bytes
     */
    public OfflineBuffer(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends a publish, waiting while the buffer is full.
     *
     * @param item the publish
     * @param timeoutMillis how long to wait for room
     * @return {@code false} when there was no room in time (or buffering is off)
     * @throws InterruptedException when interrupted
     */
    public synchronized boolean add(Item item, long timeoutMillis) throws InterruptedException {
        if (maxMessages == 0) {
            return false;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!fits(item)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        items.add(item);
        bytes += item.payload().length;
        return true;
    }

    private boolean fits(Item item) {
        // one message always fits in an empty buffer, however large
        return items.isEmpty() || (items.size() < maxMessages && bytes + item.payload().length <= maxBytes);
    }

    /**
     * Puts a publish back at the head, when sending it found the connection gone again. Always fits.
     *
     * @param item the publish taken by {@link #poll()}
     */
    public synchronized void putBack(Item item) {
        items.addFirst(item);
        bytes += item.payload().length;
    }

    /**
     * Takes the oldest publish.
     *
     * @return it, or {@code null} when empty
     */
    public synchronized Item poll() {
        Item item = items.poll();
        if (item != null) {
            bytes -= item.payload().length;
            notifyAll();
        }
        return item;
    }

    /**
     * Takes everything, for failing at {@code stop()}.
     *
     * @return the publishes, oldest first
     */
    public synchronized List<Item> drain() {
        List<Item> all = new ArrayList<>(items);
        items.clear();
        bytes = 0;
        notifyAll();
        return all;
    }

    /** @return whether nothing is buffered */
    public synchronized boolean isEmpty() {
        return items.isEmpty();
    }

    /** @return how many publishes are buffered */
    public synchronized int size() {
        return items.size();
    }

    /** @return the message limit */
    public int maxMessages() {
        return maxMessages;
    }

    /** @return the byte limit */
    public long maxBytes() {
        return maxBytes;
    }
}
