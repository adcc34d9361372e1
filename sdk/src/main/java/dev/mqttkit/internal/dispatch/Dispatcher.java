package dev.mqttkit.internal.dispatch;

import dev.mqttkit.Message;
import dev.mqttkit.Qos;
import dev.mqttkit.internal.DaemonThreads;
import dev.mqttkit.internal.Logs;
import dev.mqttkit.internal.net.ReceiveGate;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The one thread that runs a client's listeners, and the bounded queue in front of it.
 *
 * <p>Messages and connection events run in arrival order. The queue holds at most {@code maxMessages} messages
 * and {@code maxBytes} payload bytes; when listeners fall behind that far, the socket reader waits in
 * {@link #awaitRoom()} before it reads the next packet, so the broker's sends back up in TCP instead of the heap
 * growing. Connection events do not count against the limit.
 *
 * <p>{@link #stop} lets the message being handled finish (and be acknowledged) and starts nothing after it.
 * What was still queued is counted, not delivered: QoS 0 messages are dropped, QoS 1/2 messages stay
 * unacknowledged, so the broker sends them again to a durable session.
 */
public final class Dispatcher implements ReceiveGate {

    private static final Logger LOG = Logs.get(Dispatcher.class);
    private static final long GATE_CHECK_MILLIS = 100;

    /**
     * What was left in the queue when the dispatcher stopped.
     *
     * @param qos0Dropped QoS 0 messages not delivered
     * @param unacknowledged QoS 1/2 messages not delivered nor acknowledged
     */
    public record Leftovers(int qos0Dropped, int unacknowledged) {
    }

    private record Task(Message message, Runnable work) {
    }

    private final String name;
    private final int maxMessages;
    private final long maxBytes;
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private final Thread thread;
    /** Written under this object's lock; read without it by {@link #awaitRoom()}'s fast path. */
    private volatile int queuedMessages;
    private volatile long queuedBytes;
    /** QoS 1 messages queued; read without the lock by {@link #acknowledgementFollows()}. */
    private volatile int queuedQos1;
    private boolean busy;
    private boolean stopped;
    private Consumer<Leftovers> afterStop;
    private Leftovers leftovers;
    private long readerWaits;

    /**
     * Creates and starts the dispatch thread.
     *
     * @param name the thread's name, for example {@code mqttkit-dispatch-<clientId>}
     * @param maxMessages at most this many messages queued
     * @param maxBytes at most this many payload bytes queued
     */
    public Dispatcher(String name, int maxMessages, long maxBytes) {
        this.name = name;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.thread = DaemonThreads.create(this::run, name);
        thread.start();
    }

    /**
     * Queues a message's delivery. Never blocks: the socket reader waited for room before reading it.
     *
     * @param message the message, counted against the limit
     * @param work runs the listeners and acknowledges
     * @return {@code false} when stopped (the message is not delivered)
     */
    public synchronized boolean submit(Message message, Runnable work) {
        if (stopped) {
            return false;
        }
        queue.add(new Task(message, work));
        queuedMessages++;
        queuedBytes += message.payloadSize();
        if (message.qos() == Qos.AT_LEAST_ONCE) {
            queuedQos1++;
        }
        notifyAll();
        return true;
    }

    /**
     * Queues a connection event, in order with the messages.
     *
     * @param event what to run
     * @return {@code false} when stopped
     */
    public synchronized boolean event(Runnable event) {
        if (stopped) {
            return false;
        }
        queue.add(new Task(null, event));
        notifyAll();
        return true;
    }

    /**
     * Called by the socket reader before it reads a packet: waits while the queue is full.
     *
     * @throws InterruptedIOException when the reader is interrupted (Paho stopping its receiver)
     */
    @Override
    public boolean hasRoom() {
        return queuedMessages < maxMessages && queuedBytes < maxBytes;
    }

    @Override
    public void awaitRoom() throws InterruptedIOException {
        if (queuedMessages < maxMessages && queuedBytes < maxBytes) {
            return; // the usual case, once per PUBLISH: no lock shared with the dispatch thread
        }
        waitForRoom();
    }

    private synchronized void waitForRoom() throws InterruptedIOException {
        boolean waited = false;
        while (!stopped && (queuedMessages >= maxMessages || queuedBytes >= maxBytes)) {
            if (!waited) {
                waited = true;
                if (readerWaits++ == 0) {
                    LOG.info("{}: listeners are {} messages ({} bytes) behind; reading from the broker pauses until "
                            + "they catch up (logged once)", name, queuedMessages, queuedBytes);
                }
            }
            try {
                wait(GATE_CHECK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while the listeners of " + name + " catch up");
            }
        }
    }

    @Override
    public boolean acknowledgementFollows() {
        return queuedQos1 > 0;
    }

    /**
     * Tells whether the caller is the dispatch thread (a listener).
     *
     * @return {@code true} on the dispatch thread
     */
    public boolean isDispatchThread() {
        return Thread.currentThread() == thread;
    }

    /** @return how many messages wait for their listeners */
    public synchronized int queuedMessages() {
        return queuedMessages;
    }

    /** @return how often the socket reader had to wait for the listeners */
    public synchronized long readerWaits() {
        return readerWaits;
    }

    /**
     * Stops: the task running now finishes, nothing queued starts. From another thread it waits up to
     * {@code timeoutMillis} for the running task; from the dispatch thread (a listener calling stop) it returns
     * at once and {@code afterStop} runs on this thread once the listener returned.
     *
     * @param timeoutMillis how long to wait for the running task
     * @param afterStop told what was left undelivered, after the last task: on the dispatch thread when called
     *     from it, else by the caller
     */
    public void stop(long timeoutMillis, Consumer<Leftovers> afterStop) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            leftovers = discardQueue();
            notifyAll();
            if (isDispatchThread()) {
                this.afterStop = afterStop;
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (busy) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    LOG.warn("{}: a listener is still running after {} ms; stopping without it", name, timeoutMillis);
                    thread.interrupt();
                    break;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        afterStop.accept(leftovers);
    }

    /**
     * Waits until the dispatch thread has ended, after {@link #stop}: a {@code start()} that fails leaves no
     * thread behind.
     *
     * @param millis at most this long
     */
    public void awaitEnd(long millis) {
        if (isDispatchThread()) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Leftovers discardQueue() {
        int qos0 = 0;
        int unacked = 0;
        for (Task task : queue) {
            if (task.message() != null) {
                if (task.message().qos() == Qos.AT_MOST_ONCE) {
                    qos0++;
                } else {
                    unacked++;
                }
            }
        }
        queue.clear();
        queuedMessages = 0;
        queuedBytes = 0;
        queuedQos1 = 0;
        return new Leftovers(qos0, unacked);
    }

    private void run() {
        while (true) {
            Task task;
            synchronized (this) {
                busy = false;
                notifyAll();
                while (queue.isEmpty() && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // stop() interrupts only a listener that overran; the queue decides what happens next
                    }
                }
                if (stopped) {
                    break;
                }
                task = queue.poll();
                if (task.message() != null) {
                    queuedMessages--;
                    queuedBytes -= task.message().payloadSize();
                    if (task.message().qos() == Qos.AT_LEAST_ONCE) {
                        queuedQos1--;
                    }
                }
                busy = true;
            }
            try {
                task.work().run();
            } catch (RuntimeException e) {
                LOG.error("{}: a dispatch task threw", name, e);
            }
        }
        Consumer<Leftovers> last;
        synchronized (this) {
            last = afterStop;
        }
        if (last != null) {
            last.accept(leftovers);
        }
    }
}
