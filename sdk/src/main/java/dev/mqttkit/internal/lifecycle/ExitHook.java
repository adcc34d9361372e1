package dev.mqttkit.internal.lifecycle;

import dev.mqttkit.internal.DaemonThreads;
import dev.mqttkit.internal.Logs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * What happens to a client the program forgot to stop: mqttkit's threads are daemon threads, so the JVM exits when
 * {@code main} returns (as a Python program with paho's loop thread does), and this JVM shutdown hook then stops
 * every client still started (after giving the program's own shutdown hooks a moment to stop theirs), each with one
 * WARN, so that publishes in flight get their acknowledgement, received
 * messages theirs, and the broker a clean DISCONNECT. One hook for the JVM, registered at the first start.
 */
public final class ExitHook {

    /** How long the hook waits for all the clients it stops. */
    static final Duration LIMIT = Duration.ofSeconds(15);
    /** How long the program's own shutdown hooks (they run at the same time) get to stop their clients first. */
    static final Duration GRACE = Duration.ofMillis(500);

    private static final Logger LOG = Logs.get(ExitHook.class);
    private static final Map<Object, Registration> STARTED = new ConcurrentHashMap<>();
    private static volatile boolean installed;

    private ExitHook() {
    }

    /** A started client the hook stops at exit unless it is stopped first. */
    public static final class Registration {
        private final String clientId;
        private final Runnable stop;

        private Registration(String clientId, Runnable stop) {
            this.clientId = clientId;
            this.stop = stop;
        }

        /** The client was stopped: nothing to do at exit. */
        public void cancel() {
            STARTED.remove(this);
            synchronized (STARTED) {
                STARTED.notifyAll();
            }
        }
    }

    /**
     * Registers a started client.
     *
     * @param clientId for the WARN
     * @param stop stops it
     * @return cancel it when the client stops
     */
    public static Registration register(String clientId, Runnable stop) {
        install();
        Registration registration = new Registration(clientId, stop);
        STARTED.put(registration, registration);
        return registration;
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Runtime.getRuntime().addShutdownHook(new Thread(ExitHook::stopAll, "mqttkit-exit"));
    }

    private static void stopAll() {
        long graceEnds = System.nanoTime() + GRACE.toNanos();
        synchronized (STARTED) {
            while (!STARTED.isEmpty() && System.nanoTime() - graceEnds < 0) {
                try {
                    STARTED.wait(Math.max(1, (graceEnds - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        List<Thread> stopping = new ArrayList<>();
        for (Registration registration : List.copyOf(STARTED.values())) {
            LOG.warn("Client [{}] was still started when the JVM began to exit; stopping it, so that what it has "
                    + "in flight can finish (call stop() yourself to choose when)", registration.clientId);
            Thread thread = DaemonThreads.create(() -> {
                try {
                    registration.stop.run();
                } catch (RuntimeException e) {
                    LOG.warn("Stopping client [{}] at exit failed: {}", registration.clientId, e.toString());
                }
            }, "mqttkit-exit-" + registration.clientId);
            thread.start();
            stopping.add(thread);
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (Thread thread : stopping) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
