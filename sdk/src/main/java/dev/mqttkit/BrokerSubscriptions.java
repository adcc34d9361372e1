package dev.mqttkit;

import dev.mqttkit.topic.TopicFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
    /** Of each listener filter: the broker filter that receives its messages (itself when not covered). */
    private Map<String, String> coverOf = Map.of();
    private Map<String, Qos> desired = Map.of();

    /**
     * Computes what the broker must be told for the filters wanted now.
     *
     * @param wanted each listener filter with the highest QoS its listeners asked for, oldest first
     * @return the subscriptions to make and to drop, against what the broker has
     */
    synchronized Delta delta(Map<TopicFilter, Qos> wanted) {
        Map<String, String> cover = new HashMap<>();
        Map<String, Qos> set = new LinkedHashMap<>();
        List<TopicFilter> filters = new ArrayList<>(wanted.keySet());
        for (TopicFilter filter : filters) {
            TopicFilter top = topCover(filter, filters, refused);
            cover.put(filter.toString(), top.toString());
            Qos qos = wanted.get(filter);
            set.merge(top.toString(), qos, Qos::max);
        }
        coverOf = cover;
        desired = set;
        Map<String, Qos> subscribe = new LinkedHashMap<>();
        set.forEach((filter, qos) -> {
            Qos has = atBroker.get(filter);
            if (!refused.contains(filter) && (has == null || has.value() < qos.value())) {
                subscribe.put(filter, qos);
            }
        });
        List<String> unsubscribe = new ArrayList<>();
        for (String filter : atBroker.keySet()) {
            if (!set.containsKey(filter)) {
                unsubscribe.add(filter);
            }
        }
        return new Delta(subscribe, unsubscribe);
    }

    /**
     * The filter that receives a filter's messages at the broker: the oldest filter that covers it and is covered
     * by none (filters that cover each other, like {@code #} and {@code +/#}, are one: the oldest wins). A filter
     * the broker refused covers nothing: the filters below it are subscribed on their own.
     */
    private static TopicFilter topCover(TopicFilter filter, List<TopicFilter> filters, Set<String> refused) {
        TopicFilter top = filter;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (TopicFilter other : filters) {
                if (other != top && coverable(top, other) && !refused.contains(other.toString()) && other.covers(top)
                        && (!top.covers(other) || filters.indexOf(other) < filters.indexOf(top))) {
                    top = other;
                    changed = true;
                    break;
                }
            }
        }
        return top;
    }

    /** Shared subscriptions are a delivery mode of their own: they neither cover nor are covered. */
    private static boolean coverable(TopicFilter filter, TopicFilter other) {
        return !filter.isShared() && !other.isShared();
    }

    /** The broker answered a SUBSCRIBE: {@code null} grants are refusals. */
    synchronized void subscribed(Map<String, Qos> asked, Map<String, Qos> answers) {
        answers.forEach((filter, answer) -> {
            if (answer == null) {
                refused.add(filter);
                granted.remove(filter);
                atBroker.remove(filter);
            } else {
                refused.remove(filter);
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
        }
    }

    /**
     * A filter the broker has for the client while no listener wants it, though no UNSUBSCRIBE is due: a
     * temporary subscription (to fetch a covered filter's retained messages), dropped by the next delta.
     */
    synchronized void subscribedTemporarily(String filter, Qos qos) {
        atBroker.put(filter, qos);
    }

    /** The broker started a new session: it has nothing of this client, and refusals are asked again. */
    synchronized void sessionLost() {
        atBroker.clear();
        refused.clear();
    }

    /** Whether the broker may still have filters this client no longer wants (UNSUBSCRIBEs due). */
    synchronized boolean hasStale() {
        return atBroker.keySet().stream().anyMatch(filter -> !desired.containsKey(filter));
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
