package dev.mqttkit.internal.session;

import dev.mqttkit.ConnectionException;
import dev.mqttkit.Message;
import dev.mqttkit.NotAuthorizedException;
import dev.mqttkit.OperationTimeoutException;
import dev.mqttkit.PublishFailedException;
import dev.mqttkit.Qos;
import dev.mqttkit.SubscriptionRefusedException;
import dev.mqttkit.internal.ClientCounters;
import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.Logs;
import dev.mqttkit.internal.net.Endpoint;
import dev.mqttkit.internal.net.InboundHooks;
import dev.mqttkit.internal.net.ReceiveGate;
import dev.mqttkit.internal.net.SocketFactories;
import dev.mqttkit.internal.net.TopicAliases;
import dev.mqttkit.internal.persist.SessionMemory;
import dev.mqttkit.internal.persist.TrackingPersistence;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.slf4j.Logger;

/**
 * The Paho adapter: one Paho {@link MqttAsyncClient} from {@link #connect()} to {@link #close()}, across reconnects
 * (a durable session's unacknowledged publishes stay with it, Paho sends them again after {@link #reconnect()},
 * and their futures complete then).
 *
 * <p>It puts finite timeouts on every blocking wait and composes the mechanisms of the Paho side: the outbound
 * path ({@link OutboundPublishes}), the acknowledgements of inbound messages ({@link Acknowledgements}), failover
 * ({@link ServerRotation}), the translation of Paho's failures ({@link PahoFailures}), the connect options
 * ({@link PahoOptions}) and the teardown ({@link PahoTeardown}). The session package and
 * the persistence are the only code that sees Paho types.
 */
public final class PahoSession implements MqttCallbackExtended {

    private static final Logger LOG = Logs.get(PahoSession.class);
    private static final int SUBACK_FAILURE = 0x80;

    static {
        PahoLog.install(); // before the first Paho class takes its logger
    }

    private final ClientSettings settings;
    private final SessionHandler handler;
    private final MqttAsyncClient client;
    private final TopicAliases aliases;
    private final SocketFactory socketFactory;
    private final TrackingPersistence persistence;
    private final PahoTeardown teardown;
    private final PahoFailures failures;
    private final OutboundPublishes outbound;
    private final Acknowledgements acknowledgements;
    private final ServerRotation servers;
    private final ScheduledFuture<?> ackTimeouts;
    private final Object abortLock = new Object();
    /** A connection was made once: only then does close() log a disconnect. */
    private volatile boolean everConnected;
    private volatile boolean aborted;
    /** Guarded by {@link #abortLock}: the thread waiting for a CONNACK. */
    private Thread connectingThread;

    /**
     * Creates the Paho client; nothing is sent until {@link #connect()}.
     *
     * @param settings the connection settings
     * @param handler told about messages and connection events, on Paho's callback thread
     * @param gate where the socket reader waits until the listeners have room for another message
     * @param state the MQTT session kept from one start to the next
     * @param counters the client's counters (bytes in and out)
     */
    public PahoSession(ClientSettings settings, SessionHandler handler, ReceiveGate gate, SessionState state,
            ClientCounters counters) {
        this(settings, handler, new TrackingPersistence(state.store()), gate, state, counters,
                new PahoThreads(settings.clientId()));
    }

    private PahoSession(ClientSettings settings, SessionHandler handler, TrackingPersistence persistence,
            ReceiveGate gate, SessionState state, ClientCounters counters, PahoThreads threads) {
        this(settings, handler, newClient(settings, persistence, threads), persistence, gate, state, counters,
                threads);
    }

    /** For unit tests of the Paho boundary, with a mocked client. */
    PahoSession(ClientSettings settings, SessionHandler handler, MqttAsyncClient client) {
        this(settings, handler, client, new TrackingPersistence(new SessionMemory()), ReceiveGate.OPEN,
                SessionState.of(settings), new ClientCounters(), null);
    }

    private PahoSession(ClientSettings settings, SessionHandler handler, MqttAsyncClient client,
            TrackingPersistence persistence, ReceiveGate gate, SessionState state, ClientCounters counters,
            PahoThreads threads) {
        this.settings = settings;
        this.handler = handler;
        this.client = client;
        this.persistence = persistence;
        this.aliases = new TopicAliases();
        this.failures = new PahoFailures(settings);
        this.acknowledgements = new Acknowledgements(settings.clientId(), client, state.ledger());
        this.teardown = new PahoTeardown(settings.clientId(), client, threads, this::socket);
        this.outbound = new OutboundPublishes(settings, client, persistence, failures,
                new BrokerQos(settings.clientId(), settings.serverUri(), settings.strictQos()),
                (topic, payload, retain) -> SocketFactories.publishAtMostOnce(socket(), topic, payload, retain),
                teardown::closeSocket);
        this.servers = new ServerRotation(settings.serverUris(), settings.serverUris().stream()
                .map(uri -> SocketFactories.pahoUri(uri, settings.transport())).toList());
        // the reader names each new QoS 2 message's packet id before Paho reads it
        this.socketFactory = SocketFactories.forServers(settings.serverUris(), settings.sslSocketFactory(),
                settings.hostnameVerification(), settings.transport(), settings.tcpNoDelay(),
                new InboundHooks(aliases, gate, acknowledgements::newQos2Message, counters, this::arrivedDirectly));
        client.setCallback(this);
        client.setManualAcks(true);
        this.ackTimeouts = AckTimeouts.watch(settings.clientId(), outbound::failOverdue);
    }

    private static MqttAsyncClient newClient(ClientSettings settings, MqttClientPersistence persistence,
            PahoThreads threads) {
        try {
            // in memory unless asked: Paho's own file store writes .lck files into the working directory; and on
            // daemon threads of ours, so that a program that forgets stop() still exits
            return new MqttAsyncClient(SocketFactories.pahoUri(settings.serverUri(), settings.transport()),
                    settings.clientId(), persistence,
                    new ScheduledExecutorPingSender(threads), threads);
        } catch (MqttPersistenceException e) {
            // Paho opens the store here: another client with this id holds it, or it cannot be read
            throw new ConnectionException(settings.serverUri(), "Cannot start client [" + settings.clientId() + "]: "
                    + e.getMessage(), e);
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Server URI [" + settings.serverUri()
                    + "] must look like " + Endpoint.FORMS + ": " + e.getMessage(), e);
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

    private boolean connect(boolean again) {
        MqttConnectOptions options = PahoOptions.of(settings, socketFactory, servers);
        Duration timeout = settings.connectTimeout().multipliedBy(servers.size());
        IMqttToken token;
        acknowledgements.newConnection();
        outbound.reconnected(); // acknowledgement timeouts count while connected
        if (aborted) {
            throw stoppedWhileConnecting();
        }
        try {
            token = client.connect(options);
            awaitConnack(token, timeout);
        } catch (MqttException e) {
            servers.failed();
            abandonAttempt(again);
            throw aborted ? stoppedWhileConnecting()
                    : failures.connectFailure(e, SocketFactories.tlsServerAnswered(socket()));
        }
        if (!token.isComplete()) {
            servers.failed();
            abandonAttempt(again);
            throw failures.connectTimedOut();
        }
        servers.connectedTo(client.getCurrentServerURI());
        boolean sessionPresent = token.getSessionPresent();
        if (!sessionPresent) {
            acknowledgements.sessionLost();
        }
        outbound.reconnected(); // Paho sends them again now
        outbound.resendRefused();
        everConnected = true;
        LOG.info("Connected to {} as [{}] (clean session {}, session present {})", currentUri(),
                settings.clientId(), settings.cleanSession(), sessionPresent);
        return sessionPresent;
    }

    /** Waits for the CONNACK; {@link #abort()} ends the wait at once. */
    private void awaitConnack(IMqttToken token, Duration timeout) throws MqttException {
        synchronized (abortLock) {
            if (aborted) {
                throw new MqttException(MqttException.REASON_CODE_CLIENT_CLOSED);
            }
            connectingThread = Thread.currentThread();
        }
        try {
            token.waitForCompletion(timeout.toMillis());
        } finally {
            synchronized (abortLock) {
                connectingThread = null;
                if (aborted) {
                    Thread.interrupted(); // our own interrupt, if it came after the wait
                }
            }
        }
        if (aborted) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_CLOSED);
        }
    }

    /**
     * {@code stop()} was called: a connection attempt waiting for its CONNACK gives up now (Paho's wait ends only
     * when interrupted), instead of after the connect timeout.
     */
    public void abort() {
        synchronized (abortLock) {
            aborted = true;
            if (connectingThread != null) {
                connectingThread.interrupt();
            }
        }
    }

    private ConnectionException stoppedWhileConnecting() {
        return new ConnectionException(settings.serverUri(), "Cannot connect to " + settings.serverUri()
                + ": stop() was called while connecting.", null);
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
            throw failures.translate(e, "subscribe to " + filters.keySet());
        }
        int[] granted = token.getGrantedQos();
        LOG.debug("Subscribed to {} (granted {})", filters, granted);
        Map<String, Qos> result = new LinkedHashMap<>();
        for (int i = 0; i < topics.length && i < granted.length; i++) {
            result.put(topics[i], granted[i] == SUBACK_FAILURE ? null : Qos.of(granted[i]));
            if (qos[i] == 2 && granted[i] == 2) {
                outbound.brokerGrantedQos2();
            } else if (qos[i] == 2 && granted[i] == 1) {
                // NATS and RabbitMQ grant QoS 1 for QoS 2: they would refuse a QoS 2 publish too
                outbound.brokerLimitedTo(Qos.of(granted[i]), "it granted QoS " + granted[i] + " for the QoS 2 "
                        + "subscription to [" + topics[i] + "]");
            }
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
        return failures.refused(filter);
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
            throw failures.translate(e, "unsubscribe from " + filters);
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
        return outbound.publish(topic, payload, qos, retain, result);
    }

    /**
     * Returns the free slots of the in-flight window, for diagnostics and tests.
     *
     * @return how many more messages may await their acknowledgement now
     */
    public int freeInflightSlots() {
        return outbound.window().available();
    }

    InflightWindow window() {
        return outbound.window();
    }

    /** The store Paho writes to, as Paho sees it; for tests. */
    TrackingPersistence persistence() {
        return persistence;
    }

    void failOverdue() {
        outbound.failOverdue();
    }

    /**
     * Returns the broker of the current (or last) connection: one of the failover URIs.
     *
     * @return for example {@code tcp://localhost:1883}
     */
    public String currentUri() {
        String current = client.getCurrentServerURI();
        return current == null ? settings.serverUri() : servers.userUri(current);
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
        return SocketFactories.lastSocket(socketFactory);
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
        if (everConnected) {
            LOG.info("Disconnected [{}] from {}", settings.clientId(), settings.serverUri());
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

    /** Frees Paho's client and threads, then fails what is still pending; once. */
    private void release(boolean disconnected) {
        if (!teardown.claim()) {
            return; // stop() and a start() it cut short both get here
        }
        ackTimeouts.cancel(false);
        teardown.release(disconnected);
        outbound.failPending();
        outbound.shutdown();
    }

    private void await(IMqttToken token, String what) throws MqttException {
        try {
            token.waitForCompletion(settings.operationTimeout().toMillis());
        } catch (MqttException e) {
            if (e.getReasonCode() != MqttException.REASON_CODE_CLIENT_TIMEOUT) {
                throw e;
            }
        }
        if (!token.isComplete()) {
            throw failures.noAnswer(what);
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        // connect() and reconnect() report their outcome themselves
    }

    @Override
    public void connectionLost(Throwable cause) {
        ConnectionException error = failures.connectionLost(currentUri(), cause);
        LOG.warn("Client [{}]: {}", settings.clientId(), error.getMessage());
        outbound.connectionLost(error, cause);
        handler.onConnectionLost(error);
    }

    @Override
    public void messageArrived(String pahoTopic, MqttMessage message) {
        TopicAliases.Restored restored = aliases.restore(pahoTopic);
        String topic = restored.topic();
        byte[] payload = restored.payload() != null ? restored.payload() : message.getPayload();
        if (restored.lost()) {
            LOG.warn("Client [{}]: a message kept by the file store of an earlier process came back under the alias [{}] "
                    + "of a topic Paho cannot read (over 49,000 bytes long), whose real name was lost with that "
                    + "process; it is delivered under the alias", settings.clientId(), topic);
        }
        Runnable acknowledgement = acknowledgements.arrived(message.getId(), message.getQos(), topic, payload,
                message.isDuplicate());
        if (acknowledgement != null) {
            handler.onMessage(new Message(topic, payload, Qos.of(message.getQos()), message.isRetained(),
                    message.isDuplicate()), acknowledgement);
        }
    }

    /** A QoS 0 or 1 message the socket reader handed over past Paho (see {@link InboundHooks.DirectMessages}). */
    private void arrivedDirectly(String topic, byte[] payload, int qos, boolean retained, boolean duplicate,
            Runnable acknowledgement) {
        handler.onMessage(new Message(topic, payload, Qos.of(qos), retained, duplicate), acknowledgement);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // publish futures are completed through their action listeners
    }

    /** Tears down a failed connection attempt: for good after start(), just the attempt after a lost connection. */
    private void abandonAttempt(boolean again) {
        if (again) {
            teardown.dropAttempt("Abandoning the reconnect attempt");
        } else {
            release(false);
        }
    }
}
