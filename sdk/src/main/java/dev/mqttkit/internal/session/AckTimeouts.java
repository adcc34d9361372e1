package dev.mqttkit.internal.session;

import dev.mqttkit.internal.DaemonThreads;
import dev.mqttkit.internal.Logs;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Runs each client's acknowledgement-timeout check ({@link OutboundPublishes#failOverdue()}) every 250 ms, on one
 * daemon thread for the whole JVM ({@code mqttkit-ack-timeouts}): the checks are short, and a thread per client
 * for them would be waste.
 */
final class AckTimeouts {

    static final Duration PERIOD = Duration.ofMillis(250);

    private static final Logger LOG = Logs.get(AckTimeouts.class);
    private static final ScheduledThreadPoolExecutor TIMER;

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, task -> DaemonThreads.create(task, "mqttkit-ack-timeouts"));
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private AckTimeouts() {
    }

    /**
     * Runs a client's check until the returned handle is cancelled.
     *
     * @param clientId for the log
     * @param check the check; what it throws is logged, and the next run happens anyway
     * @return cancel it when the client closes
     */
    static ScheduledFuture<?> watch(String clientId, Runnable check) {
        return TIMER.scheduleWithFixedDelay(() -> {
            try {
                check.run();
            } catch (RuntimeException e) {
                LOG.error("The acknowledgement-timeout check of client [{}] threw", clientId, e);
            }
        }, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }
}
