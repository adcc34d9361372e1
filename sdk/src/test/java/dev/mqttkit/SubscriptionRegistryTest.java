package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.topic.TopicFilter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listeners by filter, and the QoS each filter's listeners ask for. */
class SubscriptionRegistryTest {

    private final SubscriptionRegistry registry = new SubscriptionRegistry();
    private final BrokerSubscriptions broker = new BrokerSubscriptions();

    private ListenerSubscription listener(String filter, Qos qos) {
        return new ListenerSubscription(TopicFilter.of(filter), qos, message -> { }, registry::remove,
                broker::grantedFor, broker::refusedFor);
    }

    @Test
    void grantedQos_brokerGrantedLess_isEachListenersGrantedQos() {
        ListenerSubscription first = listener("alarms/#", Qos.EXACTLY_ONCE);
        ListenerSubscription second = listener("alarms/#", Qos.AT_MOST_ONCE);
        registry.add(first);
        registry.add(second);
        BrokerSubscriptions.Delta delta = broker.delta(registry.wanted());
        assertThat(first.grantedQos()).isEmpty();

        broker.subscribed(delta.subscribe(), Map.of("alarms/#", Qos.AT_LEAST_ONCE)); // a broker that downgrades QoS 2

        assertThat(first.grantedQos()).contains(Qos.AT_LEAST_ONCE);
        assertThat(second.grantedQos()).contains(Qos.AT_LEAST_ONCE);
        assertThat(first.qos()).isEqualTo(Qos.EXACTLY_ONCE);
        first.close();
        assertThat(first.grantedQos()).isEmpty();
        assertThat(second.grantedQos()).contains(Qos.AT_LEAST_ONCE);
    }

    @Test
    void wanted_isTheHighestQosOfEachFiltersListeners() {
        registry.add(listener("a/+", Qos.AT_MOST_ONCE));
        ListenerSubscription upgrade = listener("a/+", Qos.EXACTLY_ONCE);
        registry.add(upgrade);
        registry.add(listener("b", Qos.AT_LEAST_ONCE));

        assertThat(registry.wanted()).isEqualTo(Map.of(TopicFilter.of("a/+"), Qos.EXACTLY_ONCE,
                TopicFilter.of("b"), Qos.AT_LEAST_ONCE));
        registry.remove(upgrade);
        assertThat(registry.wanted()).isEqualTo(Map.of(TopicFilter.of("a/+"), Qos.AT_MOST_ONCE,
                TopicFilter.of("b"), Qos.AT_LEAST_ONCE));
    }

    @Test
    void remove_oneOfTwoListeners_keepsTheOther() {
        ListenerSubscription first = listener("a/+", Qos.AT_MOST_ONCE);
        ListenerSubscription second = listener("a/+", Qos.AT_MOST_ONCE);
        registry.add(first);
        registry.add(second);

        assertThat(registry.remove(first)).isTrue();
        assertThat(registry.match("a/b")).containsExactly(second);
        assertThat(registry.remove(first)).as("twice").isFalse();
    }

    @Test
    void remove_lastListener_removesTheFilter() {
        ListenerSubscription only = listener("a/+", Qos.AT_MOST_ONCE);
        registry.add(only);

        assertThat(registry.remove(only)).isTrue();
        assertThat(registry.match("a/b")).isEmpty();
        assertThat(registry.wanted()).isEmpty();
    }

    @Test
    void remove_unknownListener_isFalse() {
        assertThat(registry.remove(listener("x", Qos.AT_MOST_ONCE))).isFalse();
    }

    @Test
    void match_overlappingFilters_eachListenerOnceInRegistrationOrder() {
        ListenerSubscription hash = listener("a/#", Qos.AT_MOST_ONCE);
        ListenerSubscription plus = listener("a/+", Qos.AT_MOST_ONCE);
        ListenerSubscription exact = listener("a/b", Qos.AT_MOST_ONCE);
        ListenerSubscription other = listener("c/#", Qos.AT_MOST_ONCE);
        registry.add(hash);
        registry.add(plus);
        registry.add(exact);
        registry.add(other);

        assertThat(registry.match("a/b")).containsExactly(hash, plus, exact);
        assertThat(registry.match("a/b/c")).containsExactly(hash);
        assertThat(registry.match("$SYS/x")).isEmpty();
    }
}
