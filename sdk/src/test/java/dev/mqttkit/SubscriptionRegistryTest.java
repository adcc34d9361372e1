package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionRegistryTest {

    private final SubscriptionRegistry registry = new SubscriptionRegistry();

    private ListenerSubscription listener(String filter, Qos qos) {
        return new ListenerSubscription(dev.mqttkit.topic.TopicFilter.of(filter), qos, message -> { }, registry::remove,
                registry::grantedQos, registry::refused);
    }

    @Test
    void granted_subackRecorded_isTheSubscriptionsGrantedQos() {
        ListenerSubscription first = listener("alarms/#", Qos.EXACTLY_ONCE);
        ListenerSubscription second = listener("alarms/#", Qos.AT_MOST_ONCE);
        registry.add(first);
        registry.add(second);
        assertThat(first.grantedQos()).isEmpty();
        registry.granted(java.util.Map.of("alarms/#", Qos.AT_LEAST_ONCE)); // a broker that downgrades QoS 2
        assertThat(first.grantedQos()).contains(Qos.AT_LEAST_ONCE);
        assertThat(second.grantedQos()).contains(Qos.AT_LEAST_ONCE);
        assertThat(first.qos()).isEqualTo(Qos.EXACTLY_ONCE);
        first.close();
        assertThat(first.grantedQos()).isEmpty();
        assertThat(second.grantedQos()).contains(Qos.AT_LEAST_ONCE);
    }

    @Test
    void add_firstListener_asksForBrokerSubscription() {
        assertThat(registry.add(listener("a/+", Qos.AT_LEAST_ONCE))).isEqualTo(Qos.AT_LEAST_ONCE);
    }

    @Test
    void add_secondListenerSameOrLowerQos_needsNoBrokerSubscription() {
        registry.add(listener("a/+", Qos.AT_LEAST_ONCE));
        assertThat(registry.add(listener("a/+", Qos.AT_MOST_ONCE))).isNull();
        assertThat(registry.add(listener("a/+", Qos.AT_LEAST_ONCE))).isNull();
    }

    @Test
    void add_secondListenerHigherQos_upgradesBrokerSubscription() {
        registry.add(listener("a/+", Qos.AT_MOST_ONCE));
        assertThat(registry.add(listener("a/+", Qos.EXACTLY_ONCE))).isEqualTo(Qos.EXACTLY_ONCE);
        assertThat(registry.brokerFilters()).isEqualTo(Map.of("a/+", Qos.EXACTLY_ONCE));
    }

    @Test
    void remove_notLastListener_keepsFilter() {
        ListenerSubscription first = listener("a/#", Qos.AT_LEAST_ONCE);
        ListenerSubscription second = listener("a/#", Qos.AT_LEAST_ONCE);
        registry.add(first);
        registry.add(second);

        assertThat(registry.remove(first)).isFalse();
        assertThat(registry.match("a/b")).containsExactly(second);
    }

    @Test
    void remove_lastListener_dropsFilter() {
        ListenerSubscription only = listener("a/#", Qos.AT_LEAST_ONCE);
        registry.add(only);

        assertThat(registry.remove(only)).isTrue();
        assertThat(registry.match("a/b")).isEmpty();
        assertThat(registry.brokerFilters()).isEmpty();
    }

    @Test
    void remove_unknownListener_returnsFalse() {
        assertThat(registry.remove(listener("x", Qos.AT_MOST_ONCE))).isFalse();
    }

    @Test
    void match_overlappingFilters_eachListenerOnceInRegistrationOrder() {
        ListenerSubscription hash = listener("a/#", Qos.AT_LEAST_ONCE);
        ListenerSubscription plus = listener("a/+", Qos.AT_LEAST_ONCE);
        ListenerSubscription exact = listener("a/b", Qos.AT_LEAST_ONCE);
        ListenerSubscription other = listener("b/#", Qos.AT_LEAST_ONCE);
        registry.add(hash);
        registry.add(plus);
        registry.add(exact);
        registry.add(other);

        assertThat(registry.match("a/b")).containsExactly(hash, plus, exact);
        assertThat(registry.match("a/b/c")).containsExactly(hash);
        assertThat(registry.match("$SYS/x")).isEmpty();
    }

    @Test
    void rollback_failedUpgrade_restoresPreviousQos() {
        registry.add(listener("a", Qos.AT_MOST_ONCE));
        ListenerSubscription upgrade = listener("a", Qos.EXACTLY_ONCE);
        registry.add(upgrade);

        registry.rollback(upgrade, Qos.AT_MOST_ONCE);

        assertThat(registry.brokerFilters()).isEqualTo(Map.of("a", Qos.AT_MOST_ONCE));
    }

    @Test
    void pendingUnsubscribes_keptUntilUnsubscribed_andCancelledByNewListener() {
        registry.unsubscribeLater("old/#");
        registry.unsubscribeLater("again/#");
        registry.add(listener("again/#", Qos.AT_LEAST_ONCE));

        assertThat(registry.pendingUnsubscribes()).containsExactly("old/#");
        assertThat(registry.pendingUnsubscribes()).as("until the broker acknowledged it").containsExactly("old/#");
        assertThat(registry.isUnsubscribePending("old/#")).isTrue();
        registry.unsubscribed(List.of("old/#"));
        assertThat(registry.pendingUnsubscribes()).isEmpty();
        assertThat(registry.isUnsubscribePending("old/#")).isFalse();
    }
}
