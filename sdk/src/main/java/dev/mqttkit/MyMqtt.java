package dev.mqttkit;

import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.DaemonThreads;
import dev.mqttkit.internal.PahoSession;
import dev.mqttkit.internal.SessionHandler;
import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.internal.TopicRules;
import dev.mqttkit.topic.Topic;
import dev.mqttkit.topic.TopicFilter;
import dev.mqttkit.topic.TypedTopic;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * {@code ...Async} variants for slow work.
 *
 * <p><b>Acknowledgements.</b> An incoming QoS 1 or 2 message is acknowledged to the broker only after every
 * listener it matched has returned (or thrown), so a process that dies while handling it gets it again on its
 * next durable session.
 */
public final class MyMqtt implements AutoCloseable {

    /** Largest payload MQTT can carry: the maximum remaining length of a packet. */
    public static final int MAX_PAYLOAD_BYTES = 268_435_455;

    private static final Logger LOG = LoggerFactory.getLogger(MyMqtt.class);
    private static final Duration INITIAL_RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(30);

    private final ClientSettings settings;
    private final Notifier notifier;
    private final Qos defaultQos;
    private final ErrorListener errorListener;
    private final ConnectionListener connectionListener;
    private final SubscriptionRegistry registry = new SubscriptionRegistry();

    private final Object lock = new Object();
    private volatile Connection connection;

    /**
     * Creates a client the way the lab's {@code MyMQTT(clientID, broker, port, notifier)} does: plain TCP,
     * clean session, QoS 2 for {@link #publish(String, String)} and {@link #subscribe(String)}.
     *
     * @param clientId the MQTT client identifier; unique per broker
     * @param broker the broker's host name or address, for example {@code localhost}
     * @param port the broker's port, usually 1883
     * @param notifier receives messages of {@link #subscribe(String)} and any message no listener matches
     */
    public MyMqtt(String clientId, String broker, int port, Notifier notifier) {
        this(builder().clientId(clientId).serverUri(tcpUri(broker, port)).notifier(notifier));
    }

    private MyMqtt(Builder builder) {
        if (builder.serverUri == null) {
            throw new IllegalStateException("MyMqtt.Builder is missing the serverUri, for example tcp://localhost:1883.");
        }
        String clientId = builder.clientId != null ? builder.clientId
                : "mqttkit-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
        this.settings = new ClientSettings(builder.serverUri, clientId, builder.cleanSession, builder.keepAlive,
                builder.connectTimeout, builder.operationTimeout, builder.userName,
                builder.password == null ? null : builder.password.clone(), builder.will, builder.maxInflight,
                builder.automaticReconnect, builder.tcpNoDelay);
        this.notifier = builder.notifier;
        this.defaultQos = builder.defaultQos;
        this.errorListener = builder.errorListener;
        this.connectionListener = builder.connectionListener;
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
     * session queued while offline go to the listeners registered before this call.
     *
     * @throws ConnectionException when the broker cannot be reached (within the connect timeout) or refuses
     * @throws NotAuthorizedException when the broker refuses the credentials
     * @throws SubscriptionRefusedException when the broker refuses a registered filter (the client is then
     *     disconnected again)
     * @throws OperationTimeoutException when the broker does not answer in time
     * @throws IllegalStateException when already started
     */
    public void start() {
        synchronized (lock) {
            if (connection != null) {
                throw new IllegalStateException("MyMqtt [" + settings.clientId() + "] is already started; call stop() first.");
            }
            Connection starting = new Connection();
            try {
                starting.session.connect();
                // from here listeners may run (a durable session's queued messages) and may publish
                connection = starting;
                starting.session.unsubscribe(registry.takePendingUnsubscribes());
                starting.session.subscribe(registry.takeFiltersToSubscribe(false));
            } catch (RuntimeException e) {
                connection = null;
                starting.shutdown();
                throw e;
            }
            starting.dispatch(() -> connectionListener.onConnected(settings.serverUri(), false));
        }
    }

    /**
     * Disconnects and frees every thread of this client. Idempotent.
     *
     * <p>Messages already received are delivered to their listeners first (waiting up to the operation
     * timeout), so that they are acknowledged. A durable session ({@code cleanSession(false)}) keeps its
     * broker-side subscriptions; listeners stay registered, so {@link #start()} may be called again.
     * May be called from a listener.
     */
    public void stop() {
        Connection stopping;
        synchronized (lock) {
            stopping = connection;
            connection = null;
        }
        if (stopping != null) {
            stopping.shutdown();
        }
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
        Connection current = connection;
        return current != null && current.session.isConnected();
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
     * Returns the QoS of {@link #publish(String, String)} and {@link #subscribe(String)}: QoS 2 unless the builder
     * set another.
     *
     * @return the default QoS
     */
    public Qos defaultQos() {
        return defaultQos;
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
     * @param topic the topic name; no wildcards
     * @param payload the text
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     * @throws InvalidTopicException when the topic is not a valid topic name
     * @throws IllegalStateException when the client is not started
     */
    public CompletableFuture<Void> publish(String topic, String payload) {
        Objects.requireNonNull(payload, "payload");
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), defaultQos, false);
    }

    /**
     * Publishes UTF-8 text.
     *
     * @param topic the topic name; no wildcards
     * @param payload the text
     * @param qos the QoS
     * @param retain whether the broker keeps it as the topic's retained message
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     * @throws InvalidTopicException when the topic is not a valid topic name
     * @throws IllegalStateException when the client is not started
     */
    public CompletableFuture<Void> publish(String topic, String payload, Qos qos, boolean retain) {
        Objects.requireNonNull(payload, "payload");
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    /**
     * Publishes bytes.
     *
     * <p>When {@code maxInflight} messages already await their acknowledgement, the call waits (up to the
     * operation timeout) for room: backpressure instead of Paho's "too many publishes in progress". A retained
     * message with an empty payload clears the topic's retained message.
     *
     * @param topic the topic name; no wildcards
     * @param payload the payload, copied; may be empty
     * @param qos the QoS
     * @param retain whether the broker keeps it as the topic's retained message
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0); fails with
     *     a {@link ConnectionException} when the connection is down or drops first, or an
     *     {@link OperationTimeoutException} when no room came free in time
     * @throws InvalidTopicException when the topic is not a valid topic name
     * @throws PayloadTooLargeException when the payload exceeds {@value #MAX_PAYLOAD_BYTES} bytes
     * @throws IllegalStateException when the client is not started
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain) {
        TopicRules.checkTopicName(topic);
        Objects.requireNonNull(payload, "payload");
        return publishOwned(topic, payload.clone(), qos, retain);
    }

    /**
     * Publishes UTF-8 text to a topic value with the default QoS, not retained.
     *
     * @param topic the topic
     * @param payload the text
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     */
    public CompletableFuture<Void> publish(Topic topic, String payload) {
        return publish(topic.toString(), payload);
    }

    /**
     * Publishes bytes to a topic value; see {@link #publish(String, byte[], Qos, boolean)}.
     *
     * @param topic the topic
     * @param payload the payload, copied
     * @param qos the QoS
     * @param retain whether the broker keeps it as the topic's retained message
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     */
    public CompletableFuture<Void> publish(Topic topic, byte[] payload, Qos qos, boolean retain) {
        return publish(topic.toString(), payload, qos, retain);
    }

    /**
     * Publishes a value encoded with a codec, with the default QoS, not retained.
     *
     * <pre>{@code
     * mqtt.publish("robotcell1/temperature", 75.27, PayloadCodecs.doubles());
     * }</pre>
     *
     * @param topic the topic name
     * @param value the value
     * @param codec encodes the value
     * @param <T> the value type
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     */
    public <T> CompletableFuture<Void> publish(String topic, T value, PayloadCodec<T> codec) {
        return publish(topic, value, codec, defaultQos, false);
    }

    /**
     * Publishes a value encoded with a codec.
     *
     * @param topic the topic name
     * @param value the value
     * @param codec encodes the value
     * @param qos the QoS
     * @param retain whether the broker keeps it as the topic's retained message
     * @param <T> the value type
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     */
    public <T> CompletableFuture<Void> publish(String topic, T value, PayloadCodec<T> codec, Qos qos, boolean retain) {
        TopicRules.checkTopicName(topic);
        Objects.requireNonNull(codec, "codec");
        return publishOwned(topic, codec.encode(value), qos, retain);
    }

    /**
     * Publishes a value encoded with a codec to a topic value.
     *
     * @param topic the topic
     * @param value the value
     * @param codec encodes the value
     * @param <T> the value type
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     */
    public <T> CompletableFuture<Void> publish(Topic topic, T value, PayloadCodec<T> codec) {
        return publish(topic.toString(), value, codec, defaultQos, false);
    }

    /**
     * Publishes a value to a typed template's topic, with the default QoS, not retained.
     *
     * <pre>{@code
     * mqtt.publish(TEMPERATURE, 21.5, "id", "1234");   // to sensor/1234/temperature
     * }</pre>
     *
     * @param topic the typed template
     * @param value the value
     * @param namesAndValues the template parameters as name/value pairs
     * @param <T> the value type
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     * @throws IllegalArgumentException when a parameter is missing or unknown
     */
    public <T> CompletableFuture<Void> publish(TypedTopic<T> topic, T value, String... namesAndValues) {
        Topic target = topic.template().with(namesAndValues);
        return publishOwned(target.toString(), topic.codec().encode(value), defaultQos, false);
    }

    /**
     * Publishes a value to a typed template's topic.
     *
     * @param topic the typed template
     * @param parameters one value per template parameter
     * @param value the value
     * @param qos the QoS
     * @param retain whether the broker keeps it as the topic's retained message
     * @param <T> the value type
     * @return completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0)
     */
    public <T> CompletableFuture<Void> publish(TypedTopic<T> topic, Map<String, String> parameters, T value, Qos qos,
            boolean retain) {
        Topic target = topic.template().topic(parameters);
        return publishOwned(target.toString(), topic.codec().encode(value), qos, retain);
    }

    /** Publishes a payload this client owns (freshly encoded, so not copied again). */
    private CompletableFuture<Void> publishOwned(String topic, byte[] payload, Qos qos, boolean retain) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        checkPayloadSize(topic, payload);
        Connection current = connection;
        if (current == null) {
            throw new IllegalStateException("MyMqtt [" + settings.clientId()
                    + "] is not started: call start() before publishing to [" + TopicRules.quote(topic) + "].");
        }
        return current.session.publish(topic, payload, qos, retain);
    }

    static void checkPayloadSize(String topic, byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new PayloadTooLargeException("Payload of " + String.format(Locale.ROOT, "%,d", payload.length)
                    + " bytes for topic [" + TopicRules.quote(topic) + "] exceeds the MQTT maximum of 268,435,455 bytes.");
        }
    }

    /**
     * Subscribes the notifier to a filter with the default QoS: the lab's {@code mySubscribe(topic)}.
     *
     * @param topicFilter the filter; may contain {@code +} and {@code #}
     * @return the registration; close it to stop receiving
     * @throws IllegalStateException when the client has no notifier
     * @see #subscribe(String, Qos, MessageListener)
     */
    public Subscription subscribe(String topicFilter) {
        if (notifier == null) {
            throw new IllegalStateException("MyMqtt [" + settings.clientId() + "] has no notifier: pass one to the "
                    + "constructor or the builder, or use subscribe(filter, listener).");
        }
        Notifier target = notifier;
        return subscribe(topicFilter, defaultQos, message -> target.notify(message.topic(), message.payload()));
    }

    /**
     * Adds a listener on a filter with the default QoS.
     *
     * @param topicFilter the filter; may contain {@code +} and {@code #}
     * @param listener receives the matching messages
     * @return the registration; close it to remove this listener
     * @see #subscribe(String, Qos, MessageListener)
     */
    public Subscription subscribe(String topicFilter, MessageListener listener) {
        return subscribe(topicFilter, defaultQos, listener);
    }

    /**
     * Adds a listener on a filter.
     *
     * <p>Several listeners may share a filter; each receives every matching message. On a connected client
     * this returns once the broker granted the subscription (SUBACK). Before {@link #start()} it only
     * registers: the broker subscription is made while starting, so that messages a durable session queued
     * reach this listener. A listener added to a filter the broker already has does not get the retained
     * message again.
     *
     * @param topicFilter the filter; may contain {@code +} and {@code #}
     * @param qos the highest QoS the broker should deliver with
     * @param listener receives the matching messages
     * @return the registration; close it to remove this listener
     * @throws InvalidTopicException when the filter is not a valid topic filter
     * @throws SubscriptionRefusedException when the broker refuses the filter
     * @throws OperationTimeoutException when the broker does not answer in time
     */
    public Subscription subscribe(String topicFilter, Qos qos, MessageListener listener) {
        return subscribe(TopicFilter.of(topicFilter), qos, listener);
    }

    /**
     * Adds a listener on a filter with the default QoS.
     *
     * @param topicFilter the filter
     * @param listener receives the matching messages
     * @return the registration; close it to remove this listener
     * @see #subscribe(String, Qos, MessageListener)
     */
    public Subscription subscribe(TopicFilter topicFilter, MessageListener listener) {
        return subscribe(topicFilter, defaultQos, listener);
    }

    /**
     * Adds a listener on a filter; see {@link #subscribe(String, Qos, MessageListener)}.
     *
     * <p>A shared subscription, {@code $share/<group>/<filter>}, receives its share of the messages matching
     * {@code <filter>} (the broker spreads them over the group's clients).
     *
     * @param topicFilter the filter
     * @param qos the highest QoS the broker should deliver with
     * @param listener receives the matching messages
     * @return the registration; close it to remove this listener
     * @throws SubscriptionRefusedException when the broker refuses the filter
     * @throws OperationTimeoutException when the broker does not answer in time
     */
    public Subscription subscribe(TopicFilter topicFilter, Qos qos, MessageListener listener) {
        Objects.requireNonNull(topicFilter, "topicFilter");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(listener, "listener");
        ListenerSubscription subscription = new ListenerSubscription(topicFilter, qos, listener, this::unsubscribe);
        String filter = topicFilter.toString();
        synchronized (lock) {
            Qos previous = registry.brokerQos(filter);
            Qos brokerQos = registry.add(subscription);
            Connection current = connection;
            if (brokerQos != null && current != null && current.session.isConnected()) {
                try {
                    current.session.subscribe(Map.of(filter, brokerQos));
                } catch (RuntimeException e) {
                    subscription.deactivate();
                    registry.rollback(subscription, previous);
                    throw e;
                }
            } else if (brokerQos != null) {
                registry.markUnsynced(filter);
            }
        }
        return subscription;
    }

    /**
     * Subscribes a typed listener with the default QoS: each payload is decoded with {@code codec}.
     *
     * <pre>{@code
     * mqtt.subscribe("robotcell1/temperature", PayloadCodecs.doubles(), message -> sum += message.value());
     * }</pre>
     *
     * @param topicFilter the filter
     * @param codec decodes the payloads
     * @param listener receives the decoded messages; never called for a payload that does not decode (that
     *     goes to the error hook as a {@link PayloadDecodingException})
     * @param <T> the payload type
     * @return the registration; close it to remove this listener
     */
    public <T> Subscription subscribe(String topicFilter, PayloadCodec<T> codec, TypedListener<T> listener) {
        return subscribe(TopicFilter.of(topicFilter), defaultQos, codec, listener);
    }

    /**
     * Subscribes a typed listener: each payload is decoded with {@code codec}.
     *
     * @param topicFilter the filter
     * @param qos the highest QoS the broker should deliver with
     * @param codec decodes the payloads
     * @param listener receives the decoded messages
     * @param <T> the payload type
     * @return the registration; close it to remove this listener
     */
    public <T> Subscription subscribe(String topicFilter, Qos qos, PayloadCodec<T> codec, TypedListener<T> listener) {
        return subscribe(TopicFilter.of(topicFilter), qos, codec, listener);
    }

    /**
     * Subscribes a typed listener: each payload is decoded with {@code codec}.
     *
     * @param topicFilter the filter
     * @param qos the highest QoS the broker should deliver with
     * @param codec decodes the payloads
     * @param listener receives the decoded messages
     * @param <T> the payload type
     * @return the registration; close it to remove this listener
     */
    public <T> Subscription subscribe(TopicFilter topicFilter, Qos qos, PayloadCodec<T> codec, TypedListener<T> listener) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(listener, "listener");
        return subscribe(topicFilter, qos, decoding(codec, null, listener));
    }

    /**
     * Subscribes to every topic of a typed template with the default QoS; the listener gets the decoded value
     * and the template's parameters.
     *
     * <pre>{@code
     * mqtt.subscribe(TEMPERATURE, message -> show(message.parameter("id"), message.value()));
     * }</pre>
     *
     * @param topic the typed template
     * @param listener receives the decoded messages
     * @param <T> the payload type
     * @return the registration; close it to remove this listener
     */
    public <T> Subscription subscribe(TypedTopic<T> topic, TypedListener<T> listener) {
        return subscribe(topic, defaultQos, listener);
    }

    /**
     * Subscribes to every topic of a typed template.
     *
     * @param topic the typed template
     * @param qos the highest QoS the broker should deliver with
     * @param listener receives the decoded messages
     * @param <T> the payload type
     * @return the registration; close it to remove this listener
     */
    public <T> Subscription subscribe(TypedTopic<T> topic, Qos qos, TypedListener<T> listener) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(listener, "listener");
        return subscribe(topic.filter(), qos, decoding(topic.codec(), topic.template(), listener));
    }

    private static <T> MessageListener decoding(PayloadCodec<T> codec, dev.mqttkit.topic.TopicTemplate template,
            TypedListener<T> listener) {
        return message -> {
            Map<String, String> parameters = Map.of();
            if (template != null) {
                Optional<Map<String, String>> match = template.match(message.topic());
                if (match.isEmpty()) {
                    // a level like systemcomponent{n} subscribes with '+': this topic is not one of the template's
                    LOG.debug("Topic [{}] matches the filter {} but not the template {}", message.topic(),
                            template.filter(), template);
                    return;
                }
                parameters = match.get();
            }
            T value;
            try {
                value = codec.decode(message.payloadArray());
            } catch (Exception e) {
                throw new PayloadDecodingException(message.topic(), codec.type(), message.payloadArray(), e);
            }
            listener.onMessage(new TypedMessage<>(message, value, parameters));
        };
    }

    /**
     * Removes every listener on a filter and unsubscribes it at the broker: the lab's
     * {@code unsubscribe(topic)}. To remove a single listener, close its {@link Subscription}.
     *
     * @param topicFilter the filter, exactly as subscribed
     * @return how many listeners were removed; 0 when none was registered on the filter
     * @throws InvalidTopicException when the filter is not a valid topic filter
     * @throws OperationTimeoutException when the broker does not acknowledge the unsubscribe in time
     */
    public int unsubscribe(String topicFilter) {
        TopicFilter filter = TopicFilter.of(topicFilter);
        List<ListenerSubscription> listeners = registry.listenersOf(filter.toString());
        listeners.forEach(ListenerSubscription::close);
        return listeners.size();
    }

    private void unsubscribe(ListenerSubscription subscription) {
        synchronized (lock) {
            if (!registry.remove(subscription)) {
                return;
            }
            Connection current = connection;
            if (current != null && current.session.isConnected()) {
                current.session.unsubscribe(List.of(subscription.filter()));
            } else if (!settings.cleanSession()) {
                registry.unsubscribeLater(subscription.filter());
            }
        }
    }

    /** The socket of the current connection; for diagnostics and tests. */
    Socket socket() {
        Connection current = connection;
        return current == null ? null : current.session.socket();
    }

    @Override
    public String toString() {
        return "MyMqtt[" + settings.clientId() + " -> " + settings.serverUri() + (isConnected() ? ", connected" : "") + "]";
    }

    private void deliver(Message message) {
        List<ListenerSubscription> targets = registry.match(message.topic());
        if (targets.isEmpty()) {
            if (notifier != null) {
                invoke(null, message, () -> notifier.notify(message.topic(), message.payload()));
            } else {
                LOG.warn("No listener for the message on [{}] ({} bytes) of client [{}]: subscribe a listener to it "
                        + "or give the client a notifier", message.topic(), message.payloadSize(), settings.clientId());
            }
            return;
        }
        for (ListenerSubscription target : targets) {
            invoke(target, message, () -> target.listener().onMessage(message));
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    /** Runs a listener ({@code null}: the notifier), reporting what it throws. */
    private void invoke(ListenerSubscription target, Message message, Call call) {
        try {
            call.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable error) {
            if (error instanceof PayloadDecodingException decoding) {
                LOG.warn("Client [{}]: {}", settings.clientId(), decoding.getMessage());
            } else {
                String who = target == null ? "The notifier" : "The listener on [" + target.filter() + "]";
                LOG.error("{} threw on the message on [{}] of client [{}]", who, message.topic(), settings.clientId(),
                        error);
            }
            try {
                errorListener.onError(message, error);
            } catch (RuntimeException hookError) {
                LOG.error("The error listener of client [{}] threw", settings.clientId(), hookError);
            }
        }
    }

    /** One connection lifetime: the Paho session, the thread that runs listeners and, if enabled, reconnects. */
    private final class Connection implements SessionHandler {

        private final ExecutorService dispatcher;
        private final ScheduledExecutorService reconnector;
        private final PahoSession session;
        private volatile Thread dispatchThread;
        private volatile boolean stopping;

        Connection() {
            this.dispatcher = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = DaemonThreads.create(runnable, "mqttkit-dispatch-" + settings.clientId());
                dispatchThread = thread;
                return thread;
            });
            this.reconnector = settings.automaticReconnect()
                    ? Executors.newSingleThreadScheduledExecutor(
                            runnable -> DaemonThreads.create(runnable, "mqttkit-reconnect-" + settings.clientId()))
                    : null;
            this.session = new PahoSession(settings, this);
        }

        void dispatch(Runnable task) {
            dispatcher.execute(task);
        }

        @Override
        public void onMessage(Message message, Runnable acknowledgement) {
            try {
                dispatcher.execute(() -> {
                    deliver(message);
                    acknowledgement.run();
                });
            } catch (RejectedExecutionException stopped) {
                LOG.warn("Client [{}] is stopping: the message on [{}] arrived too late to be delivered{}",
                        settings.clientId(), message.topic(), message.qos() == Qos.AT_MOST_ONCE ? ""
                                : " and stays unacknowledged, so a durable session receives it again");
            }
        }

        @Override
        public void onConnectionLost(RuntimeException cause) {
            runListener(() -> connectionListener.onConnectionLost(settings.serverUri(), cause));
            if (reconnector != null && !stopping) {
                scheduleReconnect(INITIAL_RECONNECT_DELAY);
            }
        }

        private void scheduleReconnect(Duration delay) {
            try {
                reconnector.schedule(() -> reconnect(delay), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                LOG.debug("Client [{}] is stopping; no reconnect", settings.clientId());
            }
        }

        private void reconnect(Duration delay) {
            if (stopping) {
                return;
            }
            try {
                boolean sessionPresent = session.reconnect();
                synchronized (lock) {
                    session.unsubscribe(registry.takePendingUnsubscribes());
                    session.subscribe(registry.takeFiltersToSubscribe(sessionPresent));
                }
                LOG.info("Client [{}] reconnected to {}", settings.clientId(), settings.serverUri());
                runListener(() -> connectionListener.onConnected(settings.serverUri(), true));
            } catch (RuntimeException e) {
                Duration next = delay.multipliedBy(2).compareTo(MAX_RECONNECT_DELAY) > 0 ? MAX_RECONNECT_DELAY
                        : delay.multipliedBy(2);
                LOG.info("Client [{}] could not reconnect to {} ({}); next attempt in {} ms", settings.clientId(),
                        settings.serverUri(), e.getMessage(), next.toMillis());
                if (!stopping) {
                    scheduleReconnect(next);
                }
            }
        }

        private void runListener(Runnable task) {
            try {
                dispatcher.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.error("The connection listener of client [{}] threw", settings.clientId(), e);
                    }
                });
            } catch (RejectedExecutionException stopped) {
                LOG.debug("Client [{}] is stopping; connection event not delivered", settings.clientId());
            }
        }

        void shutdown() {
            stopping = true;
            if (reconnector != null) {
                reconnector.shutdownNow();
                awaitQuietly(reconnector, settings.connectTimeout().plusSeconds(1), "reconnect attempt");
            }
            dispatcher.shutdown();
            if (Thread.currentThread() != dispatchThread) {
                if (!awaitQuietly(dispatcher, settings.operationTimeout(), "listeners")) {
                    dispatcher.shutdownNow();
                }
            }
            session.close();
        }

        private boolean awaitQuietly(ExecutorService executor, Duration timeout, String what) {
            try {
                if (executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    return true;
                }
                LOG.warn("The {} of client [{}] did not finish within {} ms; interrupting", what, settings.clientId(),
                        timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
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
        private boolean automaticReconnect;
        private boolean tcpNoDelay = true;
        private ErrorListener errorListener = (message, error) -> { };
        private ConnectionListener connectionListener = new ConnectionListener() { };

        private Builder() {
        }

        /**
         * Sets the broker URI. Required.
         *
         * @param serverUri {@code tcp://host:port}, or {@code ssl://host:port} for TLS with the JVM's trust store
         * @return this builder
         */
        public Builder serverUri(String serverUri) {
            Objects.requireNonNull(serverUri, "serverUri");
            if (!serverUri.matches("(tcp|ssl)://[^/]+:\\d{1,5}")) {
                throw new IllegalArgumentException("Server URI [" + serverUri
                        + "] must look like tcp://host:port or ssl://host:port.");
            }
            this.serverUri = serverUri;
            return this;
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
         * Sets the notifier: the target of {@link MyMqtt#subscribe(String)} and of messages no listener matches.
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
            TopicRules.checkTopicName(topic);
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(qos, "qos");
            checkPayloadSize(topic, payload);
            this.will = new ClientSettings.Will(topic, payload.clone(), qos, retain);
            return this;
        }

        /**
         * Sets the QoS of {@link MyMqtt#publish(String, String)}, {@link MyMqtt#subscribe(String)} and
         * {@link MyMqtt#subscribe(String, MessageListener)}. Default: {@link Qos#EXACTLY_ONCE}, as in the course.
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
         * Reconnects automatically after a lost connection (default off): first after 1 s, then doubling the
         * wait up to 30 s, until it succeeds or {@link MyMqtt#stop()} is called. Subscriptions are restored
         * (only those the broker lacks, when it kept a durable session). Publish futures pending when the
         * connection dropped fail with a {@link ConnectionException}; publishing while disconnected fails too.
         *
         * @param automaticReconnect whether to reconnect
         * @return this builder
         */
        public Builder automaticReconnect(boolean automaticReconnect) {
            this.automaticReconnect = automaticReconnect;
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
         * Sets the error hook, told about every exception a listener or the notifier throws (after it is logged).
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
