package dev.mqttkit.internal.lifecycle;

import dev.mqttkit.internal.DaemonThreads;
import dev.mqttkit.internal.Logs;
import dev.mqttkit.internal.ReconnectPolicy;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * Runs a client's reconnect attempts, one chain at a time, on its own thread ({@code mqttkit-reconnect-<id>}),
 * waiting between attempts as the {@link ReconnectPolicy} says, until one works or {@link #shutdown}. A loss
 * reported while an attempt runs (the new connection dropped while the attempt restored the session) is not
 * dropped: another attempt follows. As a last resort, a watch started with {@link #watch} starts a chain for a
 * connection that is down with none running. A connection that drops soon after it was made does not reset the
 * backoff ({@link DuplicateIdDetector}), so two clients with one id fight less and less often.
 */
public final class Reconnector {

    /** One reconnect attempt: connects, restores subscriptions, sends what was buffered. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * Tries once.
         *
         * @throws RuntimeException when it failed; the next attempt follows the policy
         */
        void run();
    }

    /**
     * How long {@link #shutdown} lets a running attempt go on before interrupting it: Paho 1.2.5's connect thread
     * polls its receiver, sender and callback threads for up to ~300 ms after the TCP connect and never returns
     * when the connection is torn down meanwhile (eclipse-paho/paho.mqtt.java#850).
     */
    static final long ATTEMPT_GRACE_MILLIS = 2_000;

    private static final Logger LOG = Logs.get(Reconnector.class);

    private final String clientId;
    private final String serverUri;
    private final ReconnectPolicy policy;
    private final DuplicateIdDetector duplicateId;
    private final ScheduledExecutorService thread;
    private final Object lock = new Object();
    private boolean active;
    /** A loss was reported while an attempt ran: when it returns, the chain goes on. */
    private boolean lostAgain;
    private int attempt;
    private volatile boolean stopped;

    /**
     * Creates the reconnect thread.
     *
     * @param clientId the client's id, for the thread name and the log
     * @param serverUri the broker, for the log
     * @param policy the waits between attempts
     */
    public Reconnector(String clientId, String serverUri, ReconnectPolicy policy) {
        this.clientId = clientId;
        this.serverUri = serverUri;
        this.policy = policy;
        this.duplicateId = new DuplicateIdDetector(clientId, serverUri);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                runnable -> DaemonThreads.create(runnable, "mqttkit-reconnect-" + clientId));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.thread = executor;
    }

    /** Records a successful connection (the first one, or an attempt that succeeded). */
    public void connected() {
        synchronized (lock) {
            duplicateId.connected();
        }
    }

    /**
     * The connection dropped: schedules attempts until one succeeds, unless a chain is already running.
     *
     * @param attempt what one attempt does
     */
    public void lost(Attempt attempt) {
        int next;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (active) {
                lostAgain = true; // the running attempt's connection, or the one it is about to report
                return;
            }
            active = true;
            this.attempt = duplicateId.lost() ? this.attempt + 1 : 1;
            next = this.attempt;
        }
        schedule(attempt, next);
    }

    private void schedule(Attempt attempt, int number) {
        Duration delay = policy.delay(number);
        try {
            thread.schedule(() -> run(attempt, number), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Client [{}] is stopping; no reconnect", clientId);
        }
    }

    private void run(Attempt attempt, int number) {
        if (stopped) {
            return;
        }
        try {
            attempt.run();
            int next;
            synchronized (lock) {
                duplicateId.connected();
                if (!lostAgain) {
                    active = false;
                    next = 0;
                } else {
                    lostAgain = false;
                    this.attempt = duplicateId.lost() ? this.attempt + 1 : 1;
                    next = this.attempt;
                }
            }
            if (next == 0) {
                LOG.info("Client [{}] reconnected to {} (attempt {})", clientId, serverUri, number);
                return;
            }
            LOG.info("Client [{}] lost the connection to {} again while reconnecting (attempt {}); attempt {} in "
                    + "about {} ms", clientId, serverUri, number, next, policy.ceiling(next).toMillis());
            schedule(attempt, next);
        } catch (RuntimeException e) {
            if (stopped) {
                return;
            }
            int next;
            synchronized (lock) {
                lostAgain = false; // this chain goes on anyway
                next = ++this.attempt;
            }
            LOG.info("Client [{}] could not reconnect to {} ({}); attempt {} in about {} ms", clientId, serverUri,
                    e.getMessage(), next, policy.ceiling(next).toMillis());
            schedule(attempt, next);
        }
    }

    /**
     * Checks every {@code period} that a connection which should be up is up, or that a chain is running to bring
     * it back; if it stays down for two checks in a row with none running, starts one. A safety net: every loss
     * Paho reports starts a chain by itself.
     *
     * @param down whether the connection is down and should be up
     * @param attempt what one attempt does
     * @param period how often to check
     */
    public void watch(BooleanSupplier down, Attempt attempt, Duration period) {
        int[] downChecks = {0};
        try {
            thread.scheduleWithFixedDelay(() -> {
                boolean idle;
                synchronized (lock) {
                    idle = !active && !stopped;
                }
                downChecks[0] = idle && down.getAsBoolean() ? downChecks[0] + 1 : 0;
                if (downChecks[0] >= 2) {
                    downChecks[0] = 0;
                    LOG.warn("Client [{}] is not connected to {} and no reconnect attempt is running; starting one",
                            clientId, serverUri);
                    lost(attempt);
                }
            }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Client [{}] is stopping; no watch", clientId);
        }
    }

    /**
     * Runs a task on the reconnect thread after a delay (the connection's upkeep: a subscription to drop); nothing
     * after {@link #shutdown}.
     *
     * @param task the task; what it throws is logged
     * @param millis the delay
     */
    public void later(Runnable task, long millis) {
        try {
            thread.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.debug("Client [{}]: a delayed task failed: {}", clientId, e.getMessage());
                }
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Client [{}] is stopping; the delayed task is dropped", clientId);
        }
    }

    /**
     * Tells whether the caller is the reconnect thread.
     *
     * @return {@code true} on it
     */
    public boolean isReconnectThread() {
        return Thread.currentThread().getName().equals("mqttkit-reconnect-" + clientId);
    }

    /**
     * Stops attempts and checks; waits for a running attempt, up to a timeout.
     *
     * @param timeout how long to wait for a running attempt
     */
    public void shutdown(Duration timeout) {
        stopped = true;
        thread.shutdown(); // waiting attempts and checks are dropped; a running attempt may finish first
        if (isReconnectThread()) {
            return;
        }
        try {
            if (thread.awaitTermination(ATTEMPT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
            thread.shutdownNow();
            if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The reconnect attempt of client [{}] did not end within {} ms", clientId, timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
