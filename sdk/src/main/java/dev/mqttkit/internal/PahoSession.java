package dev.mqttkit.internal;

import dev.mqttkit.ConnectionException;
import dev.mqttkit.Message;
import dev.mqttkit.MqttKitException;
import dev.mqttkit.NotAuthorizedException;
import dev.mqttkit.OperationTimeoutException;
import dev.mqttkit.Qos;
import dev.mqttkit.SubscriptionRefusedException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection lifetime of a Paho {@link MqttAsyncClient}: from {@link #connect()} to {@link #close()}.
 *
 * <p>It is the only class that sees Paho types. It puts finite timeouts on every blocking wait, turns Paho's
 * reason codes into mqttkit exceptions, applies backpressure so that Paho never throws 32202 ("too many
 * publishes in progress"), acknowledges inbound QoS 1/2 messages only when told to (manual acks), and
 * completes publish futures off Paho's callback thread so that user code never blocks Paho.
 */
public final class PahoSession implements MqttCallbackExtended {

    private static final Logger LOG = LoggerFactory.getLogger(PahoSession.class);
    private static final int SUBACK_FAILURE = 0x80;

    private final ClientSettings settings;
    private final SessionHandler handler;
    private final MqttAsyncClient client;
    private final TopicAliases aliases = new TopicAliases();
    private final SocketFactory socketFactory;
    private final Semaphore inflight;
    private final ExecutorService completions;

    /**
     * Creates the Paho client; nothing is sent until {@link #connect()}.
     *
     * @param settings the connection settings
     * @param handler told about messages and connection events, on Paho's callback thread
     */
    public PahoSession(ClientSettings settings, SessionHandler handler) {
        this(settings, handler, newClient(settings));
    }

    /** For unit tests of the Paho boundary, with a mocked client. */
    PahoSession(ClientSettings settings, SessionHandler handler, MqttAsyncClient client) {
        this.settings = settings;
        this.handler = handler;
        this.socketFactory = ClientSocketFactory.forUri(settings.serverUri(), settings.sslSocketFactory(),
                settings.tcpNoDelay(), aliases);
        this.client = client;
        client.setCallback(this);
        client.setManualAcks(true);
        // Paho counts QoS 0 sends against its window too, and frees a slot only after the completion callback
        // may already have run; one spare slot keeps it from ever refusing a publish we admitted.
        this.inflight = new Semaphore(settings.maxInflight());
        this.completions = Executors.newSingleThreadExecutor(
                runnable -> DaemonThreads.create(runnable, "mqttkit-complete-" + settings.clientId()));
    }

    private static MqttAsyncClient newClient(ClientSettings settings) {
        try {
            // in-memory persistence: Paho's default writes .lck files into the working directory
            return new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
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
        Duration timeout = settings.connectTimeout();
        IMqttToken token;
        try {
            token = client.connect(options);
            token.waitForCompletion(timeout.toMillis());
        } catch (MqttException e) {
            abandonAttempt(again);
            throw translateConnectFailure(e);
        }
        if (!token.isComplete()) {
            abandonAttempt(again);
            throw connectTimedOut();
        }
        boolean sessionPresent = token.getSessionPresent();
        LOG.info("Connected to {} as [{}] (clean session {}, session present {})", settings.serverUri(),
                settings.clientId(), settings.cleanSession(), sessionPresent);
        return sessionPresent;
    }

    /**
     * Subscribes to filters in one SUBSCRIBE and waits for the SUBACK.
     *
     * @param filters each filter with its requested QoS, in order
     * @throws SubscriptionRefusedException for the first filter the broker refused (the others are granted)
     * @throws OperationTimeoutException when no SUBACK came in time
     * @throws ConnectionException when not connected
     * @return the QoS the broker granted, by filter
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
        for (int i = 0; i < topics.length && i < granted.length; i++) {
            if (granted[i] == SUBACK_FAILURE) {
                throw new SubscriptionRefusedException(topics[i], "Broker " + settings.serverUri()
                        + " refused the subscription to topic filter [" + topics[i]
                        + "] (SUBACK return code 0x80); check the broker's ACL for client [" + settings.clientId() + "].");
            }
        }
        LOG.debug("Subscribed to {} (granted {})", filters, granted);
        Map<String, Qos> result = new LinkedHashMap<>();
        for (int i = 0; i < topics.length && i < granted.length; i++) {
            result.put(topics[i], Qos.of(granted[i]));
        }
        return result;
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
     * @return completes when acknowledged (QoS 1/2) or written (QoS 0), on mqttkit's completion thread
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Duration timeout = settings.operationTimeout();
        try {
            if (!inflight.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                result.completeExceptionally(new OperationTimeoutException(timeout, "Timed out after "
                        + format(timeout) + " waiting for room to publish to [" + topic + "] on "
                        + settings.serverUri() + ": " + settings.maxInflight()
                        + " messages await their acknowledgement."));
                return result;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(new MqttKitException("Interrupted while waiting to publish to [" + topic + "]", e));
            return result;
        }
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos.value());
        message.setRetained(retain);
        try {
            client.publish(topic, message, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    inflight.release();
                    complete(() -> result.complete(null));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    inflight.release();
                    RuntimeException error = translate(failure, "publish to [" + topic + "]");
                    complete(() -> result.completeExceptionally(error));
                }
            });
        } catch (MqttException e) {
            inflight.release();
            result.completeExceptionally(translate(e, "publish to [" + topic + "]"));
        }
        return result;
    }

    private void complete(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException stopping) {
            completion.run();
        }
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
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Closing Paho client [{}] failed: {}", settings.clientId(), e.getMessage());
        }
        completions.shutdown();
        try {
            if (!completions.awaitTermination(settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Publish completions of [{}] did not finish in time; abandoning them", settings.clientId());
                completions.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            completions.shutdownNow();
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
        RuntimeException error = new ConnectionException(settings.serverUri(), "Lost the connection to "
                + settings.serverUri() + ": " + describe(reason) + ".", cause);
        LOG.warn("Client [{}]: {}", settings.clientId(), error.getMessage());
        handler.onConnectionLost(error);
    }

    @Override
    public void messageArrived(String pahoTopic, MqttMessage message) {
        String topic = aliases.restore(pahoTopic);
        int id = message.getId();
        int qos = message.getQos();
        Runnable ack = qos == 0 ? () -> { } : () -> acknowledge(id, qos);
        handler.onMessage(new Message(topic, message.getPayload(), Qos.of(qos), message.isRetained(),
                message.isDuplicate()), ack);
    }

    private void acknowledge(int id, int qos) {
        try {
            client.messageArrivedComplete(id, qos);
        } catch (MqttException | RuntimeException e) {
            // the broker keeps the message and sends it again on the next connection of a durable session
            LOG.debug("Could not acknowledge message {} (QoS {}) of [{}]: {}", id, qos, settings.clientId(),
                    e.getMessage());
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
