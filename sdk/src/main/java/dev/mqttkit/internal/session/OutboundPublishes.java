package dev.mqttkit.internal.session;

import dev.mqttkit.OperationTimeoutException;
import dev.mqttkit.PublishFailedException;
import dev.mqttkit.Qos;
import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.Logs;
import dev.mqttkit.internal.persist.TrackingPersistence;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;
import org.slf4j.Logger;

/**
 * The outbound publish path: every publish takes a slot of the {@link InflightWindow} (so that Paho never throws
 * 32202, "too many publishes in progress"), and every publish future completes exactly once, on a
 * {@link CompletionExecutor}: acknowledged, failed on a lost connection (QoS 0, or anything of a clean session),
 * failed when its acknowledgement is overdue ({@link #failOverdue()}), or failed at {@link #failPending()} when the
 * client stops.
 */
final class OutboundPublishes {

    private static final Logger LOG = Logs.get(OutboundPublishes.class);
    private static final long ROOM_CHECK_MILLIS = 50;

    private final ClientSettings settings;
    private final MqttAsyncClient client;
    private final TrackingPersistence persistence;
    private final PahoFailures failures;
    private final InflightWindow window;
    private final CompletionExecutor completions;

    OutboundPublishes(ClientSettings settings, MqttAsyncClient client, TrackingPersistence persistence,
            PahoFailures failures) {
        this.settings = settings;
        this.client = client;
        this.persistence = persistence;
        this.failures = failures;
        this.window = new InflightWindow(settings.maxInflight());
        this.completions = new CompletionExecutor("mqttkit-complete-" + settings.clientId());
    }

    InflightWindow window() {
        return window;
    }

    /**
     * Publishes a message. Waits (up to the operation timeout) while the in-flight window is full.
     *
     * @return {@code false} when the client is not connected and nothing was sent: the caller keeps the message
     */
    boolean publish(String topic, byte[] payload, Qos qos, boolean retain, CompletableFuture<Void> result) {
        if (!client.isConnected()) {
            return false;
        }
        Duration timeout = settings.operationTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!window.acquire(Math.min(ROOM_CHECK_MILLIS, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)))) {
                if (!client.isConnected()) {
                    return false; // the connection dropped while we waited: the caller buffers it
                }
                if (System.nanoTime() - deadline >= 0) {
                    result.completeExceptionally(new PublishFailedException(topic, false, "Timed out after "
                            + PahoFailures.format(timeout) + " waiting for room to publish to [" + topic + "] on "
                            + settings.serverUri() + ": " + settings.maxInflight()
                            + " messages await their acknowledgement; the message was not sent.",
                            new OperationTimeoutException(timeout, "No room in the in-flight window")));
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(new PublishFailedException(topic, false, "Interrupted while waiting to "
                    + "publish to [" + topic + "]; the message was not sent.", e));
            return true;
        }
        InflightWindow.Entry entry = window.track(topic, qos, result, System.nanoTime() + settings.ackTimeout().toNanos());
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos.value());
        message.setRetained(retain);
        persistence.takeStoredKey(); // forget a key left by an earlier call on this thread
        try {
            client.publish(topic, message, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    entry.release();
                    complete(entry, null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    if (qos != Qos.AT_MOST_ONCE && !settings.cleanSession()) {
                        // the durable session keeps it: Paho sends it again after the reconnect, and succeeds
                        // this token then; failPending() fails it if that never happens
                        LOG.debug("Publish to [{}] awaits the reconnect: {}", topic, failure.getMessage());
                        return;
                    }
                    entry.release();
                    complete(entry, failures.inDoubt(topic, failures.translate(failure, "publish to [" + topic + "]")));
                }
            });
        } catch (MqttException e) {
            return refused(topic, qos, entry, result, e);
        }
        return true;
    }

    /**
     * Paho threw instead of taking the message. It may have put it in its store first: Paho 1.2.5 stores a QoS 1/2
     * publish, then fails to save its token while the connection closes (32102) and takes it out again ("undo"),
     * and if that removal fails the record stays behind. Either way Paho will not send it after the reconnect (it
     * is not among the messages it holds in memory), so the record is removed if left and the message goes back
     * to the caller, which sends it after the reconnect: neither lost nor sent twice.
     */
    private boolean refused(String topic, Qos qos, InflightWindow.Entry entry, CompletableFuture<Void> result,
            MqttException e) {
        String stored = persistence.takeStoredKey();
        if (stored != null) {
            forget(stored);
        }
        entry.release();
        int code = e.getReasonCode();
        if (code == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                || code == MqttException.REASON_CODE_CONNECTION_LOST
                || code == MqttException.REASON_CODE_CLIENT_DISCONNECTING) {
            return false; // not sent: the caller buffers it for the reconnect
        }
        result.completeExceptionally(new PublishFailedException(topic, false, "Cannot publish to [" + topic
                + "]: " + failures.translate(e, "publish").getMessage() + " The message was not sent.", e));
        return true;
    }

    private void forget(String key) {
        try {
            if (persistence.containsKey(key)) {
                persistence.remove(key);
                LOG.debug("Removed the record {} Paho left in its store for a publish it refused", key);
            }
        } catch (MqttPersistenceException | RuntimeException failure) {
            LOG.warn("Client [{}]: could not remove the record {} of a publish Paho refused ({}); a later start() "
                    + "may send that message a second time", settings.clientId(), key, failure.getMessage());
        }
    }

    /** The connection is back: Paho sends the unacknowledged messages of a durable session again now. */
    void reconnected() {
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        window.pending().forEach(entry -> entry.ackDeadline(deadline));
    }

    /** The connection dropped: QoS 0 is never sent again, nor is anything of a clean session (Paho forgets them). */
    void connectionLost(RuntimeException error) {
        for (InflightWindow.Entry entry : window.pending()) {
            if (entry.qos() == Qos.AT_MOST_ONCE || settings.cleanSession()) {
                entry.release();
                complete(entry, failures.inDoubt(entry.topic(), error));
            }
        }
    }

    /**
     * Fails the futures of sent QoS 1/2 messages whose acknowledgement is overdue (while connected). Their
     * slots stay taken until Paho lets go of them.
     */
    void failOverdue() {
        if (!client.isConnected()) {
            return;
        }
        long now = System.nanoTime();
        Duration timeout = settings.ackTimeout();
        for (InflightWindow.Entry entry : window.pending()) {
            if (entry.qos() != Qos.AT_MOST_ONCE && now - entry.ackDeadline() > 0 && !entry.future().isDone()) {
                complete(entry, new PublishFailedException(entry.topic(), true, "Timed out after "
                        + PahoFailures.format(timeout) + " waiting for " + settings.serverUri()
                        + " to acknowledge the message on [" + entry.topic() + "]; it may still arrive.",
                        new OperationTimeoutException(timeout, "No acknowledgement")));
            }
        }
    }

    /** The client stops: fails what Paho still holds, for nothing completes those futures once it is closed. */
    void failPending() {
        for (InflightWindow.Entry entry : window.pending()) {
            entry.release();
            String kept = settings.persistence() != null && entry.qos() != Qos.AT_MOST_ONCE
                    ? "; its file store sends it again at the next start()" : "";
            complete(entry, new PublishFailedException(entry.topic(), true, "The client [" + settings.clientId()
                    + "] stopped before " + settings.serverUri() + " acknowledged the message on [" + entry.topic()
                    + "]; it may have arrived" + kept + ".", null));
        }
    }

    /** Stops the completion threads once the completions already queued ran (up to the operation timeout). */
    void shutdown() {
        completions.shutdown();
        try {
            if (!completions.awaitQuiet(settings.operationTimeout().toMillis())) {
                LOG.warn("Publish-future callbacks of [{}] did not finish within {}; stopping without them",
                        settings.clientId(), PahoFailures.format(settings.operationTimeout()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void complete(InflightWindow.Entry entry, Throwable failure) {
        CompletableFuture<Void> future = entry.future();
        if (future.isDone()) {
            return;
        }
        completions.execute(failure == null ? () -> future.complete(null) : () -> future.completeExceptionally(failure));
    }
}
