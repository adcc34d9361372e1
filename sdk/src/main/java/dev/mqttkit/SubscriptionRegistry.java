package dev.mqttkit;

import dev.mqttkit.internal.dispatch.SubscriptionTree;
import dev.mqttkit.topic.TopicFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listeners of one client, by topic filter, and the QoS each filter's listeners asked for; what the broker is
 * told about them is {@link BrokerSubscriptions}' part.
 *
 * <p>Changes are serialised by this object's monitor; {@link #match(String)} takes no lock and runs while
 * listeners come and go. Lookups go through a {@link SubscriptionTree}, so their cost grows with the topic's
 * depth, not with the number of filters.
 */
final class SubscriptionRegistry {

    private static final ListenerSubscription[] NO_LISTENERS = new ListenerSubscription[0];
    private static final Comparator<Entry> BY_AGE = Comparator.comparingLong(entry -> entry.sequence);

    /** One filter: its listeners in registration order and the highest QoS they asked for. */
    private static final class Entry {
        final TopicFilter filter;
        final String matchFilter;
        final long sequence;
        volatile Qos qos;
        volatile ListenerSubscription[] listeners = NO_LISTENERS;

        Entry(TopicFilter filter, long sequence, Qos qos) {
            this.filter = filter;
            this.matchFilter = filter.matchFilter();
            this.sequence = sequence;
            this.qos = qos;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final SubscriptionTree<Entry> tree = new SubscriptionTree<>();
    private long sequence;

    /** Adds a listener. */
    synchronized void add(ListenerSubscription subscription) {
        Entry entry = entries.get(subscription.filter());
        if (entry == null) {
            entry = new Entry(subscription.topicFilter(), sequence++, subscription.qos());
            entry.listeners = new ListenerSubscription[] {subscription};
            entries.put(subscription.filter(), entry);
            tree.add(entry.matchFilter, entry);
            return;
        }
        ListenerSubscription[] old = entry.listeners;
        ListenerSubscription[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = subscription;
        entry.listeners = grown;
        entry.qos = entry.qos.max(subscription.qos());
    }

    /**
     * Removes a listener.
     *
     * @return {@code false} when it was not registered (closed before)
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
            entries.remove(subscription.filter());
            tree.remove(entry.matchFilter, entry);
            entry.listeners = NO_LISTENERS;
            return true;
        }
        entry.listeners = listeners.toArray(NO_LISTENERS);
        entry.qos = listeners.stream().map(ListenerSubscription::qos).reduce(Qos::max).orElseThrow();
        return true;
    }

    synchronized List<ListenerSubscription> listenersOf(String filter) {
        Entry entry = entries.get(filter);
        return entry == null ? List.of() : List.of(entry.listeners);
    }

    /** The highest QoS the listeners of a filter ask for, or {@code null} when it has none. */
    synchronized Qos qosOf(String filter) {
        Entry entry = entries.get(filter);
        return entry == null ? null : entry.qos;
    }

    /** Every filter with the highest QoS its listeners asked for, oldest first. */
    synchronized Map<TopicFilter, Qos> wanted() {
        Map<TopicFilter, Qos> wanted = new LinkedHashMap<>();
        entries.values().forEach(entry -> wanted.put(entry.filter, entry.qos));
        return wanted;
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
