package dev.mqttkit;

import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.ReconnectPolicy;
import dev.mqttkit.internal.TopicRules;
import dev.mqttkit.internal.net.Endpoint;
import dev.mqttkit.internal.net.TlsContexts;
import dev.mqttkit.internal.TransportSettings;
import dev.mqttkit.topic.Topic;
import dev.mqttkit.topic.TopicFilter;
import dev.mqttkit.topic.TypedTopic;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An MQTT 3.1.1 client that feels like the course's Python {@code MyMQTT} class and behaves like a production
 * client.
 *
 * <pre>{@code
 * MyMqtt mqtt = new MyMqtt("led-1", "localhost", 1883,
 *         (topic, payload) -> log.info("{}: {}", topic, new String(payload, UTF_8)));
 * mqtt.start();                            // connects; throws ConnectionException if it cannot
 * mqtt.subscribe("led");                   // messages go to the notifier, QoS 2 like the course
 * mqtt.publish("led", "on").join();        // QoS 2; completes when the broker acknowledged it
 * mqtt.stop();
 * }</pre>
 *
 * <p>Everything else goes through the {@link #builder()}: credentials, last will, durable sessions, timeouts,
 * automatic reconnect, listeners for errors and connection events.
 *
 * <p><b>Threading.</b> All methods are thread-safe. Listeners, the notifier and the connection listener run on
 * one dispatch thread per client ({@code mqttkit-dispatch-<clientId>}), never on Paho's network threads, one
 * message at a time, in arrival order; they may publish and wait for the result. Publish futures complete on
 * another mqttkit thread ({@code mqttkit-complete-<clientId>}): do not block in their callbacks, use the
 * {@code ...Async} variants for slow work. A QoS 0 publish's future is usually complete when {@code publish}
 * returns (the message is written by then), and a callback chained on it runs at once on the chaining thread.
 *
 * <p><b>Acknowledgements.</b> An incoming QoS 1 or 2 message is acknowledged to the broker only after every
 * listener it matched has returned (or thrown), so a process that dies while handling it gets it again on its
 * next durable session.
 */
public final class MyMqtt implements AutoCloseable {

    /** Largest payload MQTT can carry: the maximum remaining length of a packet. */
    public static final int MAX_PAYLOAD_BYTES = Connection.MAX_PAYLOAD_BYTES;

    private final ClientSettings settings;
    private final Notifier notifier;
    private final Connection connection;

    /**
     * Creates a client the way the lab's {@code MyMQTT(clientID, broker, port, notifier)} does: plain TCP,
     * clean session, QoS 2 for {@link #publish(CharSequence, String)} and {@link #subscribe(CharSequence)}.
     *
     * @param clientId the MQTT client identifier; unique per broker
     * @param broker the broker's host name or address, for example {@code localhost}
     * @param port the broker's port, usually 1883
     * @param notifier receives messages of {@link #subscribe(CharSequence)} and any message no listener matches;
     *     {@code null} for a client that only publishes (the course's {@code MyMQTT(..., None)})
     */
    public MyMqtt(String clientId, String broker, int port, Notifier notifier) {
        this(withNotifier(builder().clientId(clientId).serverUri(tcpUri(broker, port)), notifier));
    }

    private static Builder withNotifier(Builder builder, Notifier notifier) {
        return notifier == null ? builder : builder.notifier(notifier);
    }

    private MyMqtt(Builder builder) {
        if (builder.serverUri == null) {
            throw new IllegalStateException("MyMqtt.Builder is missing the serverUri, for example tcp://localhost:1883.");
        }
        String clientId = builder.clientId != null ? builder.clientId
                : "mqttkit-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
        if (builder.tls != null && !Endpoint.parse(builder.serverUri).secure()) {
            throw new IllegalStateException("MyMqtt.Builder has tls(...) but the server URI [" + builder.serverUri
                    + "] is not ssl:// or wss://; use ssl://host:port (Mosquitto's TLS port is usually 8883) "
                    + "or wss://host:port/path.");
        }
        this.settings = new ClientSettings(builder.serverUri, clientId, builder.cleanSession, builder.keepAlive,
                builder.connectTimeout, builder.operationTimeout, builder.userName,
                builder.password == null ? null : builder.password.clone(), builder.will, builder.maxInflight,
                builder.automaticReconnect, builder.tcpNoDelay,
                builder.tls == null ? null : TlsContexts.socketFactory(builder.tls, builder.serverUri),
                builder.tls == null || builder.tls.hostnameVerification(),
                builder.tls != null && builder.tls.clientCertificate() != null, builder.serverUris,
                builder.reconnectPolicy, builder.ackTimeout, builder.offlineMaxMessages, builder.offlineMaxBytes,
                builder.receiveMaxMessages, builder.receiveMaxBytes, builder.persistence, builder.strictQos,
                new TransportSettings(builder.proxy, builder.webSocketHeaders));
        this.notifier = builder.notifier;
        this.connection = new Connection(settings, builder.defaultQos, builder.notifier, builder.errorListener,
                builder.connectionListener);
    }

    private static String tcpUri(String broker, int port) {
        Objects.requireNonNull(broker, "broker");
        if (broker.isBlank()) {
            throw new IllegalArgumentException("Broker [" + broker + "] must be a host name or address, for example localhost.");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Port [" + port + "] must be between 1 and 65535.");
        }
        String host = broker.indexOf(':') >= 0 && !broker.startsWith("[") ? "[" + broker + "]" : broker;
        return "tcp://" + host + ":" + port;
    }

    /**
     * Returns a builder for everything beyond the lab constructor.
     *
     * <pre>{@code
     * MyMqtt mqtt = MyMqtt.builder()
     *         .serverUri("tcp://localhost:1883")
     *         .clientId("robotcell1-monitor")
     *         .cleanSession(false)                      // durable: the broker queues QoS 1/2 while offline
     *         .credentials("monitor", password)
     *         .lastWill("robotcell1/status", "offline".getBytes(UTF_8), Qos.AT_LEAST_ONCE, true)
     *         .build();
     * }</pre>
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to the broker and subscribes the filters registered so far.
     *
     * <p>Returns once the broker accepted the connection and granted those subscriptions. Messages a durable
     * session queued while offline go to the listeners registered before this call; they may run before this
     * method returns, and what they publish goes out once the subscriptions are made.
     *
     * @throws ConnectionException when the broker cannot be reached (within the connect timeout) or refuses
     * @throws NotAuthorizedException when the broker refuses the credentials
     * @throws SubscriptionRefusedException when the broker refuses a registered filter (the client is then
     *     disconnected again)
     * @throws OperationTimeoutException when the broker does not answer in time
     * @throws IllegalStateException when already started
     */
    public void start() {
        connection.start();
    }

    /**
     * Disconnects and frees every thread of this client. Idempotent; may be called from any thread, a listener
     * included, and while the client is reconnecting.
     *
     * <p>The listener running now may finish (waiting up to the operation timeout) and may still publish; its
     * message is then acknowledged. Nothing is delivered after that: messages still queued for the listeners
     * are not delivered (QoS 0 ones are dropped, QoS 1/2 ones stay unacknowledged, so the broker sends them
     * again to a durable session), and one log line counts them. Called from a listener, it returns at once
     * and the client disconnects as soon as that listener returns.
     *
     * <p>Publish futures still pending fail with a {@link PublishFailedException}: those buffered offline were
     * not sent; those awaiting their acknowledgement may have arrived. A durable session
     * ({@code cleanSession(false)}) keeps its broker-side subscriptions; listeners stay registered, so
     * {@link #start()} may be called again.
     */
    public void stop() {
        connection.stop();
    }

    /** Same as {@link #stop()}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Tells whether the client is connected right now.
     *
     * @return {@code true} when started and the connection is up
     */
    public boolean isConnected() {
        return connection.isConnected();
    }

    /**
     * What this client has done so far: messages published and received by QoS, failures, what is in flight,
     * buffered offline or waiting for the listeners, reconnects and bytes. Cheap enough to call every second (no
     * lock shared with the message path); each call returns a new immutable snapshot.
     *
     * @return the client's metrics now
     */
    public ClientMetrics metrics() {
        return connection.metrics();
    }

    /**
     * Returns the client identifier, given or generated.
     *
     * @return the MQTT client identifier
     */
    public String clientId() {
        return settings.clientId();
    }

    /**
     * Returns the broker URI.
     *
     * @return for example {@code tcp://localhost:1883}
     */
    public String serverUri() {
        return settings.serverUri();
    }

    /**
     * Publishes UTF-8 text with the default QoS (QoS 2 unless the builder says otherwise), not retained: the
     * lab's {@code myPublish(topic, msg)}.
     *
     * <pre>{@code
     * mqtt.publish("led", "on").join();   // waits until the broker has it
     * }</pre>
     *
     * @param topic the topic name, a {@code String} or a {@link Topic}; no wildcards
     * @param text the payload, sent as UTF-8
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     * @throws InvalidTopicException when the topic is not a valid topic name
     * @throws PayloadCodecException when the text has an unpaired surrogate (it has no UTF-8 encoding)
     * @throws IllegalStateException when the client is not started
     */
    public CompletableFuture<Void> publish(CharSequence topic, String text) {
        Objects.requireNonNull(text, "text");
        return connection.send(TopicRules.checkTopicName(RequestTarget.name(topic, "topic")),
                PayloadCodecs.utf8().encode(text), connection.defaultQos(), false);
    }

    /**
     * Publishes a value through a codec with the default QoS, not retained.
     *
     * <pre>{@code
     * mqtt.publish("robotcell1/temperature", 21.5, PayloadCodecs.doubles());   // payload "21.5"
     * }</pre>
     *
     * @param topic the topic name, a {@code String} or a {@link Topic}; no wildcards
     * @param value the value to encode
     * @param codec turns the value into payload bytes
     * @param <T> the value type
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     * @throws InvalidTopicException when the topic is not a valid topic name
     * @throws IllegalStateException when the client is not started
     */
    public <T> CompletableFuture<Void> publish(CharSequence topic, T value, PayloadCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        String name = TopicRules.checkTopicName(RequestTarget.name(topic, "topic"));
        return connection.send(name, codec.encode(value), connection.defaultQos(), false);
    }

    /**
     * Publishes UTF-8 text with a QoS and retain flag of your choice.
     *
     * <pre>{@code
     * mqtt.publish("led/status", "{\"status\": \"on\"}", Qos.AT_LEAST_ONCE, true);   // retained
     * }</pre>
     *
     * @param topic the topic name, a {@code String} or a {@link Topic}; no wildcards
     * @param text the payload, sent as UTF-8
     * @param qos the quality of service
     * @param retain {@code true} to have the broker keep it as the topic's last message; an empty retained
     *     payload clears it
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     * @throws InvalidTopicException when the topic is not a valid topic name
     * @throws PayloadCodecException when the text has an unpaired surrogate (it has no UTF-8 encoding)
     * @throws IllegalStateException when the client is not started
     */
    public CompletableFuture<Void> publish(CharSequence topic, String text, Qos qos, boolean retain) {
        Objects.requireNonNull(text, "text");
        return connection.send(TopicRules.checkTopicName(RequestTarget.name(topic, "topic")),
                PayloadCodecs.utf8().encode(text), qos, retain);
    }

    /**
     * Starts a publish with every option: topic, payload (bytes, text or a value and its codec), QoS, retain.
     * New options arrive as methods of the request, not as more {@code publish} overloads.
     *
     * <pre>{@code
     * mqtt.publishWith()
     *         .topic("led/status")
     *         .text("{\"status\": \"on\"}")
     *         .qos(Qos.AT_LEAST_ONCE)
     *         .retain(true)
     *         .send()
     *         .join();
     * }</pre>
     *
     * @return a new request; the default QoS, not retained, until set
     */
    public PublishRequest publishWith() {
        return new PublishRequest(connection);
    }

    /**
     * Starts a publish to a typed topic: its template's parameters name the topic, its codec encodes the value.
     *
     * <pre>{@code
     * static final TypedTopic<Double> TEMPERATURE =
     *         TopicTemplate.of("sensor/{id}/temperature").typed(PayloadCodecs.doubles());
     *
     * mqtt.publishWith(TEMPERATURE).parameter("id", "1234").send(21.5);   // sensor/1234/temperature: "21.5"
     * }</pre>
     *
     * @param topic the typed topic
     * @param <T> the value type
     * @return a new request; the default QoS, not retained, until set
     */
    public <T> TypedPublishRequest<T> publishWith(TypedTopic<T> topic) {
        return new TypedPublishRequest<>(connection, Objects.requireNonNull(topic, "topic"));
    }

    /**
     * Subscribes the notifier, with the default QoS: the lab's {@code mySubscribe(topic)}.
     *
     * @param topicFilter the filter, a {@code String} or a {@link TopicFilter}; {@code +} and {@code #} allowed
     * @return the subscription; close it to stop receiving
     * @throws InvalidTopicException when the filter is not valid
     * @throws IllegalStateException when the client has no notifier
     * @throws SubscriptionRefusedException when the broker refuses the filter
     */
    public Subscription subscribe(CharSequence topicFilter) {
        if (notifier == null) {
            throw new IllegalStateException("MyMqtt [" + settings.clientId() + "] has no notifier: pass one to the "
                    + "constructor or the builder, or use subscribe(filter, listener).");
        }
        Notifier target = notifier;
        return subscribe(topicFilter, connection.defaultQos(),
                message -> target.notify(message.topic(), message.payload()));
    }

    /**
     * Subscribes a listener with the default QoS.
     *
     * <pre>{@code
     * mqtt.subscribe("house/+/lights/#", message -> log.info("{}: {}", message.topic(), message.payloadAsString()));
     * }</pre>
     *
     * @param topicFilter the filter, a {@code String} or a {@link TopicFilter}; {@code +} and {@code #} allowed
     * @param listener called for each matching message, on the client's dispatch thread
     * @return the subscription; close it to remove this listener
     * @throws InvalidTopicException when the filter is not valid
     * @throws SubscriptionRefusedException when the broker refuses the filter
     */
    public Subscription subscribe(CharSequence topicFilter, MessageListener listener) {
        return subscribe(topicFilter, connection.defaultQos(), listener);
    }

    /**
     * Subscribes a listener with a QoS of your choice.
     *
     * <p>On a connected client this returns once the broker granted the subscription (SUBACK); before
     * {@link #start()} it only registers the listener, and the subscription is made while connecting.
     *
     * @param topicFilter the filter, a {@code String} or a {@link TopicFilter}; {@code +} and {@code #} allowed
     * @param qos the maximum QoS to receive at
     * @param listener called for each matching message, on the client's dispatch thread
     * @return the subscription; close it to remove this listener
     * @throws InvalidTopicException when the filter is not valid
     * @throws SubscriptionRefusedException when the broker refuses the filter
     */
    public Subscription subscribe(CharSequence topicFilter, Qos qos, MessageListener listener) {
        return connection.listen(RequestTarget.filter(topicFilter), qos, listener);
    }

    /**
     * Starts a subscription with every option: filter, QoS, and a codec for typed messages. New options arrive
     * as methods of the request, not as more {@code subscribe} overloads.
     *
     * <pre>{@code
     * mqtt.subscribeWith()
     *         .filter("robotcell1/#")
     *         .qos(Qos.AT_LEAST_ONCE)
     *         .decode(JsonCodecs.of(Robot.class))
     *         .listen(message -> log.info("{}", message.value()));
     * }</pre>
     *
     * @return a new request; the default QoS until set
     */
    public SubscribeRequest subscribeWith() {
        return new SubscribeRequest(connection);
    }

    /**
     * Starts a subscription to a typed topic: its template's filter, its codec, and the parameters of each
     * message's topic.
     *
     * <pre>{@code
     * mqtt.subscribeWith(TEMPERATURE).listen(message ->
     *         show(message.parameter("id"), message.value()));   // "1234", 21.5
     * }</pre>
     *
     * @param topic the typed topic
     * @param <T> the value type
     * @return a new request; the default QoS until set
     */
    public <T> TypedSubscribeRequest<T> subscribeWith(TypedTopic<T> topic) {
        return new TypedSubscribeRequest<>(connection, Objects.requireNonNull(topic, "topic").filter(), topic.codec(),
                topic.template());
    }

    /**
     * Removes every listener on a filter, like the lab's {@code unsubscribe(topic)}: the broker subscription
     * goes with them.
     *
     * @param topicFilter the filter exactly as subscribed, a {@code String} or a {@link TopicFilter}
     * @return how many listeners were removed
     * @throws InvalidTopicException when the filter is not valid
     */
    public int unsubscribe(CharSequence topicFilter) {
        return connection.unsubscribe(RequestTarget.filter(topicFilter));
    }

    /** The socket of the current connection; for diagnostics and tests. */
    Socket socket() {
        return connection.socket();
    }

    /** Diagnostics for tests: messages waiting for the listeners, or -1 when not started. */
    int queuedMessages() {
        return connection.queuedMessages();
    }

    /** Diagnostics for tests: how often the socket reader waited for the listeners to catch up. */
    long readerWaits() {
        return connection.readerWaits();
    }

    /** Diagnostics for tests: free slots of the in-flight window, or -1 when not started. */
    int freeInflightSlots() {
        return connection.freeInflightSlots();
    }

    @Override
    public String toString() {
        return "MyMqtt[" + settings.clientId() + " -> " + settings.serverUri() + (isConnected() ? ", connected" : "") + "]";
    }

    /**
     * Builds a {@link MyMqtt}. Every setting has a default except {@link #serverUri(String)}.
     *
     * <pre>{@code
     * MyMqtt mqtt = MyMqtt.builder()
     *         .serverUri("tcp://localhost:1883")
     *         .notifier((topic, payload) -> log.info("message on {}", topic))
     *         .defaultQos(Qos.AT_LEAST_ONCE)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private String serverUri;
        private List<String> serverUris;
        private String clientId;
        private Notifier notifier;
        private boolean cleanSession = true;
        private Duration keepAlive = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration operationTimeout = Duration.ofSeconds(10);
        private String userName;
        private char[] password;
        private ClientSettings.Will will;
        private Qos defaultQos = Qos.EXACTLY_ONCE;
        private int maxInflight = 100;
        private boolean automaticReconnect = true;
        private ReconnectPolicy reconnectPolicy = ReconnectPolicy.DEFAULT;
        private Duration ackTimeout = Duration.ofSeconds(60);
        private int offlineMaxMessages = 10_000;
        private long offlineMaxBytes = 16L << 20;
        private int receiveMaxMessages = 10_000;
        private long receiveMaxBytes = 16L << 20;
        private Path persistence;
        private boolean tcpNoDelay = true;
        private boolean strictQos;
        private Proxy proxy;
        private final Map<String, String> webSocketHeaders = new LinkedHashMap<>();
        private Tls tls;
        private ErrorListener errorListener;
        private ConnectionListener connectionListener = new ConnectionListener() { };

        private Builder() {
        }

        /**
         * Sets the broker URI. Required.
         *
         * @param serverUri {@code tcp://host:port}, {@code ssl://host:port} for TLS (with the JVM's trust store
         *     unless {@link #tls(Tls)}), or MQTT over WebSockets: {@code ws://host:port/path}, {@code wss://...}
         *     with TLS (port 80 or 443 and path {@code /mqtt} when left out)
         * @return this builder
         */
        public Builder serverUri(String serverUri) {
            this.serverUri = checkUri(serverUri);
            this.serverUris = List.of(serverUri);
            return this;
        }

        /**
         * Sets several brokers for failover: {@link MyMqtt#start()} and each reconnect try them in order, starting
         * with the one that worked last and moving on to the next one after a failed attempt (round-robin).
         * Replaces {@link #serverUri(String)}.
         *
         * <pre>{@code
         * MyMqtt.builder().serverUris("tcp://broker-a:1883", "tcp://broker-b:1883")
         * }</pre>
         *
         * @param serverUris one or more URIs of one scheme: all {@code tcp://}, {@code ssl://}, {@code ws://} or
         *     {@code wss://}
         * @return this builder
         */
        public Builder serverUris(String... serverUris) {
            Objects.requireNonNull(serverUris, "serverUris");
            if (serverUris.length == 0) {
                throw new IllegalArgumentException("Server URIs [] must name at least one broker.");
            }
            List<String> uris = List.of(serverUris);
            Endpoint.parseAll(uris);
            this.serverUri = uris.get(0);
            this.serverUris = uris;
            return this;
        }

        private static String checkUri(String serverUri) {
            Endpoint.parse(Objects.requireNonNull(serverUri, "serverUri"));
            return serverUri;
        }

        /**
         * Sets the MQTT client identifier. By default one is generated ({@code mqttkit-} and 12 hex digits).
         *
         * @param clientId unique per broker; at most 65,535 UTF-8 bytes (brokers may want 23 or fewer)
         * @return this builder
         */
        public Builder clientId(String clientId) {
            Objects.requireNonNull(clientId, "clientId");
            if (clientId.isEmpty()) {
                throw new IllegalArgumentException("Client id [] must not be empty; leave it unset to have one generated.");
            }
            this.clientId = clientId;
            return this;
        }

        /**
         * Sets the notifier: the target of {@link MyMqtt#subscribe(CharSequence)} and of messages no listener matches.
         *
         * @param notifier the notifier
         * @return this builder
         */
        public Builder notifier(Notifier notifier) {
            this.notifier = Objects.requireNonNull(notifier, "notifier");
            return this;
        }

        /**
         * Chooses a clean session (the default) or a durable one. A durable session ({@code false}) keeps the
         * client's subscriptions at the broker while it is away, and the broker queues QoS 1/2 messages for it.
         *
         * @param cleanSession {@code true} for a clean session
         * @return this builder
         */
        public Builder cleanSession(boolean cleanSession) {
            this.cleanSession = cleanSession;
            return this;
        }

        /**
         * Sets the keep-alive interval (default 60 s); {@link Duration#ZERO} disables keep-alive.
         *
         * @param keepAlive whole seconds, at most 65,535
         * @return this builder
         */
        public Builder keepAlive(Duration keepAlive) {
            Objects.requireNonNull(keepAlive, "keepAlive");
            if (keepAlive.isNegative() || keepAlive.getSeconds() > 65_535) {
                throw new IllegalArgumentException("Keep alive [" + keepAlive + "] must be between 0 and 65535 seconds.");
            }
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * Sets how long {@link MyMqtt#start()} may take to connect (default 10 s).
         *
         * @param connectTimeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive("Connect timeout", connectTimeout);
            return this;
        }

        /**
         * Sets how long subscribe, unsubscribe, stop and waiting for in-flight room may take (default 10 s).
         *
         * @param operationTimeout a positive duration
         * @return this builder
         */
        public Builder operationTimeout(Duration operationTimeout) {
            this.operationTimeout = positive("Operation timeout", operationTimeout);
            return this;
        }

        /**
         * Sets the user name and password. The password is copied; mqttkit never logs it.
         *
         * @param userName the user name
         * @param password the password
         * @return this builder
         */
        public Builder credentials(String userName, char[] password) {
            this.userName = Objects.requireNonNull(userName, "userName");
            this.password = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        /**
         * Sets the last will: the broker publishes it when the client disappears without calling
         * {@link MyMqtt#stop()} (crash, network loss, missed keep-alive).
         *
         * @param topic the topic name; no wildcards
         * @param payload the payload, copied
         * @param qos the QoS
         * @param retain whether the broker retains it
         * @return this builder
         */
        public Builder lastWill(String topic, byte[] payload, Qos qos, boolean retain) {
            TopicRules.checkSendable("Topic", TopicRules.checkTopicName(topic));
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(qos, "qos");
            Connection.checkPayloadSize(topic, payload);
            this.will = new ClientSettings.Will(topic, payload.clone(), qos, retain);
            return this;
        }

        /**
         * Sets the QoS of {@link MyMqtt#publish(CharSequence, String)}, {@link MyMqtt#subscribe(CharSequence)} and
         * {@link MyMqtt#subscribe(CharSequence, MessageListener)}. Default: {@link Qos#EXACTLY_ONCE}, as in the course.
         *
         * @param defaultQos the QoS
         * @return this builder
         */
        public Builder defaultQos(Qos defaultQos) {
            this.defaultQos = Objects.requireNonNull(defaultQos, "defaultQos");
            return this;
        }

        /**
         * Sets how many publishes may await their acknowledgement at once (default 100); further publishes wait.
         *
         * @param maxInflight between 1 and 65,534
         * @return this builder
         */
        public Builder maxInflight(int maxInflight) {
            if (maxInflight < 1 || maxInflight > 65_534) {
                throw new IllegalArgumentException("Max inflight [" + maxInflight + "] must be between 1 and 65534.");
            }
            this.maxInflight = maxInflight;
            return this;
        }

        /**
         * Reconnects automatically after a lost connection (default on), until it succeeds or
         * {@link MyMqtt#stop()} is called, waiting as {@link #reconnectDelay(Duration, Duration)} says. Subscriptions
         * are restored (only those the broker lacks, when it kept a durable session), then what was published
         * meanwhile is sent from the offline buffer. Off, a lost connection stays lost and publishing while
         * disconnected fails at once.
         *
         * @param automaticReconnect whether to reconnect
         * @return this builder
         */
        public Builder automaticReconnect(boolean automaticReconnect) {
            this.automaticReconnect = automaticReconnect;
            return this;
        }

        /**
         * Sets the waits between reconnect attempts (default 1 s, doubling up to 30 s). Each wait is picked at
         * random between half its value and all of it, so that many clients do not come back at the same instant.
         *
         * @param initialDelay the wait before the first attempt, positive
         * @param maxDelay the longest wait, at least {@code initialDelay}
         * @return this builder
         */
        public Builder reconnectDelay(Duration initialDelay, Duration maxDelay) {
            this.reconnectPolicy = new ReconnectPolicy(positive("Initial reconnect delay", initialDelay),
                    Objects.requireNonNull(maxDelay, "maxDelay"));
            return this;
        }

        /**
         * Sets how long a sent QoS 1/2 message may wait for the broker's acknowledgement while connected (default
         * 60 s); its future then fails with a {@link PublishFailedException} saying that it may still arrive. The
         * clock restarts when a reconnect sends the message again.
         *
         * @param ackTimeout a positive duration
         * @return this builder
         */
        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = positive("Acknowledgement timeout", ackTimeout);
            return this;
        }

        /**
         * Bounds the offline buffer (default 10,000 messages and 16 MiB of payload): publishes made while
         * disconnected wait there, in order, and are sent after the reconnect; their futures complete then. When
         * it is full, {@code publish} waits up to the operation timeout for room, then fails the future with a
         * {@link PublishFailedException} naming the limit. Nothing is dropped silently. {@code maxMessages} 0
         * turns buffering off: publishing while disconnected then fails at once.
         *
         * @param maxMessages at most this many messages, 0 or more
         * @param maxBytes at most this many payload bytes, positive
         * @return this builder
         */
        public Builder offlineBuffer(int maxMessages, long maxBytes) {
            if (maxMessages < 0 || maxBytes < 1) {
                throw new IllegalArgumentException("Offline buffer [" + maxMessages + " messages, " + maxBytes
                        + " bytes] must allow 0 or more messages and 1 or more bytes.");
            }
            this.offlineMaxMessages = maxMessages;
            this.offlineMaxBytes = maxBytes;
            return this;
        }

        /**
         * Bounds the messages received and not yet handled by the listeners (default 10,000 messages and 16 MiB
         * of payload). When listeners fall that far behind, the client stops reading from the socket until they
         * catch up: the broker's sends back up in TCP (and the broker applies its own limits, for example
         * Mosquitto's {@code max_queued_messages}) instead of this client's heap growing.
         *
         * @param maxMessages at most this many messages, positive
         * @param maxBytes at most this many payload bytes, positive
         * @return this builder
         */
        public Builder receiveQueue(int maxMessages, long maxBytes) {
            if (maxMessages < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("Receive queue [" + maxMessages + " messages, " + maxBytes
                        + " bytes] must allow at least 1 message and 1 byte.");
            }
            this.receiveMaxMessages = maxMessages;
            this.receiveMaxBytes = maxBytes;
            return this;
        }

        /**
         * Keeps QoS 1/2 messages in flight in files under {@code directory} instead of memory, so that they
         * survive a crash of this process: sent messages not yet acknowledged are sent again, and a received
         * QoS 2 message whose listener had not finished is delivered again, at the next {@link MyMqtt#start()}
         * with the same client id and {@code cleanSession(false)}. One client id per directory at a time.
         * Writes reach the operating system at once but are not forced to the disk: a power cut can lose the
         * last ones.
         *
         * @param directory the directory, created if missing
         * @return this builder
         */
        public Builder persistence(Path directory) {
            this.persistence = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Sets {@code TCP_NODELAY} on the socket (default on). Off, Nagle's algorithm delays small packets: a
         * QoS 1 request/response round trip then takes tens of milliseconds instead of a fraction of one.
         *
         * @param tcpNoDelay whether to disable Nagle's algorithm
         * @return this builder
         */
        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        /**
         * Sets how to check the broker over TLS and which client certificate to show, from PEM files; needs an
         * {@code ssl://} or {@code wss://} server URI. Without it, those use the JVM's trust store.
         *
         * <pre>{@code
         * MyMqtt.builder()
         *         .serverUri("ssl://broker.lab:8883")
         *         .tls(Tls.trusting(Path.of("ca.crt")).withClientCertificate(Path.of("client.crt"), Path.of("client.key")))
         *         .build();   // reads the files; a bad file throws TlsException here
         * }</pre>
         *
         * @param tls the TLS settings
         * @return this builder
         */
        public Builder tls(Tls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Connects through a proxy: an HTTP proxy's {@code CONNECT} tunnel or SOCKS5, on every transport. Without
         * it, the JVM's standard proxy properties apply ({@code socksProxyHost}; for WebSockets also
         * {@code http.proxyHost} and {@code https.proxyHost}).
         *
         * <pre>{@code
         * MyMqtt.builder()
         *         .serverUri("wss://broker.example.com/mqtt")
         *         .proxy(Proxy.http("proxy.example.com", 3128).withCredentials("alice", "secret"))
         *         .build();
         * }</pre>
         *
         * @param proxy the proxy
         * @return this builder
         */
        public Builder proxy(Proxy proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /**
         * Adds an HTTP header to the WebSocket upgrade request of {@code ws://} and {@code wss://} URIs, for
         * brokers that take a token there ({@code Authorization: Bearer ...}). Values are never logged.
         *
         * @param name the header name, for example {@code Authorization}; not one the handshake sets itself
         * @param value the value
         * @return this builder
         */
        public Builder webSocketHeader(String name, String value) {
            TransportSettings.checkHeader(name, value);
            webSocketHeaders.put(name, value);
            return this;
        }

        /**
         * Makes a publish at a QoS the broker does not support fail with a {@link QosNotSupportedException}, instead
         * of going out at the highest QoS the broker supports (the default, after one WARN). MQTT 3.1.1 gives a
         * broker no way to refuse QoS 2 but to grant less in a SUBACK (NATS, RabbitMQ), to acknowledge a QoS 2
         * publish with a PUBACK (RabbitMQ) or to close the connection (NATS); the client notes each.
         *
         * <pre>{@code
         * MyMqtt exactlyOnce = MyMqtt.builder().serverUri(uri).strictQos(true).build();
         * }</pre>
         *
         * @param strictQos {@code true} to fail such publishes
         * @return this builder
         */
        public Builder strictQos(boolean strictQos) {
            this.strictQos = strictQos;
            return this;
        }

        /**
         * Sets the error hook, told about every exception a listener or the notifier throws (after it is logged at
         * ERROR), and about every payload a typed listener could not decode (a {@link PayloadDecodingException},
         * which is then not logged: without a hook it is logged at WARN).
         *
         * @param errorListener the hook
         * @return this builder
         */
        public Builder errorListener(ErrorListener errorListener) {
            this.errorListener = Objects.requireNonNull(errorListener, "errorListener");
            return this;
        }

        /**
         * Sets the listener for connection events.
         *
         * @param connectionListener the listener
         * @return this builder
         */
        public Builder connectionListener(ConnectionListener connectionListener) {
            this.connectionListener = Objects.requireNonNull(connectionListener, "connectionListener");
            return this;
        }

        /**
         * Builds the client; nothing is sent until {@link MyMqtt#start()}.
         *
         * @return the client
         * @throws IllegalStateException when the server URI is missing
         */
        public MyMqtt build() {
            return new MyMqtt(this);
        }

        private static Duration positive(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " [" + value + "] must be positive.");
            }
            return value;
        }
    }
}
