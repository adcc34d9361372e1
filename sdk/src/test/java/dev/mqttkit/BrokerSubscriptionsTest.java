package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.topic.TopicFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
}
