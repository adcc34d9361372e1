package dev.mqttkit.internal.session;

import dev.mqttkit.internal.DaemonThreads;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads Paho runs on, made by mqttkit: daemon threads, so that a program whose {@code main} returns without
 * {@code stop()} exits (as a Python program does with paho's loop thread), where Paho's own threads would keep the
 * JVM alive for ever.
 *
 * <p>Paho runs its connect, reader, sender and callback loops as tasks of this executor: each task gets a fresh
 * thread that ends with it, as Paho's own {@code new Thread(...)} would, so Paho names it ({@code MQTT Rec: <id>},
 * ...) and a thread of a closed client never lingers. The keep-alive pings are scheduled on one daemon thread.
 */
final class PahoThreads extends AbstractExecutorService implements ScheduledExecutorService {

    private final String clientId;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    PahoThreads(String clientId) {
        this.clientId = clientId;
        this.timer = new ScheduledThreadPoolExecutor(1, task -> DaemonThreads.create(task, "MQTT Ping: " + clientId));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // no ping after Paho shut its threads down
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("The Paho threads of client [" + clientId + "] are shut down");
        }
        Thread thread = DaemonThreads.create(() -> {
            try {
                task.run();
            } finally {
                synchronized (running) {
                    running.remove(Thread.currentThread());
                    running.notifyAll();
                }
            }
        }, "MQTT: " + clientId); // Paho renames it for what it runs
        running.add(thread);
        thread.start();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return timer.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return timer.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return timer.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return timer.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        timer.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        running.forEach(Thread::interrupt);
        return timer.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && running.isEmpty() && timer.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (running) {
            while (!running.isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                running.wait(left);
            }
        }
        return timer.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
