package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.topic.TopicFilter;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Retained replays of a new subscription go to its own listeners; copies during a temporary one are dropped. */
class ReplayGuardTest {

    private final ReplayGuard guard = new ReplayGuard();

    private static ListenerSubscription listener(String filter) {
        return new ListenerSubscription(TopicFilter.of(filter), Qos.AT_LEAST_ONCE, message -> { }, subscription -> { },
                f -> null, f -> false);
    }

    private static Message message(String topic, String payload, boolean retained) {
        return new Message(topic, payload.getBytes(), Qos.AT_LEAST_ONCE, retained, false);
    }

    @Test
    void excluded_retainedReplayInAnOpenWindow_goesOnlyToTheNewListeners() {
        ListenerSubscription old = listener("ret/+");
        ListenerSubscription fresh = listener("ret/#");
        ReplayGuard.Window window = guard.open(List.of("ret/#"), Set.of(fresh));
        guard.settle(window);

        Predicate<ListenerSubscription> excluded = guard.excluded(message("ret/1", "kept", true));

        assertThat(excluded).isNotNull();
        assertThat(excluded.test(old)).isTrue();
        assertThat(excluded.test(fresh)).isFalse();
        assertThat(guard.excluded(message("ret/1", "live", false))).as("live messages go to everyone").isNull();
        assertThat(guard.excluded(message("other/1", "kept", true))).as("other topics").isNull();
    }

    @Test
    void excluded_noWindow_isNull() {
        assertThat(guard.excluded(message("ret/1", "kept", true))).isNull();
    }

    @Test
    void excluded_temporaryWindow_dropsTheSecondCopyOfALiveMessage() {
        ListenerSubscription fresh = listener("a/b");
        guard.settle(guard.openTemporary("a/b", Set.of(fresh)));

        assertThat(guard.excluded(message("a/b", "x", false))).isNull();
        assertThat(guard.excluded(message("a/b", "x", false))).isSameAs(ReplayGuard.DROP);
        assertThat(guard.excluded(message("a/b", "y", false))).isNull();
    }
}
