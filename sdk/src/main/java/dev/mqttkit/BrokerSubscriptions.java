package dev.mqttkit;

import dev.mqttkit.topic.TopicFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the broker is told about a client's filters: the smallest set that covers them, and what it has.
 *
 * <p>A filter that another subscribed filter covers at an equal or higher QoS is not subscribed at the broker:
 * the covering filter receives its messages, the client dispatches them locally, and each listener gets each
 * message once, at the highest QoS asked, on every broker. MQTT 3.1.1 lets a broker send one copy per matching
 * subscription (NATS and Artemis do) or one copy at the highest QoS (Mosquitto should, but sends the lowest:
 * [MQTT-3.3.5-1]); with nested filters subscribed once, neither shows. A covering filter's QoS is raised to the
 * highest of the filters it covers. Filters that overlap without one covering the other (
 * {@code a/+/c} and {@code a/b/+}) are both subscribed: a broker that sends copies sends two. Shared subscriptions
 * are always subscribed as they are.
 *
 * <p>It keeps what the broker has been told and acknowledged ({@link #delta} diffs against it): a SUBSCRIBE or
 * UNSUBSCRIBE that failed or timed out is simply still due, and goes with the next change or connection.
 * Thread-safe.
 */
final class BrokerSubscriptions {

    /** What to tell the broker: filters to subscribe (with their QoS), then filters to unsubscribe. */
    record Delta(Map<String, Qos> subscribe, List<String> unsubscribe) {

        boolean isEmpty() {
            return subscribe.isEmpty() && unsubscribe.isEmpty();
        }
    }

    /** Filters the broker acknowledged, with the QoS asked. */
    private final Map<String, Qos> atBroker = new LinkedHashMap<>();
    private final Map<String, Qos> granted = new HashMap<>();
    private final Set<String> refused = new HashSet<>();
    /** Filters the broker has that no listener wants: temporary ones and UNSUBSCRIBEs still due. */
    private final Set<String> undesired = new LinkedHashSet<>();
    /** Of each listener filter: the broker filter that receives its messages (itself when not covered). */
    private Map<String, String> coverOf = new HashMap<>();
    /** Each broker filter with the highest QoS of the filters it receives for. */
    private Map<String, Qos> desired = new LinkedHashMap<>();
    /** Of each listener filter: its age (older filters win among filters that cover each other). */
    private Map<String, Long> age = new HashMap<>();
    private long nextAge;
    /** The wanted wildcard filters the broker did not refuse: those that may cover others. */
    private CoverIndex index = new CoverIndex();
    /** Whether the fields above describe the wanted filters, so that a change may be applied alone. */
    private boolean current;

    /**
     * Computes what the broker must be told for the filters wanted now.
     *
     * @param wanted each listener filter with the highest QoS its listeners asked for, oldest first
     * @return the subscriptions to make and to drop, against what the broker has
     */
    synchronized Delta delta(Map<TopicFilter, Qos> wanted) {
        index = new CoverIndex();
        age = new HashMap<>();
        nextAge = 0;
        for (TopicFilter filter : wanted.keySet()) {
            age.put(filter.toString(), nextAge++);
            if (filter.hasWildcard() && !filter.isShared() && !refused.contains(filter.toString())) {
                index.add(filter);
            }
        }
        coverOf = new HashMap<>();
        desired = new LinkedHashMap<>();
        wanted.forEach((filter, qos) -> {
            String top = topCover(filter).toString();
            coverOf.put(filter.toString(), top);
            desired.merge(top, qos, Qos::max);
        });
        current = true;
        Map<String, Qos> subscribe = new LinkedHashMap<>();
        desired.forEach((filter, qos) -> {
            if (due(filter, qos)) {
                subscribe.put(filter, qos);
            }
        });
        undesired.clear();
        for (String filter : atBroker.keySet()) {
            if (!desired.containsKey(filter)) {
                undesired.add(filter);
            }
        }
        return new Delta(subscribe, new ArrayList<>(undesired));
    }

    /**
     * What the broker must be told for one more listener filter without a wildcard (or shared), which covers no
     * other: what {@link #delta} would say, without looking at every filter.
     *
     * @param filter the listener filter added
     * @param qos the highest QoS its listeners ask for now
     * @return the subscription to make, with the filters the broker has that no listener wants (temporary
     *     subscriptions, UNSUBSCRIBEs still due), or {@code null} when only {@link #delta} can tell
     */
    synchronized Delta added(TopicFilter filter, Qos qos) {
        if (!current || filter.hasWildcard() && !filter.isShared()) {
            return null;
        }
        String name = filter.toString();
        String top = coverOf.get(name);
        if (top == null) {
            age.put(name, nextAge++);
            top = topCover(filter).toString();
            coverOf.put(name, top);
        }
        Qos merged = desired.merge(top, qos, Qos::max);
        undesired.remove(top); // a temporary subscription that is now wanted for good
        return new Delta(due(top, merged) ? Map.of(top, merged) : Map.of(), new ArrayList<>(undesired));
    }

    /**
     * What the broker must be told when the last listener of a filter without a wildcard (or shared) is gone:
     * what {@link #delta} would say, without looking at every filter. The QoS of a filter that covered it stays
     * as it was (MQTT has no way to lower it but to subscribe again).
     *
     * @param filter the listener filter no listener wants any more
     * @return the subscriptions to drop (with the others no listener wants), or {@code null} when only
     *     {@link #delta} can tell
     */
    synchronized Delta removed(TopicFilter filter) {
        if (!current || filter.hasWildcard() && !filter.isShared()) {
            return null;
        }
        String name = filter.toString();
        String top = coverOf.remove(name);
        age.remove(name);
        if (top != null && top.equals(name)) {
            desired.remove(name);
            if (atBroker.containsKey(name)) {
                undesired.add(name);
            }
        }
        return new Delta(Map.of(), new ArrayList<>(undesired));
    }

    /** A listener filter changed while the broker could not be told: the next change looks at every filter. */
    synchronized void stale() {
        current = false;
    }

    private boolean due(String filter, Qos qos) {
        Qos has = atBroker.get(filter);
        return !refused.contains(filter) && (has == null || has.value() < qos.value());
    }

    /**
     * The filter that receives a filter's messages at the broker: the oldest filter that covers it and is covered
     * by none (filters that cover each other, like {@code #} and {@code +/#}, are one: the oldest wins). A filter
     * the broker refused covers nothing: the filters below it are subscribed on their own. Shared subscriptions
     * are a delivery mode of their own: they neither cover nor are covered.
     */
    private TopicFilter topCover(TopicFilter filter) {
        if (filter.isShared()) {
            return filter;
        }
        TopicFilter top = filter;
        while (true) {
            TopicFilter from = top;
            long fromAge = ageOf(from);
            TopicFilter[] best = {null};
            long[] bestAge = {Long.MAX_VALUE};
            index.candidates(from, other -> {
                long otherAge = ageOf(other);
                if (other != from && !other.equals(from) && otherAge < bestAge[0] && other.covers(from)
                        && (!from.covers(other) || otherAge < fromAge)) {
                    best[0] = other;
                    bestAge[0] = otherAge;
                }
            });
            if (best[0] == null) {
                return top;
            }
            top = best[0];
        }
    }

    private long ageOf(TopicFilter filter) {
        return age.getOrDefault(filter.toString(), Long.MAX_VALUE);
    }

    /** The broker answered a SUBSCRIBE: {@code null} grants are refusals. */
    synchronized void subscribed(Map<String, Qos> asked, Map<String, Qos> answers) {
        answers.forEach((filter, answer) -> {
            if (answer == null) {
                current = false; // it covers nothing now: the filters it covered are subscribed on their own
                refused.add(filter);
                granted.remove(filter);
                atBroker.remove(filter);
                undesired.remove(filter);
            } else {
                current &= !refused.remove(filter);
                granted.put(filter, answer);
                atBroker.put(filter, asked.getOrDefault(filter, answer));
            }
        });
    }

    /** The broker acknowledged an UNSUBSCRIBE. */
    synchronized void unsubscribed(List<String> filters) {
        for (String filter : filters) {
            atBroker.remove(filter);
            granted.remove(filter);
            undesired.remove(filter);
        }
    }

    /**
     * A filter the broker has for the client while no listener wants it, though no UNSUBSCRIBE is due: a
     * temporary subscription (to fetch a covered filter's retained messages), dropped by the next delta.
     */
    synchronized void subscribedTemporarily(String filter, Qos qos) {
        atBroker.put(filter, qos);
        if (!desired.containsKey(filter)) {
            undesired.add(filter);
        }
    }

    /** The broker started a new session: it has nothing of this client, and refusals are asked again. */
    synchronized void sessionLost() {
        atBroker.clear();
        undesired.clear();
        current &= refused.isEmpty();
        refused.clear();
    }

    /** Whether the broker may still have filters this client no longer wants (UNSUBSCRIBEs due). */
    synchronized boolean hasStale() {
        return !undesired.isEmpty();
    }

    /** The QoS the broker granted for a listener filter: that of the broker filter receiving its messages. */
    synchronized Qos grantedFor(String filter) {
        String broker = coverOf.get(filter);
        return broker == null ? null : granted.get(broker);
    }

    /** Whether the broker refused the subscription that would receive a listener filter's messages. */
    synchronized boolean refusedFor(String filter) {
        String broker = coverOf.get(filter);
        return broker != null && refused.contains(broker);
    }

    /** The QoS a broker filter is (to be) subscribed with, or {@code null}. */
    synchronized Qos desiredQos(String brokerFilter) {
        return desired.get(brokerFilter);
    }

    /** The broker filter that receives a listener filter's messages, or {@code null} when it has no listener. */
    synchronized String coverOf(String filter) {
        return coverOf.get(filter);
    }
}
