package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.topic.TopicFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The smallest set of broker subscriptions that covers the listeners' filters, and what the broker has. */
class BrokerSubscriptionsTest {

    private final BrokerSubscriptions broker = new BrokerSubscriptions();

    private static Map<TopicFilter, Qos> wanted(Object... filterAndQos) {
        Map<TopicFilter, Qos> wanted = new LinkedHashMap<>();
        for (int i = 0; i < filterAndQos.length; i += 2) {
            wanted.put(TopicFilter.of((String) filterAndQos[i]), (Qos) filterAndQos[i + 1]);
        }
        return wanted;
    }

    private BrokerSubscriptions.Delta apply(Map<TopicFilter, Qos> wanted) {
        BrokerSubscriptions.Delta delta = broker.delta(wanted);
        broker.subscribed(delta.subscribe(), delta.subscribe());
        broker.unsubscribed(delta.unsubscribe());
        return delta;
    }

    @Test
    void delta_nestedFilters_onlyTheCoveringOneAtTheHighestQos() {
        BrokerSubscriptions.Delta delta = broker.delta(wanted("a/b", Qos.AT_LEAST_ONCE, "a/+", Qos.AT_LEAST_ONCE,
                "a/#", Qos.AT_MOST_ONCE, "c", Qos.EXACTLY_ONCE));

        assertThat(delta.subscribe()).isEqualTo(Map.of("a/#", Qos.AT_LEAST_ONCE, "c", Qos.EXACTLY_ONCE));
        assertThat(delta.unsubscribe()).isEmpty();
        assertThat(broker.coverOf("a/b")).isEqualTo("a/#");
        assertThat(broker.coverOf("a/+")).isEqualTo("a/#");
        assertThat(broker.coverOf("c")).isEqualTo("c");
    }

    @Test
    void delta_pahoInteropOverlappingSubscriptions_oneAtQos2() {
        // paho.mqtt.testing test_overlapping_subscriptions: TopicA/# at QoS 2 and TopicA/+ at QoS 1
        assertThat(broker.delta(wanted("TopicA/#", Qos.EXACTLY_ONCE, "TopicA/+", Qos.AT_LEAST_ONCE)).subscribe())
                .isEqualTo(Map.of("TopicA/#", Qos.EXACTLY_ONCE));
    }

    @Test
    void delta_coverAddedLater_subscribesItThenDropsWhatItCovers() {
        apply(wanted("ret/+", Qos.AT_LEAST_ONCE));

        BrokerSubscriptions.Delta delta = broker.delta(wanted("ret/+", Qos.AT_LEAST_ONCE, "ret/#", Qos.AT_MOST_ONCE));

        assertThat(delta.subscribe()).isEqualTo(Map.of("ret/#", Qos.AT_LEAST_ONCE));
        assertThat(delta.unsubscribe()).containsExactly("ret/+");
    }

    @Test
    void delta_coverRemoved_whatItCoveredComesBack() {
        apply(wanted("a/#", Qos.AT_LEAST_ONCE, "a/b", Qos.EXACTLY_ONCE));

        BrokerSubscriptions.Delta delta = broker.delta(wanted("a/b", Qos.EXACTLY_ONCE));

        assertThat(delta.subscribe()).isEqualTo(Map.of("a/b", Qos.EXACTLY_ONCE));
        assertThat(delta.unsubscribe()).containsExactly("a/#");
    }

    @Test
    void delta_overlappingWithoutCovering_bothSubscribed() {
        assertThat(broker.delta(wanted("a/+/c", Qos.AT_LEAST_ONCE, "a/b/+", Qos.AT_LEAST_ONCE)).subscribe())
                .containsOnlyKeys("a/+/c", "a/b/+");
    }

    @Test
    void delta_dollarTopicsAndSharedSubscriptions_neverCovered() {
        Map<String, Qos> subscribe = broker.delta(wanted("#", Qos.AT_LEAST_ONCE, "$SYS/#", Qos.AT_MOST_ONCE,
                "$share/g/jobs/#", Qos.AT_LEAST_ONCE, "jobs/#", Qos.AT_LEAST_ONCE)).subscribe();

        assertThat(subscribe).containsOnlyKeys("#", "$SYS/#", "$share/g/jobs/#");
    }

    @Test
    void delta_filtersThatCoverEachOther_theOldestIsSubscribed() {
        assertThat(broker.delta(wanted("+/#", Qos.AT_MOST_ONCE, "#", Qos.AT_LEAST_ONCE)).subscribe())
                .isEqualTo(Map.of("+/#", Qos.AT_LEAST_ONCE));
    }

    @Test
    void delta_afterAcknowledgement_nothingMoreUntilAChange() {
        apply(wanted("a/#", Qos.AT_LEAST_ONCE));

        assertThat(broker.delta(wanted("a/#", Qos.AT_LEAST_ONCE)).isEmpty()).isTrue();
        assertThat(broker.delta(wanted("a/#", Qos.EXACTLY_ONCE)).subscribe())
                .as("a higher QoS is a new SUBSCRIBE").isEqualTo(Map.of("a/#", Qos.EXACTLY_ONCE));
    }

    @Test
    void delta_unsubscribeNotAcknowledged_staysDueUntilItIs() {
        apply(wanted("old/#", Qos.AT_LEAST_ONCE));

        assertThat(broker.delta(wanted()).unsubscribe()).containsExactly("old/#");
        assertThat(broker.hasStale()).isTrue();
        assertThat(broker.delta(wanted()).unsubscribe()).as("no UNSUBACK yet").containsExactly("old/#");
        broker.unsubscribed(List.of("old/#"));
        assertThat(broker.delta(wanted()).isEmpty()).isTrue();
        assertThat(broker.hasStale()).isFalse();
    }

    @Test
    void sessionLost_everythingSubscribedAgain() {
        apply(wanted("a/#", Qos.AT_LEAST_ONCE, "b", Qos.AT_MOST_ONCE));

        broker.sessionLost();

        assertThat(broker.delta(wanted("a/#", Qos.AT_LEAST_ONCE, "b", Qos.AT_MOST_ONCE)).subscribe())
                .containsOnlyKeys("a/#", "b");
    }

    @Test
    void refusedCover_whatItCoversIsSubscribedOnItsOwn() {
        Map<TopicFilter, Qos> wanted = wanted("secret/#", Qos.AT_LEAST_ONCE, "secret/public", Qos.AT_LEAST_ONCE);
        BrokerSubscriptions.Delta first = broker.delta(wanted);
        Map<String, Qos> refused = new LinkedHashMap<>();
        refused.put("secret/#", null);
        broker.subscribed(first.subscribe(), refused);

        BrokerSubscriptions.Delta next = broker.delta(wanted);

        assertThat(broker.refusedFor("secret/#")).isTrue();
        assertThat(next.subscribe()).as("the refused filter is not asked again").isEqualTo(
                Map.of("secret/public", Qos.AT_LEAST_ONCE));
    }

    /** The covering filter as the first version computed it, by looking at every filter: the reference. */
    private static String referenceCover(TopicFilter filter, List<TopicFilter> filters) {
        if (filter.isShared()) {
            return filter.toString();
        }
        TopicFilter top = filter;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (TopicFilter other : filters) {
                if (other != top && !other.isShared() && other.covers(top)
                        && (!top.covers(other) || filters.indexOf(other) < filters.indexOf(top))) {
                    top = other;
                    changed = true;
                    break;
                }
            }
        }
        return top.toString();
    }

    private static final String[] LEVELS = {"a", "b", "+", "#", "", "$SYS"};

    private static String randomFilter(Random random) {
        int depth = 1 + random.nextInt(4);
        StringBuilder filter = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            String level = LEVELS[random.nextInt(LEVELS.length)];
            if (level.equals("$SYS") && i > 0 || level.equals("#") && i < depth - 1) {
                level = "a";
            }
            filter.append(i == 0 ? "" : "/").append(level);
        }
        String name = filter.toString().isEmpty() ? "a" : filter.toString();
        return random.nextInt(20) == 0 ? "$share/g/" + name : name;
    }

    @RepeatedTest(200)
    void delta_randomFilters_sameCoversAsLookingAtEveryFilter() {
        Random random = new Random(System.nanoTime());
        Map<TopicFilter, Qos> wanted = new LinkedHashMap<>();
        for (int i = 0; i < 1 + random.nextInt(12); i++) {
            wanted.put(TopicFilter.of(randomFilter(random)), Qos.values()[random.nextInt(3)]);
        }
        List<TopicFilter> filters = new ArrayList<>(wanted.keySet());

        broker.delta(wanted);

        for (TopicFilter filter : filters) {
            assertThat(broker.coverOf(filter.toString())).as("cover of %s among %s", filter, filters)
                    .isEqualTo(referenceCover(filter, filters));
        }
    }

    @RepeatedTest(100)
    void addedAndRemovedOneByOne_sameBrokerSubscriptionsAsAWholeDelta() {
        Random random = new Random(System.nanoTime());
        Map<TopicFilter, Qos> wanted = new LinkedHashMap<>();
        apply(wanted);
        for (int step = 0; step < 25; step++) {
            TopicFilter filter = TopicFilter.of(random.nextBoolean() ? "t/" + random.nextInt(6)
                    : randomFilter(random));
            BrokerSubscriptions.Delta delta;
            if (wanted.containsKey(filter) && random.nextBoolean()) {
                wanted.remove(filter);
                delta = broker.removed(filter);
            } else {
                wanted.merge(filter, Qos.values()[random.nextInt(3)], Qos::max);
                delta = broker.added(filter, wanted.get(filter));
            }
            if (delta == null) {
                delta = broker.delta(wanted);
            }
            broker.subscribed(delta.subscribe(), delta.subscribe());
            broker.unsubscribed(delta.unsubscribe());

            BrokerSubscriptions whole = new BrokerSubscriptions();
            Map<String, Qos> expected = new TreeMap<>(whole.delta(wanted).subscribe());
            for (TopicFilter listener : wanted.keySet()) {
                assertThat(broker.coverOf(listener.toString())).as("cover of %s in %s", listener, wanted)
                        .isEqualTo(whole.coverOf(listener.toString()));
            }
            // a removed filter's QoS may stay on its cover (MQTT cannot lower it without subscribing again)
            expected.forEach((name, qos) -> assertThat(broker.desiredQos(name).value())
                    .as("QoS of %s in %s", name, wanted).isGreaterThanOrEqualTo(qos.value()));
            if (step % 5 == 4) { // a whole delta now and then: the changes one by one left nothing to do
                BrokerSubscriptions.Delta left = broker.delta(wanted);
                assertThat(left.subscribe()).as("nothing left to subscribe after %s", wanted).isEmpty();
                assertThat(left.unsubscribe()).as("nothing left to unsubscribe after %s", wanted).isEmpty();
            }
        }
    }

    @Test
    void added_plainFiltersUnderACover_nothingForTheBroker() {
        apply(wanted("sensors/#", Qos.AT_LEAST_ONCE));

        BrokerSubscriptions.Delta covered = broker.added(TopicFilter.of("sensors/t1"), Qos.AT_MOST_ONCE);
        BrokerSubscriptions.Delta raised = broker.added(TopicFilter.of("sensors/t2"), Qos.EXACTLY_ONCE);
        BrokerSubscriptions.Delta alone = broker.added(TopicFilter.of("other"), Qos.AT_MOST_ONCE);

        assertThat(covered.isEmpty()).isTrue();
        assertThat(raised.subscribe()).as("the cover, at the higher QoS").isEqualTo(
                Map.of("sensors/#", Qos.EXACTLY_ONCE));
        assertThat(alone.subscribe()).isEqualTo(Map.of("other", Qos.AT_MOST_ONCE));
        assertThat(broker.added(TopicFilter.of("more/+"), Qos.AT_MOST_ONCE)).as("a wildcard: a whole delta")
                .isNull();
    }

    @Test
    void stale_aChangeTheBrokerWasNotToldOf_nextChangeIsAWholeDelta() {
        apply(wanted("a", Qos.AT_MOST_ONCE));

        broker.stale();

        assertThat(broker.added(TopicFilter.of("b"), Qos.AT_MOST_ONCE)).isNull();
        assertThat(broker.removed(TopicFilter.of("a"))).isNull();
    }

    @Test
    void added_aTemporarySubscriptionLingers_theNextChangeDropsIt() {
        apply(wanted("ov/#", Qos.EXACTLY_ONCE));
        broker.subscribedTemporarily("ov/+", Qos.EXACTLY_ONCE); // fetched the retained messages of a covered filter

        BrokerSubscriptions.Delta next = broker.added(TopicFilter.of("ov/b"), Qos.AT_LEAST_ONCE);

        assertThat(next.subscribe()).isEmpty();
        assertThat(next.unsubscribe()).as("a broker sending a copy per subscription would send it twice")
                .containsExactly("ov/+");
        broker.unsubscribed(next.unsubscribe());
        assertThat(broker.hasStale()).isFalse();
    }

    @Test
    void added_theFilterOfATemporarySubscription_keepsIt() {
        apply(wanted("a", Qos.AT_MOST_ONCE));
        broker.subscribedTemporarily("b", Qos.AT_LEAST_ONCE);

        BrokerSubscriptions.Delta next = broker.added(TopicFilter.of("b"), Qos.AT_LEAST_ONCE);

        assertThat(next.isEmpty()).as("the broker has b at the QoS wanted").isTrue();
        assertThat(broker.hasStale()).isFalse();
    }

    @Test
    void removed_anUnsubscribeThatFailedBefore_isStillDue() {
        apply(wanted("a", Qos.AT_MOST_ONCE));
        broker.added(TopicFilter.of("b"), Qos.AT_MOST_ONCE);
        broker.subscribed(Map.of("b", Qos.AT_MOST_ONCE), Map.of("b", Qos.AT_MOST_ONCE));

        BrokerSubscriptions.Delta first = broker.removed(TopicFilter.of("a")); // its UNSUBSCRIBE timed out
        BrokerSubscriptions.Delta second = broker.removed(TopicFilter.of("b"));

        assertThat(first.unsubscribe()).containsExactly("a");
        assertThat(second.unsubscribe()).containsExactly("a", "b");
        assertThat(broker.hasStale()).isTrue();
    }
}
