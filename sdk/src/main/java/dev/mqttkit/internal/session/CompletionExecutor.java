package dev.mqttkit.internal.session;

import dev.mqttkit.internal.DaemonThreads;
import dev.mqttkit.internal.Logs;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Runs publish-future completions (and so the callbacks users chain on them) off Paho's threads, so that a
 * callback that blocks delays only itself.
 *
 * <p>One worker thread runs completions in order. When a completion has been running for longer than
 * {@link #STALL_MILLIS}, the worker is left to it and a fresh worker takes over the queue; the stalled one ends
 * when its callback returns. A callback like {@code publish(a).thenRun(() -> publish(b).join())} therefore
 * waits for {@code b} instead of deadlocking every later future. At most {@link #MAX_STALLED} workers may be
 * stalled at once; beyond that the queue waits (and one WARN says so). One watchdog thread per JVM
 * ({@code mqttkit-completion-watchdog}) checks every {@link #STALL_MILLIS} while some executor has work; it
 * ends when none has.
 */
final class CompletionExecutor implements Executor {

    /** How long a completion may run before the queue moves on without it. */
    static final long STALL_MILLIS = 50;
    /** How many workers may be held by blocked callbacks at once. */
    static final int MAX_STALLED = 64;

    private static final Logger LOG = Logs.get(CompletionExecutor.class);
    private static final Set<CompletionExecutor> WATCHED = new LinkedHashSet<>();
    private static Thread watchdog;

    private final String name;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private Worker current;
    private int stalled;
    private int sequence;
    private boolean warned;
    private boolean shutdown;
    /** Whether the watchdog has this executor on its list (guarded by this object). */
    private boolean watched;

    /**
     * Creates an executor; threads start on demand.
     *
     * @param name the name of its threads, for example {@code mqttkit-complete-<clientId>}
     */
    public CompletionExecutor(String name) {
        this.name = name;
    }

    /**
     * Queues a completion. After {@link #shutdown()} the completion runs on the calling thread.
     *
     * @param completion what to run
     */
    @Override
    public void execute(Runnable completion) {
        synchronized (this) {
            if (!shutdown) {
                queue.add(completion);
                if (current == null) {
                    startWorker();
                } else {
                    notifyAll();
                    if (!watched) {
                        watched = true; // the JVM-wide list's lock is taken once per busy spell, not per completion
                        watch(this);
                    }
                }
                return;
            }
        }
        completion.run();
    }

    private void startWorker() {
        current = new Worker();
        DaemonThreads.create(current, name + (sequence++ == 0 ? "" : "-" + sequence)).start();
    }

    /** Stops taking new completions; queued ones still run. Returns at once. */
    public synchronized void shutdown() {
        shutdown = true;
        notifyAll();
    }

    /**
     * Waits until every queued completion ran, not counting those stalled in a blocking callback.
     *
     * @param millis how long to wait
     * @return {@code true} when the queue is empty and no worker is running a completion that is not stalled
     * @throws InterruptedException when interrupted
     */
    public synchronized boolean awaitQuiet(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!queue.isEmpty() || (current != null && current.running != null && !current.stuck())) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, STALL_MILLIS));
            checkStall();
        }
        return true;
    }

    private static void watch(CompletionExecutor executor) {
        synchronized (WATCHED) {
            WATCHED.add(executor);
            if (watchdog == null) {
                watchdog = DaemonThreads.create(CompletionExecutor::watchLoop, "mqttkit-completion-watchdog");
                watchdog.start();
            }
        }
    }

    /** Every tick, lets each busy executor move on from a stalled callback; ends when no executor has work. */
    private static void watchLoop() {
        while (true) {
            List<CompletionExecutor> executors;
            synchronized (WATCHED) {
                try {
                    WATCHED.wait(STALL_MILLIS); // a timer tick, not a hand-off
                } catch (InterruptedException e) {
                    watchdog = null;
                    return;
                }
                executors = List.copyOf(WATCHED);
            }
            for (CompletionExecutor executor : executors) {
                synchronized (executor) {
                    executor.checkStall();
                    if (executor.queue.isEmpty()) {
                        // under the executor's lock, as in execute(): a new busy spell registers it again
                        executor.watched = false;
                        synchronized (WATCHED) {
                            WATCHED.remove(executor);
                        }
                    }
                }
            }
            synchronized (WATCHED) {
                if (WATCHED.isEmpty()) {
                    watchdog = null;
                    return;
                }
            }
        }
    }

    /** Hands the queue to a new worker when the current one is stuck in a callback. */
    private void checkStall() {
        Worker worker = current;
        if (worker == null || worker.running == null || System.nanoTime() - worker.since
                < TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS) || queue.isEmpty()) {
            return;
        }
        if (stalled >= MAX_STALLED) {
            if (!warned) {
                warned = true;
                LOG.warn("{}: {} publish-future callbacks are blocked at once; later completions wait for one of "
                        + "them to return (do not block in thenRun/thenAccept; use the ...Async variants)", name,
                        stalled);
            }
            return;
        }
        worker.detached = true;
        stalled++;
        startWorker();
    }

    private final class Worker implements Runnable {
        private Runnable running;
        private long since;
        private boolean detached;

        /** Whether it has been running one completion for longer than the stall limit. */
        boolean stuck() {
            return running != null && System.nanoTime() - since >= TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
        }

        @Override
        public void run() {
            while (true) {
                Runnable next;
                synchronized (CompletionExecutor.this) {
                    running = null;
                    if (detached) {
                        stalled--;
                        return;
                    }
                    while (queue.isEmpty()) {
                        if (shutdown) {
                            current = null;
                            CompletionExecutor.this.notifyAll();
                            return;
                        }
                        try {
                            CompletionExecutor.this.wait(STALL_MILLIS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            current = null;
                            return;
                        }
                        if (detached) {
                            stalled--;
                            return;
                        }
                    }
                    next = queue.poll();
                    running = next;
                    since = System.nanoTime();
                    CompletionExecutor.this.notifyAll();
                }
                try {
                    next.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("{}: a publish-future callback threw", name, e);
                }
            }
        }
    }
}
