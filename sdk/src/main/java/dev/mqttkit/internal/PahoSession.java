package dev.mqttkit.internal;

import dev.mqttkit.ConnectionException;
import dev.mqttkit.Message;
import dev.mqttkit.MqttKitException;
import dev.mqttkit.NotAuthorizedException;
import dev.mqttkit.OperationTimeoutException;
import dev.mqttkit.PublishFailedException;
import dev.mqttkit.Qos;
import dev.mqttkit.SubscriptionRefusedException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection lifetime of a Paho {@link MqttAsyncClient}: from {@link #connect()} to {@link #close()}.
 *
 * <p>It is the only class that sees Paho types. It puts finite timeouts on every blocking wait, turns Paho's
 * reason codes into mqttkit exceptions, keeps publishes inside the {@link InflightWindow} so that Paho never
 * throws 32202 ("too many publishes in progress"), acknowledges inbound QoS 1/2 messages only when told to
 * (manual acks) and only on the connection they came on, runs each QoS 2 message once ({@link Qos2Ledger}),
 * and completes publish futures on a {@link CompletionExecutor} so that user code never blocks Paho.
 *
 * <p>The Paho client lives from {@link #connect()} to {@link #close()}, across reconnects: a durable session's
 * unacknowledged publishes stay with it, Paho sends them again after {@link #reconnect()}, and their futures
 * complete then.
 */
public final class PahoSession implements MqttCallbackExtended {

    private static final Logger LOG = LoggerFactory.getLogger(PahoSession.class);
    private static final int SUBACK_FAILURE = 0x80;
    private static final long ROOM_CHECK_MILLIS = 50;
    private static final long RECEIVER_END_MILLIS = 500;

    static {
        PahoLog.install(); // before the first Paho class takes its logger
    }

    private final ClientSettings settings;
    private final SessionHandler handler;
    private final MqttAsyncClient client;
    private final TopicAliases aliases = new TopicAliases();
    private final SocketFactory socketFactory;
    private final InflightWindow window;
    private final TrackingPersistence persistence;
    private final CompletionExecutor completions;
    private final Qos2Ledger ledger = new Qos2Ledger();
    private final Object ackLock = new Object();
    /** Counts connection attempts; an acknowledgement goes out only on the connection its message came on. */
    private volatile long epoch;
    /** Of {@code settings.serverUris()}: the broker the next attempt tries first. */
    private int firstUri;

    /**
     * Creates the Paho client; nothing is sent until {@link #connect()}.
     *
     * @param settings the connection settings
     * @param handler told about messages and connection events, on Paho's callback thread
     * @param gate where the socket reader waits until the listeners have room for another message
     */
    public PahoSession(ClientSettings settings, SessionHandler handler, ReceiveGate gate) {
        this(settings, handler, new TrackingPersistence(settings.persistence() == null ? new MemoryPersistence()
                : new FilePersistence(settings.persistence())), gate);
    }

    private PahoSession(ClientSettings settings, SessionHandler handler, TrackingPersistence persistence,
            ReceiveGate gate) {
        this(settings, handler, newClient(settings, persistence), persistence, gate);
    }

    /** For unit tests of the Paho boundary, with a mocked client. */
    PahoSession(ClientSettings settings, SessionHandler handler, MqttAsyncClient client) {
        this(settings, handler, client, new TrackingPersistence(new MemoryPersistence()), ReceiveGate.OPEN);
    }

    private PahoSession(ClientSettings settings, SessionHandler handler, MqttAsyncClient client,
            TrackingPersistence persistence, ReceiveGate gate) {
        this.settings = settings;
        this.persistence = persistence;
        this.handler = handler;
        this.socketFactory = ClientSocketFactory.forUri(settings.serverUri(), settings.sslSocketFactory(),
                settings.tcpNoDelay(), aliases, new ReceiveGate() {
                    @Override
                    public void awaitRoom() throws InterruptedIOException {
                        gate.awaitRoom();
                    }

                    @Override
                    public void newQos2Message(int packetId) {
                        ledger.reused(packetId); // on the reader thread, before Paho reads the PUBLISH
                    }
                });
        this.client = client;
        client.setCallback(this);
        client.setManualAcks(true);
        this.window = new InflightWindow(settings.maxInflight());
        this.completions = new CompletionExecutor("mqttkit-complete-" + settings.clientId());
    }

    private static MqttAsyncClient newClient(ClientSettings settings, MqttClientPersistence persistence) {
        try {
            // in memory unless asked: Paho's own file store writes .lck files into the working directory
            return new MqttAsyncClient(settings.serverUri(), settings.clientId(), persistence);
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Server URI [" + settings.serverUri()
                    + "] must look like tcp://host:port or ssl://host:port: " + e.getMessage(), e);
        }
    }

    /**
     * Connects and waits for the broker's CONNACK, within the connect timeout.
     *
     * @return whether the broker had a stored session for this client
     * @throws ConnectionException when the broker cannot be reached or refuses
     * @throws NotAuthorizedException when the broker refuses the credentials
     * @throws OperationTimeoutException when no CONNACK came in time
     */
    public boolean connect() {
        return connect(false);
    }

    /**
     * Connects again after the connection was lost, with the same settings; see {@link #connect()}. Unlike a
     * failed {@link #connect()}, a failed reconnect leaves the session usable for the next attempt.
     *
     * @return whether the broker still had this client's session
     */
    public boolean reconnect() {
        return connect(true);
    }

    private MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(settings.cleanSession());
        options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, ceilSeconds(settings.connectTimeout())));
        // mqttkit reconnects by itself: Paho's reconnect timer outlives close() in 1.2.5
        options.setAutomaticReconnect(false);
        // Our semaphore is the window; Paho's own limit sits one above it (see the constructor).
        options.setMaxInflight(settings.maxInflight() + 1);
        options.setSocketFactory(socketFactory);
        List<String> uris = settings.serverUris();
        if (uris.size() > 1) {
            String[] order = new String[uris.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = uris.get((firstUri + i) % order.length);
            }
            options.setServerURIs(order); // Paho tries them in this order within one attempt
        }
        options.setHttpsHostnameVerificationEnabled(settings.hostnameVerification());
        if (settings.userName() != null) {
            options.setUserName(settings.userName());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().clone());
        }
        ClientSettings.Will will = settings.will();
        if (will != null) {
            options.setWill(will.topic(), will.payload().clone(), will.qos().value(), will.retain());
        }
        return options;
    }

    private boolean connect(boolean again) {
        MqttConnectOptions options = options();
        Duration timeout = settings.connectTimeout().multipliedBy(settings.serverUris().size());
        IMqttToken token;
        synchronized (ackLock) {
            epoch++; // from here, acknowledgements of earlier connections are dropped
        }
        try {
            token = client.connect(options);
            token.waitForCompletion(timeout.toMillis());
        } catch (MqttException e) {
            firstUri = (firstUri + 1) % settings.serverUris().size(); // round-robin after a failed attempt
            abandonAttempt(again);
            throw translateConnectFailure(e);
        }
        if (!token.isComplete()) {
            firstUri = (firstUri + 1) % settings.serverUris().size();
            abandonAttempt(again);
            throw connectTimedOut();
        }
        String current = client.getCurrentServerURI();
        int index = current == null ? -1 : settings.serverUris().indexOf(current);
        if (index >= 0) {
            firstUri = index; // stay with the broker that works
        }
        boolean sessionPresent = token.getSessionPresent();
        if (!sessionPresent) {
            ledger.clear(); // the broker keeps no QoS 2 state for this client
        }
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        window.pending().forEach(entry -> entry.ackDeadline(deadline)); // Paho sends them again now
        LOG.info("Connected to {} as [{}] (clean session {}, session present {})", currentUri(),
                settings.clientId(), settings.cleanSession(), sessionPresent);
        return sessionPresent;
    }

    /**
     * Subscribes to filters in one SUBSCRIBE and waits for the SUBACK.
     *
     * @param filters each filter with its requested QoS, in order
     * @throws OperationTimeoutException when no SUBACK came in time
     * @throws ConnectionException when not connected
     * @return the QoS the broker granted, by filter; {@code null} for a filter it refused (SUBACK 0x80)
     */
    public Map<String, Qos> subscribe(Map<String, Qos> filters) {
        if (filters.isEmpty()) {
            return Map.of();
        }
        String[] topics = filters.keySet().toArray(new String[0]);
        int[] qos = filters.values().stream().mapToInt(Qos::value).toArray();
        IMqttToken token;
        try {
            token = client.subscribe(topics, qos);
            await(token, "subscribing to " + filters.keySet());
        } catch (MqttException e) {
            throw translate(e, "subscribe to " + filters.keySet());
        }
        int[] granted = token.getGrantedQos();
        LOG.debug("Subscribed to {} (granted {})", filters, granted);
        Map<String, Qos> result = new LinkedHashMap<>();
        for (int i = 0; i < topics.length && i < granted.length; i++) {
            result.put(topics[i], granted[i] == SUBACK_FAILURE ? null : Qos.of(granted[i]));
        }
        return result;
    }

    /**
     * Describes a filter the broker refused.
     *
     * @param filter the filter
     * @return the exception to throw or report
     */
    public SubscriptionRefusedException refused(String filter) {
        return new SubscriptionRefusedException(filter, "Broker " + settings.serverUri()
                + " refused the subscription to topic filter [" + filter
                + "] (SUBACK return code 0x80); check the broker's ACL for client [" + settings.clientId() + "].");
    }

    /**
     * Unsubscribes from filters and waits for the UNSUBACK.
     *
     * @param filters the filters
     */
    public void unsubscribe(List<String> filters) {
        if (filters.isEmpty()) {
            return;
        }
        try {
            IMqttToken token = client.unsubscribe(filters.toArray(new String[0]));
            await(token, "unsubscribing from " + filters);
        } catch (MqttException e) {
            throw translate(e, "unsubscribe from " + filters);
        }
        LOG.debug("Unsubscribed from {}", filters);
    }

    /**
     * Publishes a message. Waits (up to the operation timeout) while the in-flight window is full.
     *
     * @param topic a valid topic name
     * @param payload the payload; not copied, the caller hands it over
     * @param qos the QoS
     * @param retain whether the broker retains it
     * @param result completed when acknowledged (QoS 1/2) or written (QoS 0), on mqttkit's completion thread;
     *     failed with a {@link PublishFailedException}
     * @return {@code false} when the client is not connected and nothing was sent: the caller keeps the message
     */
    public boolean publish(String topic, byte[] payload, Qos qos, boolean retain, CompletableFuture<Void> result) {
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
                            + format(timeout) + " waiting for room to publish to [" + topic + "] on "
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
                        // this token then; close() fails it if that never happens
                        LOG.debug("Publish to [{}] awaits the reconnect: {}", topic, failure.getMessage());
                        return;
                    }
                    entry.release();
                    complete(entry, inDoubt(topic, translate(failure, "publish to [" + topic + "]")));
                }
            });
        } catch (MqttException e) {
            String stored = persistence.takeStoredKey();
            if (stored != null && qos != Qos.AT_MOST_ONCE && !settings.cleanSession()) {
                // Paho kept it for the durable session and sends it after the reconnect, without a token:
                // complete it when Paho lets go of it, and never send it a second time
                LOG.debug("Publish to [{}] stored by Paho as {} while disconnecting; it goes after the reconnect",
                        topic, stored);
                persistence.whenRemoved(stored, () -> {
                    entry.release();
                    complete(entry, null);
                });
                return true;
            }
            entry.release();
            int code = e.getReasonCode();
            if (code == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                    || code == MqttException.REASON_CODE_CONNECTION_LOST
                    || code == MqttException.REASON_CODE_CLIENT_DISCONNECTING) {
                return false; // Paho refused it before sending: the caller buffers it for the reconnect
            }
            result.completeExceptionally(new PublishFailedException(topic, false, "Cannot publish to [" + topic
                    + "]: " + translate(e, "publish").getMessage() + " The message was not sent.", e));
        }
        return true;
    }

    private PublishFailedException inDoubt(String topic, RuntimeException cause) {
        return new PublishFailedException(topic, true, cause.getMessage()
                + " The broker may have received the message on [" + topic + "] before that.", cause);
    }

    private void complete(InflightWindow.Entry entry, Throwable failure) {
        CompletableFuture<Void> future = entry.future();
        if (future.isDone()) {
            return;
        }
        completions.execute(failure == null ? () -> future.complete(null) : () -> future.completeExceptionally(failure));
    }

    /**
     * Fails the futures of sent QoS 1/2 messages whose acknowledgement is overdue (while connected). Their
     * slots stay taken until Paho lets go of them.
     */
    public void failOverdue() {
        if (!client.isConnected()) {
            return;
        }
        long now = System.nanoTime();
        Duration timeout = settings.ackTimeout();
        for (InflightWindow.Entry entry : window.pending()) {
            if (entry.qos() != Qos.AT_MOST_ONCE && now - entry.ackDeadline() > 0 && !entry.future().isDone()) {
                complete(entry, new PublishFailedException(entry.topic(), true, "Timed out after " + format(timeout)
                        + " waiting for " + settings.serverUri() + " to acknowledge the message on [" + entry.topic()
                        + "]; it may still arrive.", new OperationTimeoutException(timeout, "No acknowledgement")));
            }
        }
    }

    /**
     * Returns the in-flight window, for diagnostics and tests.
     *
     * @return the window
     */
    public InflightWindow window() {
        return window;
    }

    /**
     * Returns the broker of the current (or last) connection: one of the failover URIs.
     *
     * @return for example {@code tcp://localhost:1883}
     */
    public String currentUri() {
        String current = client.getCurrentServerURI();
        return current == null ? settings.serverUri() : current;
    }

    /**
     * Tells whether the connection is up.
     *
     * @return {@code true} when connected
     */
    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Returns the socket of the current connection, for diagnostics.
     *
     * @return the socket, or {@code null} when none was made through mqttkit's factory
     */
    public Socket socket() {
        if (socketFactory instanceof ClientSslSocketFactory tls) {
            return tls.lastSocket();
        }
        return socketFactory instanceof ClientSocketFactory f ? f.lastSocket() : null;
    }

    /**
     * Disconnects cleanly (waiting up to the operation timeout for in-flight work), then frees every thread.
     * Safe to call more than once and when the connection is already down.
     */
    public void close() {
        long quiesce = settings.operationTimeout().toMillis();
        boolean disconnected = false;
        if (client.isConnected()) {
            try {
                IMqttToken token = client.disconnect(quiesce);
                token.waitForCompletion(quiesce + 1000);
                disconnected = true;
            } catch (MqttException e) {
                LOG.debug("Clean disconnect from {} failed ({}); disconnecting forcibly", settings.serverUri(),
                        e.getMessage());
            }
        }
        release(disconnected);
        LOG.info("Disconnected [{}] from {}", settings.clientId(), settings.serverUri());
    }

    /** Fails what Paho still holds: nothing completes those futures once the client is closed. */
    private void failPending() {
        for (InflightWindow.Entry entry : window.pending()) {
            entry.release();
            String kept = settings.persistence() != null && entry.qos() != Qos.AT_MOST_ONCE
                    ? "; its file store sends it again at the next start()" : "";
            complete(entry, new PublishFailedException(entry.topic(), true, "The client [" + settings.clientId()
                    + "] stopped before " + settings.serverUri() + " acknowledged the message on [" + entry.topic()
                    + "]; it may have arrived" + kept + ".", null));
        }
    }

    /** Closes the connection at once, keeping the session for the next {@link #reconnect()}. */
    public void dropConnection() {
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("Dropping the connection of [{}]: {}", settings.clientId(), e.getMessage());
        }
    }

    private void closeQuietly() {
        release(false);
    }

    /** Frees Paho's threads; a connection still in progress or half-open is torn down first. */
    private void release(boolean disconnected) {
        if (!disconnected) {
            try {
                client.disconnectForcibly(0, 1000, false);
            } catch (MqttException | RuntimeException e) {
                LOG.debug("Forced disconnect of [{}] failed: {}", settings.clientId(), e.getMessage());
            }
        }
        awaitReceiverEnd();
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Closing Paho client [{}] failed: {}", settings.clientId(), e.getMessage());
        }
        failPending();
        completions.shutdown();
        try {
            if (!completions.awaitQuiet(settings.operationTimeout().toMillis())) {
                LOG.warn("Publish-future callbacks of [{}] did not finish within {}; stopping without them",
                        settings.clientId(), format(settings.operationTimeout()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Paho 1.2.5's {@code close()} clears its state while its receiver thread may still be reading (a disconnect
     * completes before that thread ends); a packet read then kills the thread with a NullPointerException
     * ({@code highResolutionTimer}). Closing our socket first ends the read, and the thread is given a moment
     * to end before Paho closes.
     */
    private void awaitReceiverEnd() {
        Socket socket = socket();
        if (socket != null) {
            try {
                socket.close();
            } catch (java.io.IOException e) {
                LOG.debug("Closing the socket of [{}]: {}", settings.clientId(), e.getMessage());
            }
        }
        String receiver = "MQTT Rec: " + settings.clientId();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(receiver) && thread != Thread.currentThread()) {
                try {
                    thread.join(RECEIVER_END_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void await(IMqttToken token, String what) throws MqttException {
        Duration timeout = settings.operationTimeout();
        try {
            token.waitForCompletion(timeout.toMillis());
        } catch (MqttException e) {
            if (e.getReasonCode() != MqttException.REASON_CODE_CLIENT_TIMEOUT) {
                throw e;
            }
        }
        if (!token.isComplete()) {
            throw new OperationTimeoutException(timeout, "Timed out after " + format(timeout) + " " + what
                    + " on " + settings.serverUri() + ": the broker did not answer.");
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        // connect() and reconnect() report their outcome themselves
    }

    @Override
    public void connectionLost(Throwable cause) {
        Throwable reason = cause instanceof MqttException && cause.getCause() != null ? cause.getCause() : cause;
        String uri = currentUri();
        RuntimeException error = new ConnectionException(uri, "Lost the connection to " + uri + ": "
                + describe(reason) + ".", cause);
        LOG.warn("Client [{}]: {}", settings.clientId(), error.getMessage());
        for (InflightWindow.Entry entry : window.pending()) {
            // QoS 0 is never sent again, nor is anything of a clean session: Paho forgets them
            if (entry.qos() == Qos.AT_MOST_ONCE || settings.cleanSession()) {
                entry.release();
                complete(entry, inDoubt(entry.topic(), error));
            }
        }
        handler.onConnectionLost(error);
    }

    @Override
    public void messageArrived(String pahoTopic, MqttMessage message) {
        String topic = aliases.restore(pahoTopic);
        int id = message.getId();
        int qos = message.getQos();
        long arrival = epoch;
        if (qos == 2) {
            if (message.isDuplicate() && ledger.isRepeat(id, topic, message.getPayload())) {
                LOG.debug("QoS 2 message {} on [{}] repeats one completed lately (the broker lost its PUBCOMP); "
                        + "acknowledged without running the listeners again", id, topic);
                acknowledge(id, qos, arrival);
                return;
            }
            Qos2Ledger.Arrival seen = ledger.arrived(id, arrival);
            if (seen != Qos2Ledger.Arrival.NEW) {
                LOG.debug("QoS 2 message {} on [{}] handed over again ({}); its listeners run once", id, topic, seen);
                if (seen == Qos2Ledger.Arrival.DONE) {
                    acknowledge(id, qos, arrival);
                }
                return;
            }
        }
        byte[] payload = message.getPayload();
        Runnable ack = qos == 0 ? () -> { } : qos == 1 ? () -> acknowledge(id, qos, arrival) : () -> {
            ledger.completed(id, topic, payload);
            acknowledge(id, qos, ledger.finished(id));
        };
        handler.onMessage(new Message(topic, message.getPayload(), Qos.of(qos), message.isRetained(),
                message.isDuplicate()), ack);
    }

    /** Sends PUBACK/PUBCOMP, but only on the connection the message belongs to. */
    private void acknowledge(int id, int qos, long belongsTo) {
        synchronized (ackLock) {
            if (belongsTo != epoch || !client.isConnected()) {
                // the broker sends it again on the next connection of a durable session
                LOG.debug("Message {} (QoS {}) of [{}] not acknowledged: its connection is gone", id, qos,
                        settings.clientId());
                return;
            }
            if (qos == 2) {
                // forgotten before the PUBCOMP goes out: a broker that gives the next message the lowest free
                // packet id (HiveMQ) may reuse this one at once, and Paho can hand that new message over before
                // messageArrivedComplete() has returned here
                ledger.acknowledged(id);
            }
            try {
                client.messageArrivedComplete(id, qos);
            } catch (MqttException | RuntimeException e) {
                if (qos == 2 && e instanceof MqttPersistenceException) {
                    ledger.stillHeld(id, belongsTo); // Paho failed to forget it: a repeated PUBREL hands it over again
                }
                LOG.debug("Could not acknowledge message {} (QoS {}) of [{}]: {}", id, qos, settings.clientId(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // publish futures are completed through their action listeners
    }

    /** Tears down a failed connection attempt: for good after start(), just the attempt after a lost connection. */
    private void abandonAttempt(boolean again) {
        if (!again) {
            closeQuietly();
            return;
        }
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("Abandoning the reconnect attempt of [{}]: {}", settings.clientId(), e.getMessage());
        }
    }

    private OperationTimeoutException connectTimedOut() {
        Duration timeout = settings.connectTimeout();
        return new OperationTimeoutException(timeout, "Timed out after " + format(timeout) + " connecting to "
                + settings.serverUri() + ": the broker sent no CONNACK.");
    }

    private RuntimeException translateConnectFailure(MqttException e) {
        String uri = settings.serverUri();
        RuntimeException tls = TlsContexts.failure(e, uri);
        if (tls != null) {
            return tls;
        }
        int code = e.getReasonCode();
        switch (code) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                return new NotAuthorizedException(uri, "Broker " + uri + " refused the connection of client ["
                        + settings.clientId() + "]: bad user name or password (CONNACK return code 4).", e);
            case MqttException.REASON_CODE_NOT_AUTHORIZED:
                return new NotAuthorizedException(uri, "Broker " + uri + " refused the connection of client ["
                        + settings.clientId() + "]: not authorised (CONNACK return code 5).", e);
            case MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION:
                return new ConnectionException(uri, "Broker " + uri
                        + " refused the connection: unacceptable protocol version (CONNACK return code 1); mqttkit speaks MQTT 3.1.1.", e);
            case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                return new ConnectionException(uri, "Broker " + uri + " refused client identifier ["
                        + settings.clientId() + "] (CONNACK return code 2).", e);
            case MqttException.REASON_CODE_BROKER_UNAVAILABLE:
                return new ConnectionException(uri, "Broker " + uri
                        + " refused the connection: server unavailable (CONNACK return code 3).", e);
            case MqttException.REASON_CODE_CLIENT_TIMEOUT:
                return connectTimedOut();
            default:
                return translate(e, "connect");
        }
    }

    private RuntimeException translate(Throwable failure, String action) {
        if (failure instanceof MqttKitException mqttKit) {
            return mqttKit;
        }
        String uri = settings.serverUri();
        Throwable cause = failure.getCause();
        if (failure instanceof MqttException e) {
            switch (e.getReasonCode()) {
                case MqttException.REASON_CODE_SERVER_CONNECT_ERROR:
                    return new ConnectionException(uri, "Cannot " + action + " to " + uri + ": " + describe(cause)
                            + ".", failure);
                case MqttException.REASON_CODE_CLIENT_NOT_CONNECTED:
                    return new ConnectionException(uri, "Cannot " + action + ": not connected to " + uri + ".", failure);
                case MqttException.REASON_CODE_CONNECTION_LOST:
                    return new ConnectionException(uri, "Cannot " + action + ": the connection to " + uri
                            + " was lost" + (cause == null ? "" : " (" + describe(cause) + ")") + ".", failure);
                case MqttException.REASON_CODE_CLIENT_DISCONNECTING:
                case MqttException.REASON_CODE_CLIENT_CLOSED:
                case MqttException.REASON_CODE_CLIENT_ALREADY_DISCONNECTED:
                    return new ConnectionException(uri, "Cannot " + action + ": the client is disconnecting from "
                            + uri + ".", failure);
                case MqttException.REASON_CODE_CLIENT_TIMEOUT:
                    return new OperationTimeoutException(settings.operationTimeout(), "Timed out: cannot " + action
                            + " on " + uri + ".");
                default:
                    break;
            }
            return new ConnectionException(uri, "Cannot " + action + " on " + uri + ": " + e.getMessage()
                    + " (Paho reason code " + e.getReasonCode() + ").", failure);
        }
        return new ConnectionException(uri, "Cannot " + action + " on " + uri + ": " + describe(failure) + ".", failure);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no reason given";
        }
        if (cause instanceof ConnectException) {
            return "connection refused (is a broker listening there?)";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        if (cause instanceof EOFException) {
            return "the broker closed the connection";
        }
        if (cause instanceof SocketTimeoutException) {
            return "timed out opening the connection";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }

    static String format(Duration duration) {
        if (duration.toMillis() % 1000 == 0) {
            return duration.toSeconds() + "s";
        }
        return duration.toMillis() + "ms";
    }
}
