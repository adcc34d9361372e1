package dev.mqttkit.internal.lifecycle;

import dev.mqttkit.internal.DaemonThreads;
import dev.mqttkit.internal.ReconnectPolicy;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a client's reconnect attempts, one chain at a time, on its own thread ({@code mqttkit-reconnect-<id>}),
 * waiting between attempts as the {@link ReconnectPolicy} says. A connection that drops soon after it was made
 * does not reset the backoff ({@link DuplicateIdDetector}), so two clients with one id fight less and less often.
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
    static final long ATTEMPT_GRACE_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

    private final String clientId;
    private final String serverUri;
    private final ReconnectPolicy policy;
    private final DuplicateIdDetector duplicateId;
    private final ScheduledExecutorService thread;
    private final Object lock = new Object();
    private boolean active;
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
            if (active || stopped) {
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
            synchronized (lock) {
                active = false;
                duplicateId.connected();
            }
            LOG.info("Client [{}] reconnected to {} (attempt {})", clientId, serverUri, number);
        } catch (RuntimeException e) {
            if (stopped) {
                return;
            }
            int next;
            synchronized (lock) {
                next = ++this.attempt;
            }
            LOG.info("Client [{}] could not reconnect to {} ({}); attempt {} in about {} ms", clientId, serverUri,
                    e.getMessage(), next, policy.ceiling(next).toMillis());
            schedule(attempt, next);
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
