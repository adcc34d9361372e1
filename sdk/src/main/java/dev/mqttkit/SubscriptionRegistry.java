package dev.mqttkit;

import dev.mqttkit.internal.TopicRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The listeners of one client, by topic filter, and what the broker must be told about them.
 *
 * <p>Changes are serialised by the owner's lock; {@link #match(String)} reads an immutable snapshot, so
 * messages can be dispatched while listeners come and go.
 */
final class SubscriptionRegistry {

    /** One filter's listeners, in registration order, and the QoS the broker subscription has. */
    private record Entry(String filter, Qos brokerQos, List<ListenerSubscription> listeners) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Set<String> pendingUnsubscribes = new LinkedHashSet<>();
    private volatile Entry[] snapshot = new Entry[0];

    /**
     * Adds a listener.
     *
     * @return the QoS to subscribe the filter with at the broker, or {@code null} when the broker subscription
     *     already covers this listener
     */
    synchronized Qos add(ListenerSubscription subscription) {
        String filter = subscription.filter();
        pendingUnsubscribes.remove(filter);
        Entry entry = entries.get(filter);
        List<ListenerSubscription> listeners = new ArrayList<>(entry == null ? List.of() : entry.listeners());
        listeners.add(subscription);
        Qos wanted = entry == null ? subscription.qos() : entry.brokerQos().max(subscription.qos());
        entries.put(filter, new Entry(filter, wanted, List.copyOf(listeners)));
        publish();
        return entry == null || wanted != entry.brokerQos() ? wanted : null;
    }

    /**
     * Removes a listener.
     *
     * @return {@code true} when it was the filter's last listener, so the broker subscription should go
     */
    synchronized boolean remove(ListenerSubscription subscription) {
        Entry entry = entries.get(subscription.filter());
        if (entry == null || !entry.listeners().contains(subscription)) {
            return false;
        }
        List<ListenerSubscription> listeners = new ArrayList<>(entry.listeners());
        listeners.remove(subscription);
        if (listeners.isEmpty()) {
            entries.remove(subscription.filter());
        } else {
            entries.put(entry.filter(), new Entry(entry.filter(), entry.brokerQos(), List.copyOf(listeners)));
        }
        publish();
        return listeners.isEmpty();
    }

    /** Rolls back a broker subscription that failed: the filter keeps only the listeners it had. */
    synchronized void rollback(ListenerSubscription subscription, Qos previousQos) {
        remove(subscription);
        Entry entry = entries.get(subscription.filter());
        if (entry != null && previousQos != null) {
            entries.put(entry.filter(), new Entry(entry.filter(), previousQos, entry.listeners()));
            publish();
        }
    }

    synchronized Qos brokerQos(String filter) {
        Entry entry = entries.get(filter);
        return entry == null ? null : entry.brokerQos();
    }

    /** Remembers a filter to unsubscribe at the next connection (a durable session keeps it meanwhile). */
    synchronized void unsubscribeLater(String filter) {
        pendingUnsubscribes.add(filter);
    }

    synchronized List<String> takePendingUnsubscribes() {
        List<String> filters = List.copyOf(pendingUnsubscribes);
        pendingUnsubscribes.clear();
        return filters;
    }

    /** Every filter with the QoS the broker should have it at, in registration order. */
    synchronized Map<String, Qos> brokerFilters() {
        Map<String, Qos> filters = new LinkedHashMap<>();
        entries.values().forEach(entry -> filters.put(entry.filter(), entry.brokerQos()));
        return filters;
    }

    /** The listeners whose filter matches {@code topic}, each once, in registration order. */
    List<ListenerSubscription> match(String topic) {
        Entry[] current = snapshot;
        List<ListenerSubscription> matched = null;
        for (Entry entry : current) {
            if (TopicRules.matches(entry.filter(), topic)) {
                if (matched == null) {
                    matched = new ArrayList<>(entry.listeners());
                } else {
                    matched.addAll(entry.listeners());
                }
            }
        }
        return matched == null ? List.of() : matched;
    }

    private void publish() {
        snapshot = entries.values().toArray(new Entry[0]);
    }
}
