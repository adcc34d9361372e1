package dev.mqttkit;

import dev.mqttkit.internal.session.PahoSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The broker-facing half of subscribing and unsubscribing: keeps the broker's subscriptions in step with the
 * listeners ({@link SubscriptionRegistry}), as {@link BrokerSubscriptions} computes them, with the retained messages
 * a new subscription brings going to its own listeners ({@link ReplayGuard}). Its callers hold the connection's
 * lock; the session is the current connection's, or {@code null} while disconnected (the broker is then told at
 * the next connection).
 */
final class SubscriptionSync {

    private final SubscriptionRegistry registry;
    private final BrokerSubscriptions broker = new BrokerSubscriptions();
    private final ReplayGuard guard = new ReplayGuard();
    /** Asks for {@link #resync} a little later, on the connection's maintenance thread. */
    private final Consumer<Long> later;

    SubscriptionSync(SubscriptionRegistry registry, Consumer<Long> later) {
        this.registry = registry;
        this.later = later;
    }

    BrokerSubscriptions broker() {
        return broker;
    }

    /** Which listeners must not get a message that just arrived; {@code null} for none. */
    Predicate<ListenerSubscription> excluded(Message message) {
        return guard.excluded(message);
    }

    /**
     * Restores the subscriptions on a (re)connection: all of them when the broker started a new session, only what
     * it lacks when it kept it.
     *
     * @return the filters the broker refused
     */
    Map<String, Qos> restore(PahoSession session, boolean sessionPresent) {
        if (!sessionPresent) {
            broker.sessionLost();
        }
        BrokerSubscriptions.Delta delta = broker.delta(registry.wanted());
        Map<String, Qos> granted = session.subscribe(delta.subscribe());
        broker.subscribed(delta.subscribe(), granted);
        unsubscribe(session, delta.unsubscribe());
        Map<String, Qos> refused = new LinkedHashMap<>();
        granted.forEach((filter, qos) -> {
            if (qos == null) {
                refused.put(filter, delta.subscribe().get(filter));
            }
        });
        return refused;
    }

    /**
     * A listener was registered: subscribes what the broker now needs. A listener whose filter another subscribed
     * filter covers gets a subscription of its own for a moment, for its retained messages.
     *
     * @throws SubscriptionRefusedException when the broker refuses the filter (the listener is removed again)
     */
    void added(PahoSession session, ListenerSubscription subscription) {
        if (session == null || !session.isConnected()) {
            broker.stale(); // told at the next connection
            return;
        }
        String filter = subscription.filter();
        BrokerSubscriptions.Delta delta = broker.added(subscription.topicFilter(), registry.qosOf(filter));
        if (delta == null) {
            delta = broker.delta(registry.wanted()); // a wildcard may cover filters subscribed before
        }
        if (!delta.subscribe().isEmpty()) {
            ReplayGuard.Window window = guard.open(delta.subscribe().keySet(), Set.of(subscription));
            Map<String, Qos> granted;
            try {
                granted = session.subscribe(delta.subscribe());
            } finally {
                guard.settle(window);
            }
            broker.subscribed(delta.subscribe(), granted);
            String cover = broker.coverOf(filter);
            if (granted.containsKey(cover) && granted.get(cover) == null) {
                throw session.refused(cover);
            }
        }
        String cover = broker.coverOf(filter);
        if (!filter.equals(cover) && !delta.subscribe().containsKey(cover)) {
            fetchRetained(session, subscription, broker.desiredQos(cover));
        }
        unsubscribeQuietly(session, delta.unsubscribe());
    }

    /**
     * A covered filter's own subscription, for a moment: the broker replays its retained messages for it. At the
     * covering filter's QoS: a broker that sends one copy for overlapping subscriptions at the lowest of their QoS
     * (Mosquitto 2.0.11) then sends it at the QoS asked.
     */
    private void fetchRetained(PahoSession session, ListenerSubscription subscription, Qos coverQos) {
        String filter = subscription.filter();
        Qos qos = coverQos == null ? subscription.qos() : coverQos.max(subscription.qos());
        ReplayGuard.Window window = guard.openTemporary(filter, Set.of(subscription));
        try {
            Map<String, Qos> granted = session.subscribe(Map.of(filter, qos));
            if (granted.get(filter) != null) {
                broker.subscribedTemporarily(filter, qos);
                later.accept(ReplayGuard.SETTLE_MILLIS); // then dropped again
            }
        } finally {
            guard.settle(window);
        }
    }

    /**
     * A listener was removed: the broker subscriptions it needed alone go, those it covered come back first.
     *
     * @throws OperationTimeoutException when the broker did not answer the UNSUBSCRIBE (it is still due)
     */
    void removed(PahoSession session, ListenerSubscription subscription) {
        if (session == null || !session.isConnected()) {
            broker.stale();
            return;
        }
        if (registry.qosOf(subscription.filter()) != null) {
            return; // other listeners keep the filter: the broker has nothing to change
        }
        BrokerSubscriptions.Delta delta = broker.removed(subscription.topicFilter());
        resync(session, delta == null ? broker.delta(registry.wanted()) : delta, true);
    }

    /**
     * Sends the UNSUBSCRIBEs that failed or timed out before, now.
     *
     * @throws OperationTimeoutException when the broker did not answer again
     */
    void unsubscribeStale(PahoSession session) {
        if (session != null && session.isConnected()) {
            resync(session, broker.delta(registry.wanted()), true);
        }
    }

    /** Tells the broker what is still due: the UNSUBSCRIBEs that failed or timed out, temporary subscriptions. */
    void resync(PahoSession session) {
        if (session != null && session.isConnected()) {
            resync(session, broker.delta(registry.wanted()), false);
        }
    }

    private void resync(PahoSession session, BrokerSubscriptions.Delta delta, boolean strict) {
        if (!delta.subscribe().isEmpty()) {
            // filters a removed one covered: subscribed again on their own, their retained messages already seen
            ReplayGuard.Window window = guard.open(delta.subscribe().keySet(), Set.of());
            try {
                broker.subscribed(delta.subscribe(), session.subscribe(delta.subscribe()));
            } finally {
                guard.settle(window);
            }
        }
        if (strict) {
            unsubscribe(session, delta.unsubscribe());
        } else {
            unsubscribeQuietly(session, delta.unsubscribe());
        }
    }

    /** Whether UNSUBSCRIBEs are due: the broker may still send what no listener wants. */
    boolean hasStale() {
        return broker.hasStale();
    }

    private void unsubscribe(PahoSession session, List<String> filters) {
        if (!filters.isEmpty()) {
            session.unsubscribe(filters);
            broker.unsubscribed(filters);
        }
    }

    private void unsubscribeQuietly(PahoSession session, List<String> filters) {
        try {
            unsubscribe(session, filters);
        } catch (MqttKitException e) {
            later.accept(ReplayGuard.SETTLE_MILLIS); // still due: tried again
        }
    }
}
