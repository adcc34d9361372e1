package dev.mqttkit.internal.session;

import dev.mqttkit.internal.Logs;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;

/**
 * Taking a Paho client down without its traps: a connect thread that never ends when torn down too early
 * (eclipse-paho/paho.mqtt.java#850), a receiver thread that dies with a NullPointerException when {@code close()}
 * clears the state it still reads, and threads left behind.
 */
final class PahoTeardown {

    private static final Logger LOG = Logs.get(PahoTeardown.class);
    /** How long the receiver thread, and then our executor, are given to end. */
    private static final long RECEIVER_END_MILLIS = 500;
    /** How long a teardown waits for Paho's connect thread to end (it writes the CONNECT at its end). */
    private static final long STARTUP_GRACE_MILLIS = 3_000;

    private final String clientId;
    private final MqttAsyncClient client;
    /** Paho's threads, daemon threads of ours; {@code null} in unit tests with a mocked client. */
    private final PahoThreads threads;
    private final Supplier<Socket> socket;
    private final AtomicBoolean released = new AtomicBoolean();

    PahoTeardown(String clientId, MqttAsyncClient client, PahoThreads threads, Supplier<Socket> socket) {
        this.clientId = clientId;
        this.client = client;
        this.threads = threads;
        this.socket = socket;
    }

    /**
     * Claims the release: {@code true} for the first caller only ({@code stop()} and a {@code start()} it cut
     * short both get there).
     */
    boolean claim() {
        return released.compareAndSet(false, true);
    }

    /**
     * Frees Paho's client and threads; a connection still in progress or half-open is torn down first.
     *
     * @param disconnected whether a clean DISCONNECT completed already
     */
    void release(boolean disconnected) {
        if (!disconnected) {
            dropAttempt("Forced disconnect");
        }
        awaitReceiverEnd();
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Closing Paho client [{}] failed: {}", clientId, e.getMessage());
        }
        if (threads != null) {
            threads.shutdownNow(); // Paho shut its tasks down already; this ends the keep-alive timer's thread too
            try {
                threads.awaitTermination(RECEIVER_END_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Tears down a connection attempt, keeping the client for the next one. */
    void dropAttempt(String what) {
        awaitPahoStartup();
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("{} of [{}]: {}", what, clientId, e.getMessage());
        }
    }

    /**
     * Paho 1.2.5's {@code close()} clears its state while its receiver thread may still be reading (a disconnect
     * completes before that thread ends); a packet read then kills the thread with a NullPointerException
     * ({@code highResolutionTimer}). Closing our socket first ends the read, and the thread is given a moment
     * to end before Paho closes.
     */
    private void awaitReceiverEnd() {
        closeSocket();
        try {
            joinThreads("MQTT Rec: " + clientId, RECEIVER_END_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the current connection's socket under Paho: its receiver's read ends, Paho reports the connection
     * lost and, after a loss, reconnects (a QoS 0 write that stalled, {@link OutboundPublishes#failOverdue()}).
     */
    void closeSocket() {
        Socket open = socket.get();
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                LOG.debug("Closing the socket of [{}]: {}", clientId, e.getMessage());
            }
        }
    }

    /**
     * Waits (up to {@link #STARTUP_GRACE_MILLIS}) until Paho's connect thread has ended: it starts the reader, the
     * sender and the callback thread, polling until each runs, then writes the CONNECT and ends; torn down before
     * that, it polls for a thread that stopped and never ends (eclipse-paho/paho.mqtt.java#850). It does not wait
     * for the CONNACK, so a broker that never answers does not hold up {@code stop()}.
     */
    private void awaitPahoStartup() {
        boolean interrupted = Thread.interrupted(); // stop()'s interrupt ended the wait; this one must still happen
        try {
            joinThreads("MQTT Con: " + clientId, STARTUP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void joinThreads(String name, long millis) throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name) && thread != Thread.currentThread()) {
                thread.join(millis);
            }
        }
    }
}
