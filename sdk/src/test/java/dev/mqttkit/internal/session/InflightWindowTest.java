package dev.mqttkit.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import dev.mqttkit.Qos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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

    /** The window's clock, in nanoseconds: stands still unless a test moves it. */
    private volatile long now;
    private final ExecutorService publisher = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopPublisher() {
        publisher.shutdownNow();
    }

    /** A window of {@code size} slots, all taken. */
    private List<InflightWindow.Entry> full(InflightWindow window, int size) throws InterruptedException {
        List<InflightWindow.Entry> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            assertThat(window.acquire(0)).isTrue();
            entries.add(window.track("t/" + i, Qos.AT_LEAST_ONCE, new CompletableFuture<>(), 0));
        }
        return entries;
    }

    /** A publisher waiting (up to a minute) for a slot of a full window, queued once this returns. */
    private Future<Boolean> waitingPublisher(InflightWindow window) {
        Future<Boolean> acquired = publisher.submit(() -> window.acquire(60_000));
        await().atMost(Duration.ofSeconds(10)).until(window::hasWaiter);
        return acquired;
    }

    @Test
    void release_whileAPublisherWaits_holdsTheSlotsUntilABatchCameFree_thenHandsThemOverTogether() throws Exception {
        InflightWindow window = new InflightWindow(160, () -> now); // a batch of 160 / 16 = 10
        List<InflightWindow.Entry> entries = full(window, 160);
        Future<Boolean> acquired = waitingPublisher(window);

        for (int i = 0; i < 9; i++) {
            entries.get(i).release();
        }
        assertThat(window.held()).isEqualTo(9);
        assertThat(window.available()).isEqualTo(9);
        assertThat(acquired.isDone()).isFalse();

        entries.get(9).release();

        assertThat(acquired.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(window.held()).isZero();
        assertThat(window.available()).isEqualTo(9); // ten came free, the publisher took one
    }

    @Test
    void release_whileAPublisherWaits_handsOverWhatIsHeld_onceItWasHeldForTheHoldTime() throws Exception {
        InflightWindow window = new InflightWindow(1024, () -> now); // a batch of 64
        List<InflightWindow.Entry> entries = full(window, 1024);
        Future<Boolean> acquired = waitingPublisher(window);
        entries.get(0).release();
        assertThat(window.held()).isEqualTo(1);

        now += InflightWindow.HOLD_NANOS; // no second acknowledgement comes: the waiting publisher takes it

        assertThat(acquired.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(window.held()).isZero();
    }

    @Test
    void release_withNobodyWaiting_givesTheSlotBackAtOnce() throws Exception {
        InflightWindow window = new InflightWindow(1024, () -> now);
        List<InflightWindow.Entry> entries = full(window, 1024);

        entries.get(0).release();

        assertThat(window.held()).isZero();
        assertThat(window.acquire(0)).isTrue();
    }

    @Test
    void release_ofTheLastUnfinishedPublish_givesEverythingBack_evenWhileAPublisherWaits() throws Exception {
        InflightWindow window = new InflightWindow(1024, () -> now);
        List<InflightWindow.Entry> entries = full(window, 1024);
        Future<Boolean> acquired = waitingPublisher(window);
        for (int i = 0; i < 40; i++) {
            entries.get(i).release();
        }
        assertThat(window.held()).isEqualTo(40);
        acquired.cancel(true); // the publisher gives up: nobody waits for the held slots any more
        await().atMost(Duration.ofSeconds(10)).until(() -> !window.hasWaiter());

        for (int i = 40; i < entries.size(); i++) {
            entries.get(i).release();
        }

        assertThat(window.held()).isZero();
        assertThat(window.available()).isEqualTo(1024);
    }
}
