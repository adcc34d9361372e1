package dev.mqttkit.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.Qos;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The in-flight window: a slot per publish, freed exactly once. */
class InflightWindowTest {

    @Test
    void acquire_windowFull_timesOutUntilASlotIsReleased() throws Exception {
        InflightWindow window = new InflightWindow(2);
        assertThat(window.acquire(0)).isTrue();
        InflightWindow.Entry first = window.track("a", Qos.AT_LEAST_ONCE, new CompletableFuture<>(), 0);
        assertThat(window.acquire(0)).isTrue();
        window.track("b", Qos.AT_LEAST_ONCE, new CompletableFuture<>(), 0);

        assertThat(window.acquire(20)).isFalse();
        assertThat(window.available()).isZero();
        first.release();
        assertThat(window.acquire(0)).isTrue();
    }

    @Test
    void release_calledTwice_freesTheSlotOnce() throws Exception {
        InflightWindow window = new InflightWindow(3);
        window.acquire(0);
        InflightWindow.Entry entry = window.track("a", Qos.EXACTLY_ONCE, new CompletableFuture<>(), 0);

        assertThat(entry.release()).isTrue();
        assertThat(entry.release()).isFalse();
        assertThat(window.available()).isEqualTo(3);
        assertThat(window.size()).isEqualTo(3);
    }

    @Test
    void pending_listsTrackedUntilReleased() throws Exception {
        InflightWindow window = new InflightWindow(5);
        window.acquire(0);
        InflightWindow.Entry a = window.track("a", Qos.AT_MOST_ONCE, new CompletableFuture<>(), 10);
        window.acquire(0);
        InflightWindow.Entry b = window.track("b", Qos.AT_LEAST_ONCE, new CompletableFuture<>(), 20);

        assertThat(window.pending()).containsExactlyInAnyOrder(a, b);
        a.release();
        assertThat(window.pending()).containsExactly(b);
        assertThat(b.topic()).isEqualTo("b");
        assertThat(b.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(b.ackDeadline()).isEqualTo(20);
        b.ackDeadline(30);
        assertThat(b.ackDeadline()).isEqualTo(30);
    }
}
