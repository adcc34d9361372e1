package dev.mqttkit;

import dev.mqttkit.internal.dispatch.SubscriptionTree;
import dev.mqttkit.topic.TopicFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The listeners of one client, by topic filter, and what the broker must be told about them.
 *
 * <p>Changes are serialised by this object's monitor; {@link #match(String)} takes no lock and runs while
 * listeners come and go. Lookups go through a {@link SubscriptionTree}, so their cost grows with the topic's
 * depth, not with the number of filters.
 */
final class SubscriptionRegistry {

    private static final ListenerSubscription[] NO_LISTENERS = new ListenerSubscription[0];
    private static final Comparator<Entry> BY_AGE = Comparator.comparingLong(entry -> entry.sequence);

    /** One broker subscription: its filter, QoS and listeners in registration order. */
    private static final class Entry {
        final String filter;
        final String matchFilter;
        final long sequence;
        volatile Qos brokerQos;
        volatile Qos grantedQos;
        volatile boolean refused;
        volatile ListenerSubscription[] listeners = NO_LISTENERS;

        Entry(TopicFilter filter, long sequence, Qos brokerQos) {
            this.filter = filter.toString();
            this.matchFilter = filter.matchFilter();
            this.sequence = sequence;
            this.brokerQos = brokerQos;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final SubscriptionTree<Entry> tree = new SubscriptionTree<>();
    private final Set<String> pendingUnsubscribes = new LinkedHashSet<>();
    private final Set<String> unsynced = new LinkedHashSet<>();
    private long sequence;

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
        if (entry == null) {
            entry = new Entry(subscription.topicFilter(), sequence++, subscription.qos());
            entry.listeners = new ListenerSubscription[] {subscription};
            entries.put(filter, entry);
            tree.add(entry.matchFilter, entry);
            return subscription.qos();
        }
        ListenerSubscription[] old = entry.listeners;
        ListenerSubscription[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = subscription;
        entry.listeners = grown;
        Qos wanted = entry.brokerQos.max(subscription.qos());
        if (wanted != entry.brokerQos) {
            entry.brokerQos = wanted;
            return wanted;
        }
        return null;
    }

    /**
     * Removes a listener.
     *
     * @return {@code true} when it was the filter's last listener, so the broker subscription should go
     */
    synchronized boolean remove(ListenerSubscription subscription) {
        Entry entry = entries.get(subscription.filter());
        if (entry == null) {
            return false;
        }
        List<ListenerSubscription> listeners = new ArrayList<>(Arrays.asList(entry.listeners));
        if (!listeners.remove(subscription)) {
            return false;
        }
        if (listeners.isEmpty()) {
            entries.remove(entry.filter);
            tree.remove(entry.matchFilter, entry);
            entry.listeners = NO_LISTENERS;
            return true;
        }
        entry.listeners = listeners.toArray(NO_LISTENERS);
        return false;
    }

    /** Rolls back a broker subscription that failed: the filter keeps only the listeners it had. */
    synchronized void rollback(ListenerSubscription subscription, Qos previousQos) {
        remove(subscription);
        Entry entry = entries.get(subscription.filter());
        if (entry != null && previousQos != null) {
            entry.brokerQos = previousQos;
        }
    }

    synchronized List<ListenerSubscription> listenersOf(String filter) {
        Entry entry = entries.get(filter);
        return entry == null ? List.of() : List.of(entry.listeners);
    }

    synchronized Qos brokerQos(String filter) {
        Entry entry = entries.get(filter);
        return entry == null ? null : entry.brokerQos;
    }

    /** Remembers a filter to unsubscribe at the next connection (a durable session keeps it meanwhile). */
    synchronized void unsubscribeLater(String filter) {
        pendingUnsubscribes.add(filter);
    }

    /** The filters to unsubscribe at the next connection; they stay pending until {@link #unsubscribed}. */
    synchronized List<String> pendingUnsubscribes() {
        return List.copyOf(pendingUnsubscribes);
    }

    synchronized boolean isUnsubscribePending(String filter) {
        return pendingUnsubscribes.contains(filter);
    }

    /** The broker acknowledged the UNSUBSCRIBE of these filters. */
    synchronized void unsubscribed(String... filters) {
        for (String filter : filters) {
            pendingUnsubscribes.remove(filter);
        }
    }

    synchronized void unsubscribed(List<String> filters) {
        filters.forEach(pendingUnsubscribes::remove);
    }

    /** Remembers that the broker has not been told about a filter (or its higher QoS) yet. */
    /** Records what the broker granted in a SUBACK ({@code null}: refused, SUBACK 0x80). */
    synchronized void granted(Map<String, Qos> granted) {
        granted.forEach((filter, qos) -> {
            Entry entry = entries.get(filter);
            if (entry != null) {
                entry.grantedQos = qos;
                entry.refused = qos == null;
            }
        });
    }

    /** Whether the broker refused the filter in its last SUBACK for it. */
    boolean refused(String filter) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(filter);
        }
        return entry != null && entry.refused;
    }

    /** What the broker last granted for a filter, or {@code null}. */
    Qos grantedQos(String filter) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(filter);
        }
        return entry == null ? null : entry.grantedQos;
    }

    synchronized void markUnsynced(String filter) {
        unsynced.add(filter);
    }

    /** After a failed resubscription: the broker may lack any of them. */
    synchronized void markAllUnsynced() {
        unsynced.addAll(entries.keySet());
    }

    /**
     * The filters to subscribe on a (re)connection: all of them, or, when the broker kept the session, only
     * those it has not been told about. Marks them all as told.
     */
    synchronized Map<String, Qos> takeFiltersToSubscribe(boolean sessionPresent) {
        Map<String, Qos> filters = brokerFilters();
        if (sessionPresent) {
            filters.keySet().retainAll(unsynced);
        }
        unsynced.clear();
        return filters;
    }

    /** Every filter with the QoS the broker should have it at, in registration order. */
    synchronized Map<String, Qos> brokerFilters() {
        Map<String, Qos> filters = new LinkedHashMap<>();
        entries.values().forEach(entry -> filters.put(entry.filter, entry.brokerQos));
        return filters;
    }

    /** The listeners whose filter matches {@code topic}: filters in registration order, then their listeners. */
    List<ListenerSubscription> match(String topic) {
        List<Entry> matched = new ArrayList<>(4);
        tree.match(topic, matched);
        if (matched.isEmpty()) {
            return List.of();
        }
        if (matched.size() == 1) {
            return Arrays.asList(matched.get(0).listeners);
        }
        matched.sort(BY_AGE);
        List<ListenerSubscription> listeners = new ArrayList<>(matched.size() * 2);
        for (Entry entry : matched) {
            listeners.addAll(Arrays.asList(entry.listeners));
        }
        return listeners;
    }
}
