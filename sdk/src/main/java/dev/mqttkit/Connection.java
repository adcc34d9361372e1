package dev.mqttkit;

import dev.mqttkit.internal.ClientCounters;
import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.Logs;
import dev.mqttkit.internal.TopicRules;
import dev.mqttkit.internal.dispatch.Dispatcher;
import dev.mqttkit.internal.lifecycle.ExitHook;
import dev.mqttkit.internal.lifecycle.OfflineBuffer;
import dev.mqttkit.internal.lifecycle.Reconnector;
import dev.mqttkit.internal.session.PahoSession;
import dev.mqttkit.internal.session.SessionHandler;
import dev.mqttkit.internal.session.SessionState;
import dev.mqttkit.topic.TopicFilter;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * A client's connection, from {@link #start()} to {@link #stop()}, as often as the client is started: connecting
 * and subscribing, online and offline, the offline buffer, reconnecting and restoring the subscriptions, and the
 * broker-facing half of subscribing and unsubscribing. {@link MyMqtt} is its facade.
 *
 * <p>Each start makes a {@link Run}: the Paho session, the dispatch thread, the reconnect thread and the offline
 * buffer of one connection's lifetime. The subscriptions ({@link SubscriptionRegistry}) outlive it.
 */
final class Connection implements RequestTarget {

    /** Largest payload MQTT can carry: the maximum remaining length of a packet. */
    static final int MAX_PAYLOAD_BYTES = 268_435_455;

    private static final Logger LOG = Logs.get(Connection.class);
    /** How often a connection that should be up is checked, as a safety net beside Paho's loss reports. */
    private static final Duration WATCH_PERIOD = Duration.ofSeconds(1);

    private final ClientSettings settings;
    private final Qos defaultQos;
    private final SubscriptionRegistry registry;
    private final SubscriptionSync subscriptions;
    private final Delivery delivery;
    private final ClientCounters counters = new ClientCounters();
    private final Object lock = new Object();
    private volatile Run current;
    /** The MQTT session this client keeps from one start to the next; made at the first start. */
    private SessionState sessionState;

    Connection(ClientSettings settings, Qos defaultQos, Notifier notifier, ErrorListener errorListener,
            ConnectionListener connectionListener) {
        this.settings = settings;
        this.defaultQos = defaultQos;
        this.registry = new SubscriptionRegistry();
        this.subscriptions = new SubscriptionSync(registry, this::resyncLater);
        this.delivery = new Delivery(settings.clientId(), registry, notifier, errorListener, connectionListener,
                counters);
    }

    /** See {@link MyMqtt#start()}. */
    void start() {
        synchronized (lock) {
            if (current != null) {
                throw new IllegalStateException("MyMqtt [" + settings.clientId() + "] is already started; call stop() first.");
            }
            if (sessionState == null) {
                sessionState = SessionState.of(settings);
            }
            Run starting = new Run(sessionState);
            // set before connecting: a durable session's queued messages may reach the listeners as soon as the
            // broker accepts, and a listener (or another thread) may publish; that waits in the offline buffer
            // until the subscriptions below are made, then goes out in order
            current = starting;
            try {
                boolean sessionPresent = starting.session.connect();
                for (String filter : subscriptions.restore(starting.session, sessionPresent).keySet()) {
                    throw starting.session.refused(filter);
                }
            } catch (RuntimeException e) {
                current = null;
                starting.shutdown();
                starting.dispatcher.awaitEnd(1000); // a failed start() leaves no thread of the client behind
                throw e;
            }
            starting.online();
            starting.exitHook = ExitHook.register(settings.clientId(), this::stop);
            String uri = starting.session.currentUri();
            starting.dispatcher.event(() -> delivery.connectionEvent(listener -> listener.onConnected(uri, false)));
        }
    }

    /** See {@link MyMqtt#stop()}. */
    void stop() {
        Run stopping = current; // without the lock: a start() that holds it is cut short below
        if (stopping != null) {
            // the connection stays usable while its listeners finish: one of them may be publishing and waiting
            stopping.shutdown();
            synchronized (lock) {
                if (current == stopping) {
                    current = null;
                }
            }
        }
    }

    boolean isConnected() {
        Run run = current;
        return run != null && run.session.isConnected();
    }

    @Override
    public Qos defaultQos() {
        return defaultQos;
    }

    @Override
    public CompletableFuture<Void> send(String topic, byte[] payload, Qos qos, boolean retain) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        TopicRules.checkSendable("Topic", topic);
        checkPayloadSize(topic, payload);
        Run run = current;
        if (run == null) {
            throw new IllegalStateException("MyMqtt [" + settings.clientId()
                    + "] is not started: call start() before publishing to [" + TopicRules.quote(topic) + "].");
        }
        return run.send(topic, payload, qos, retain);
    }

    static void checkPayloadSize(String topic, byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new PayloadTooLargeException("Payload of " + String.format(Locale.ROOT, "%,d", payload.length)
                    + " bytes for topic [" + TopicRules.quote(topic) + "] exceeds the MQTT maximum of 268,435,455 bytes.");
        }
    }

    @Override
    public Subscription listen(TopicFilter topicFilter, Qos qos, MessageListener listener) {
        Objects.requireNonNull(topicFilter, "topicFilter");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(listener, "listener");
        TopicRules.checkSendable("Topic filter", topicFilter.toString());
        ListenerSubscription subscription = new ListenerSubscription(topicFilter, qos, listener, this::unsubscribe,
                subscriptions.broker()::grantedFor, subscriptions.broker()::refusedFor);
        synchronized (lock) {
            registry.add(subscription);
            Run run = current;
            try {
                subscriptions.added(run == null ? null : run.session, subscription);
            } catch (RuntimeException e) {
                subscription.deactivate();
                registry.remove(subscription);
                throw e;
            }
        }
        return subscription;
    }

    /** See {@link MyMqtt#unsubscribe(CharSequence)}. */
    int unsubscribe(TopicFilter filter) {
        List<ListenerSubscription> listeners = registry.listenersOf(filter.toString());
        listeners.forEach(ListenerSubscription::close);
        if (listeners.isEmpty()) {
            synchronized (lock) {
                Run run = current;
                if (subscriptions.hasStale() && run != null) {
                    subscriptions.unsubscribeStale(run.session); // an earlier UNSUBSCRIBE failed or timed out: again now
                }
            }
        }
        return listeners.size();
    }

    /** A subscription was closed: the broker is told what changes. */
    private void unsubscribe(ListenerSubscription subscription) {
        synchronized (lock) {
            if (!registry.remove(subscription)) {
                return;
            }
            Run run = current;
            try {
                subscriptions.removed(run == null ? null : run.session, subscription);
            } catch (OperationTimeoutException e) {
                String message = e.getMessage().endsWith(".") ? e.getMessage().substring(0, e.getMessage().length() - 1)
                        : e.getMessage();
                throw new OperationTimeoutException(settings.operationTimeout(), message + "; "
                        + notUnsubscribed(subscription.filter()));
            }
        }
    }

    private static String notUnsubscribed(String filter) {
        return "the listener is removed, and the client unsubscribes at the broker when it reconnects (or call "
                + "unsubscribe(\"" + filter + "\") to try again now).";
    }

    /** Tells the broker, a little later, what is still due (a temporary subscription, a failed UNSUBSCRIBE). */
    private void resyncLater(long millis) {
        Run run = current;
        if (run != null) {
            run.reconnector.later(() -> {
                synchronized (lock) {
                    if (current == run) {
                        subscriptions.resync(run.session);
                    }
                }
            }, millis);
        }
    }

    Socket socket() {
        Run run = current;
        return run == null ? null : run.session.socket();
    }

    int queuedMessages() {
        Run run = current;
        return run == null ? -1 : run.dispatcher.queuedMessages();
    }

    long readerWaits() {
        Run run = current;
        return run == null ? -1 : run.dispatcher.readerWaits();
    }

    /** See {@link MyMqtt#metrics()}. */
    ClientMetrics metrics() {
        Run run = current;
        if (run == null) {
            return new ClientMetrics(counters, false, 0, 0, 0);
        }
        return new ClientMetrics(counters, run.session.isConnected(),
                settings.maxInflight() - run.session.freeInflightSlots(), run.buffer.size(),
                run.dispatcher.queuedMessages());
    }

    int freeInflightSlots() {
        Run run = current;
        return run == null ? -1 : run.session.freeInflightSlots();
    }

    /** One connection's lifetime, from start() to stop(): its session, threads and offline buffer. */
    private final class Run implements SessionHandler {

        private final Dispatcher dispatcher;
        private final Reconnector reconnector;
        private final OfflineBuffer buffer;
        private final PahoSession session;
        private final Object outLock = new Object();
        private final AtomicBoolean shutDown = new AtomicBoolean();
        private final AtomicInteger lateMessages = new AtomicInteger();
        private volatile boolean online;
        private volatile boolean wasOnline;
        private volatile boolean stopping;

        private final SessionState state;
        /** Stops this run at JVM exit if the program forgot to; cancelled by {@link #shutdown()}. */
        private volatile ExitHook.Registration exitHook;

        Run(SessionState state) {
            this.state = state;
            this.dispatcher = new Dispatcher("mqttkit-dispatch-" + settings.clientId(), settings.receiveMaxMessages(),
                    settings.receiveMaxBytes());
            this.buffer = new OfflineBuffer(settings.offlineMaxMessages(), settings.offlineMaxBytes());
            try {
                this.session = new PahoSession(settings, this, dispatcher, state, counters);
            } catch (RuntimeException e) {
                dispatcher.stop(0, leftovers -> { }); // nothing ran on it yet
                dispatcher.awaitEnd(1000);
                throw e;
            }
            this.reconnector = new Reconnector(settings.clientId(), settings.serverUri(), settings.reconnectPolicy());
            if (settings.automaticReconnect()) {
                reconnector.watch(() -> wasOnline && !stopping && !session.isConnected(), this::reconnect,
                        WATCH_PERIOD);
            }
        }

        void online() {
            wasOnline = true;
            reconnector.connected();
            drain();
        }

        CompletableFuture<Void> send(String topic, byte[] payload, Qos qos, boolean retain) {
            CompletableFuture<Void> future = counters.newPublish(qos);
            if (stopping) {
                future.completeExceptionally(notSent(topic, "the client has stopped"));
                return future;
            }
            synchronized (outLock) {
                if (online && session.publish(topic, payload, qos, retain, future)) {
                    return future;
                }
            }
            if (!settings.automaticReconnect() && wasOnline) {
                future.completeExceptionally(notSent(topic, "not connected to " + settings.serverUri()
                        + ", and automatic reconnect is off"));
                return future;
            }
            boolean added;
            try {
                added = buffer.add(new OfflineBuffer.Item(topic, payload, qos, retain, future),
                        settings.operationTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                added = false;
            }
            if (!added) {
                future.completeExceptionally(notSent(topic, "the offline buffer is full (" + buffer.maxMessages()
                        + " messages or " + String.format(Locale.ROOT, "%,d", buffer.maxBytes())
                        + " bytes, see offlineBuffer(...)) and no room came free within "
                        + settings.operationTimeout().toMillis() + " ms while disconnected from " + settings.serverUri()));
            } else if (stopping) {
                failBuffered(); // stop() emptied the buffer before this one was added
            } else if (online) {
                drain(); // the connection came back while this one was being added
            }
            return future;
        }

        private PublishFailedException notSent(String topic, String why) {
            return new PublishFailedException(topic, false, "Cannot publish to [" + TopicRules.quote(topic) + "]: "
                    + why + "; the message was not sent.", null);
        }

        /**
         * A future for the session that completes a buffered message's future, which its caller may have chained
         * callbacks on long ago: with a dependent of its own, it is completed on the completion thread, never on
         * the thread that drains the buffer.
         */
        private CompletableFuture<Void> completedLater(CompletableFuture<Void> given) {
            CompletableFuture<Void> relay = new CompletableFuture<>();
            relay.whenComplete((ok, failure) -> {
                if (failure == null) {
                    given.complete(null);
                } else {
                    given.completeExceptionally(failure);
                }
            });
            return relay;
        }

        private void drain() {
            synchronized (outLock) {
                while (true) {
                    OfflineBuffer.Item item;
                    while ((item = buffer.poll()) != null) {
                        if (!session.publish(item.topic(), item.payload(), item.qos(), item.retain(),
                                completedLater(item.future()))) {
                            buffer.putBack(item);
                            online = false;
                            return;
                        }
                    }
                    online = !stopping && session.isConnected();
                    if (!online || buffer.isEmpty()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void onMessage(Message message, Runnable acknowledgement) {
            counters.received(message.qos());
            Predicate<ListenerSubscription> excluded = subscriptions.excluded(message); // decided as it arrives
            boolean queued = dispatcher.submit(message, () -> {
                delivery.deliver(message, excluded);
                acknowledgement.run();
            });
            if (!queued) {
                lateMessages.incrementAndGet();
            }
        }

        @Override
        public void onConnectionLost(RuntimeException cause) {
            online = false;
            counters.connectionLost();
            String uri = session.currentUri();
            dispatcher.event(() -> delivery.connectionEvent(listener -> listener.onConnectionLost(uri, cause)));
            if (settings.automaticReconnect() && !stopping) {
                reconnector.lost(this::reconnect);
            }
        }

        private void reconnect() {
            if (stopping) {
                return;
            }
            if (session.isConnected()) {
                drain(); // up already (the watch and a late loss report may both ask)
                return;
            }
            boolean sessionPresent = session.reconnect();
            counters.reconnected();
            Map<String, Qos> refusals;
            try {
                synchronized (lock) {
                    refusals = subscriptions.restore(session, sessionPresent);
                }
            } catch (RuntimeException e) {
                // resubscribing failed (timeout, or the connection dropped again): start over from a closed
                // connection, never retry while Paho is still connected; what was not acknowledged is still due
                session.dropConnection();
                throw e;
            }
            refusals.keySet().forEach(filter -> {
                SubscriptionRefusedException refused = session.refused(filter);
                dispatcher.event(() -> delivery.refused(refused));
            });
            drain();
            String uri = session.currentUri();
            dispatcher.event(() -> delivery.connectionEvent(listener -> listener.onReconnected(uri, sessionPresent)));
            if (!session.isConnected() && !stopping) {
                reconnector.lost(this::reconnect); // it dropped again while reconnecting: another attempt follows
            }
        }

        void shutdown() {
            if (!shutDown.compareAndSet(false, true)) {
                return; // another stop() is at it; the first one finishes the job
            }
            ExitHook.Registration hook = exitHook;
            if (hook != null) {
                hook.cancel();
            }
            session.abort(); // a connection attempt waiting for its CONNACK gives up now
            reconnector.shutdown(settings.connectTimeout().plusSeconds(1));
            dispatcher.stop(settings.operationTimeout().toMillis(), leftovers -> {
                stopping = true;
                synchronized (outLock) {
                    online = false;
                }
                int unsent = failBuffered();
                session.close();
                state.runEnded();
                summarise(leftovers, unsent);
            });
        }

        private int failBuffered() {
            List<OfflineBuffer.Item> unsent = buffer.drain();
            unsent.forEach(item -> item.future().completeExceptionally(notSent(item.topic(),
                    "the client stopped while disconnected")));
            return unsent.size();
        }

        private void summarise(Dispatcher.Leftovers leftovers, int unsent) {
            int late = lateMessages.get();
            if (leftovers.qos0Dropped() == 0 && leftovers.unacknowledged() == 0 && unsent == 0 && late == 0) {
                return;
            }
            LOG.warn("Client [{}] stopped with work left: {} received QoS 0 messages not delivered, {} received QoS 1/2 "
                    + "messages not delivered and not acknowledged ({}), {} arriving during the stop, {} publishes "
                    + "buffered offline not sent", settings.clientId(), leftovers.qos0Dropped(),
                    leftovers.unacknowledged(), settings.cleanSession() ? "a clean session loses them"
                            : "the durable session receives them again", late, unsent);
        }
    }
}
