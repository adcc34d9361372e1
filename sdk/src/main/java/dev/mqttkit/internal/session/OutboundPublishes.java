package dev.mqttkit.internal.session;

import dev.mqttkit.OperationTimeoutException;
import dev.mqttkit.PublishFailedException;
import dev.mqttkit.Qos;
import dev.mqttkit.QosNotSupportedException;
import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.Logs;
import dev.mqttkit.internal.persist.TrackingPersistence;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttPubAck;
import org.slf4j.Logger;

/**
 * The outbound publish path: a QoS 0 message, while no publish is unfinished, is written on the socket past Paho
 * ({@link #sentDirectly}); every other publish takes a slot of the {@link InflightWindow} (so that Paho never
 * throws 32202, "too many publishes in progress") and goes through Paho. Every publish future completes exactly
 * once, on a {@link CompletionExecutor} (or, for a QoS 0 message written directly, on the publishing thread before
 * anyone could chain a callback): acknowledged, failed on a lost connection (QoS 0, or anything of a clean
 * session), failed when its acknowledgement is overdue ({@link #failOverdue()}), or failed at
 * {@link #failPending()} when the client stops.
 */
final class OutboundPublishes {

    private static final Logger LOG = Logs.get(OutboundPublishes.class);
    private static final long ROOM_CHECK_MILLIS = 50;
    /** A connection the broker closes within this long of a publish (or of connecting) closed on that publish. */
    private static final long QUICK_DROP_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    /** How many such closes a message survives before it is taken out of the store. */
    static final int POISON_TRIES = 3;

    private final ClientSettings settings;
    private final MqttAsyncClient client;
    private final TrackingPersistence persistence;
    private final PahoFailures failures;
    private final InflightWindow window;
    private final CompletionExecutor completions;
    private final BrokerQos brokerQos;
    private final AtMostOnceOutput direct;
    /** Closes the socket under a QoS 0 write that has not returned within the operation timeout. */
    private final Runnable dropStalled;
    /** When the QoS 0 write in progress began ({@link System#nanoTime()}, never 0), or 0 when none is. */
    private volatile long directSince;
    private volatile String directTopic;
    /** QoS 2 publishes the broker refused by closing the connection: sent again, at its QoS, after the reconnect. */
    private final List<InflightWindow.Entry> refusedQos2 = new ArrayList<>();
    private volatile long connectedAt = System.nanoTime();
    /** Whether a QoS 2 publish completed on the current connection: the broker supports QoS 2. */
    private volatile boolean qos2Completed;

    /** Sends a QoS 0 message on the socket itself, past Paho, when it can. */
    @FunctionalInterface
    interface AtMostOnceOutput {

        /** Leaves every message to Paho. */
        AtMostOnceOutput NONE = (topic, payload, retain) -> false;

        /**
         * Sends a QoS 0 message.
         *
         * @return {@code false}, with nothing sent, when Paho must send it
         * @throws IOException when the connection is gone (the message may have been partly sent)
         */
        boolean send(String topic, byte[] payload, boolean retain) throws IOException;
    }

    OutboundPublishes(ClientSettings settings, MqttAsyncClient client, TrackingPersistence persistence,
            PahoFailures failures, BrokerQos brokerQos, AtMostOnceOutput direct, Runnable dropStalled) {
        this.settings = settings;
        this.direct = direct;
        this.dropStalled = dropStalled;
        this.client = client;
        this.persistence = persistence;
        this.failures = failures;
        this.brokerQos = brokerQos;
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
        Qos sendQos = brokerQos.effective(qos);
        if (sendQos != qos && brokerQos.strict()) {
            result.completeExceptionally(new QosNotSupportedException(topic, qos, sendQos, false, "Cannot publish to ["
                    + topic + "] at QoS " + qos.value() + ": the broker " + settings.serverUri() + " supports at most "
                    + "QoS " + sendQos.value() + " (strictQos); the message was not sent."));
            return true;
        }
        if (sendQos == Qos.AT_MOST_ONCE && window.available() == window.size()
                && sentDirectly(topic, payload, retain, result)) {
            return true;
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
        InflightWindow.Entry entry = window.track(topic, sendQos, qos, payload, retain, result,
                System.nanoTime() + settings.ackTimeout().toNanos());
        MqttMessage message = new MqttMessage(payload);
        message.setQos(sendQos.value());
        message.setRetained(retain);
        persistence.takeStoredKey(); // forget a key left by an earlier call on this thread
        try {
            entry.token = client.publish(topic, message, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    entry.release();
                    complete(entry, acknowledged(entry, token));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    if (refusedAsQos2(entry, failure)) {
                        return; // sent again at QoS 1 after the reconnect
                    }
                    if (sendQos != Qos.AT_MOST_ONCE && !settings.cleanSession()) {
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
            return refused(topic, sendQos, entry, result, e);
        }
        return true;
    }

    /**
     * Sends a QoS 0 message on the socket itself, past Paho's queue, sender thread and callbacks, when no publish
     * of this client is unfinished (the window is empty, so nothing waits in Paho's queue that it could overtake).
     * Its future completes once the message is written, as Paho's would: on this thread when nobody could have
     * chained a callback on it yet, else on the completion thread. A write the socket does not take within the
     * operation timeout (a broker or network that stopped taking data) is ended by {@link #failOverdue()}.
     *
     * @return {@code false} when Paho must send it
     */
    private boolean sentDirectly(String topic, byte[] payload, boolean retain, CompletableFuture<Void> result) {
        directTopic = topic;
        directSince = System.nanoTime() | 1;
        try {
            if (!direct.send(topic, payload, retain)) {
                return false;
            }
        } catch (IOException e) {
            MqttException lost = new MqttException(MqttException.REASON_CODE_CONNECTION_LOST, e);
            Throwable failure = failures.inDoubt(topic, failures.translate(lost, "publish to [" + topic + "]"));
            completions.execute(() -> result.completeExceptionally(failure));
            return true;
        } finally {
            directSince = 0;
        }
        if (result.getNumberOfDependents() == 0) {
            result.complete(null);
        } else {
            completions.execute(() -> result.complete(null));
        }
        return true;
    }

    /** What completes an acknowledged publish: nothing (success), or a QoS the broker gave less of than asked. */
    private Throwable acknowledged(InflightWindow.Entry entry, IMqttToken token) {
        if (entry.qos() != Qos.EXACTLY_ONCE) {
            return null;
        }
        if (!(token.getResponse() instanceof MqttPubAck)) {
            qos2Completed = true;
            brokerQos.qos2Shown();
            return null;
        }
        // RabbitMQ: a PUBACK for a QoS 2 publish; the message was delivered at least once, not exactly once
        brokerQos.limitedTo(Qos.AT_LEAST_ONCE, "it acknowledged a QoS 2 publish to [" + entry.topic() + "] with a "
                + "PUBACK, as for QoS 1");
        if (!brokerQos.strict()) {
            return null;
        }
        return new QosNotSupportedException(entry.topic(), Qos.EXACTLY_ONCE, Qos.AT_LEAST_ONCE, true, "The broker "
                + settings.serverUri() + " took the QoS 2 message on [" + entry.topic() + "] at QoS 1 (it answered "
                + "with a PUBACK): it does not support QoS 2, and the message may be delivered more than once.");
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
        connectedAt = System.nanoTime();
        qos2Completed = false;
    }

    /** The broker showed it supports at most {@code qos}, in a SUBACK. */
    void brokerLimitedTo(Qos qos, String how) {
        brokerQos.limitedTo(qos, how);
    }

    /** The broker granted a QoS 2 subscription: it supports QoS 2. */
    void brokerGrantedQos2() {
        brokerQos.qos2Shown();
    }

    /** After a connect: sends again, at the QoS the broker supports, the QoS 2 publishes it refused by closing. */
    void resendRefused() {
        List<InflightWindow.Entry> again;
        synchronized (refusedQos2) {
            again = List.copyOf(refusedQos2);
            refusedQos2.clear();
        }
        for (int i = 0; i < again.size(); i++) {
            InflightWindow.Entry entry = again.get(i);
            if (!publish(entry.topic(), entry.payload(), entry.requested(), entry.retain(), entry.future())) {
                synchronized (refusedQos2) {
                    refusedQos2.addAll(0, again.subList(i, again.size())); // not connected any more: next time
                }
                return;
            }
        }
    }

    /**
     * The connection dropped: QoS 0 is never sent again, nor is anything of a clean session (Paho forgets them).
     * A broker that closed the connection right after a QoS 2 publish (NATS) refused QoS 2: those publishes go
     * again at QoS 1 after the reconnect. A message the broker closes the connection on each time it is sent again
     * is taken out of the store after a few tries, and fails.
     *
     * @param error the loss, in words
     * @param cause what Paho reported
     */
    void connectionLost(RuntimeException error, Throwable cause) {
        boolean closedByBroker = causedBy(cause, java.io.EOFException.class);
        for (InflightWindow.Entry entry : window.pending()) {
            refusedAsQos2(entry, cause);
        }
        if (closedByBroker && System.nanoTime() - connectedAt < QUICK_DROP_NANOS && !settings.cleanSession()) {
            dropPoison();
        }
        for (InflightWindow.Entry entry : window.pending()) {
            if (entry.qos() == Qos.AT_MOST_ONCE || settings.cleanSession()) {
                entry.release();
                complete(entry, failures.inDoubt(entry.topic(), error));
            }
        }
    }

    /**
     * Whether a QoS 2 publish failed because the broker closed the connection right after it, before any QoS 2
     * publish completed on that connection: a broker without QoS 2 refuses it that way (NATS). It then goes again,
     * at QoS 1, after the reconnect; it certainly did not arrive. The close reads as an end of stream or, when the
     * client was still writing more publishes into the closed socket, as a reset or a broken pipe: those count too
     * until the broker has shown QoS 2 (from then on a reset is only a reset).
     */
    private boolean refusedAsQos2(InflightWindow.Entry entry, Throwable failure) {
        boolean closed = causedBy(failure, java.io.EOFException.class)
                || !brokerQos.isQos2Shown() && causedBy(failure, java.net.SocketException.class);
        if (entry.qos() != Qos.EXACTLY_ONCE || qos2Completed || !closed
                || System.nanoTime() - entry.sentAt() > QUICK_DROP_NANOS || !entry.release()) {
            return false;
        }
        brokerQos.limitedTo(Qos.AT_LEAST_ONCE, "it closed the connection right after a QoS 2 publish to ["
                + entry.topic() + "], which is how a broker without QoS 2 refuses one");
        forgetInPaho(entry);
        synchronized (refusedQos2) {
            refusedQos2.add(entry);
            refusedQos2.sort(java.util.Comparator.comparingLong(InflightWindow.Entry::sentAt));
        }
        return true;
    }

    /**
     * The broker closed a durable connection soon after it was made, again: the oldest message Paho sends again first
     * may be one the broker will not take (too large for it, not allowed). After {@link #POISON_TRIES} such closes it
     * is taken out of the store and fails, so that the client does not reconnect for ever.
     */
    private void dropPoison() {
        InflightWindow.Entry oldest = null;
        for (InflightWindow.Entry entry : window.pending()) {
            if (entry.qos() != Qos.AT_MOST_ONCE && (oldest == null || entry.sentAt() < oldest.sentAt())) {
                oldest = entry;
            }
        }
        if (oldest == null || ++oldest.quickDrops < POISON_TRIES) {
            return;
        }
        forgetInPaho(oldest);
        oldest.release();
        LOG.warn("Client [{}]: the broker {} closed the connection soon after each of the last {} reconnects, while "
                + "the message on [{}] was sent again; it is taken out of the client's store and fails",
                settings.clientId(), settings.serverUri(), POISON_TRIES, oldest.topic());
        complete(oldest, new PublishFailedException(oldest.topic(), true, "The broker " + settings.serverUri()
                + " closed the connection each time the message on [" + oldest.topic() + "] was sent again ("
                + POISON_TRIES + " times); it was taken out of the client's store and is not sent again (the broker "
                + "may refuse it: too large for it, or not allowed).", null));
    }

    private void forgetInPaho(InflightWindow.Entry entry) {
        if (entry.token instanceof IMqttDeliveryToken token) {
            try {
                client.removeMessage(token);
            } catch (MqttException | RuntimeException e) {
                LOG.debug("Could not take the message on [{}] out of Paho's store: {}", entry.topic(), e.getMessage());
            }
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
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
        long since = directSince;
        if (since != 0 && now - since > settings.operationTimeout().toNanos()) {
            directSince = 0; // once per stalled write
            LOG.warn("Client [{}]: a QoS 0 message to [{}] could not be written to {} for {} (the broker or the "
                    + "network stopped taking data); dropping the connection to reconnect", settings.clientId(),
                    directTopic, settings.serverUri(), PahoFailures.format(settings.operationTimeout()));
            dropStalled.run();
        }
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
