package dev.mqttkit.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.Message;
import dev.mqttkit.Qos;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatch thread and its bounded queue, without a broker. */
class DispatcherTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private final List<Dispatcher> started = new CopyOnWriteArrayList<>();

    private Dispatcher dispatcher(int maxMessages, long maxBytes) {
        Dispatcher dispatcher = new Dispatcher("mqttkit-dispatch-unit", maxMessages, maxBytes);
        started.add(dispatcher);
        return dispatcher;
    }

    @AfterEach
    void stopAll() {
        started.forEach(dispatcher -> dispatcher.stop(1000, leftovers -> { }));
    }

    private static Message message(String payload, Qos qos) {
        return new Message("unit/topic", payload.getBytes(), qos, false, false);
    }

    @Test
    void submit_severalMessages_runInArrivalOrderOnTheDispatchThread() {
        Dispatcher dispatcher = dispatcher(100, 1 << 20);
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Boolean> onDispatchThread = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = "m" + i;
            assertThat(dispatcher.submit(message(name, Qos.AT_LEAST_ONCE), () -> {
                ran.add(name);
                onDispatchThread.add(dispatcher.isDispatchThread());
            })).isTrue();
        }
        dispatcher.event(() -> ran.add("event"));

        await().atMost(BOUND).until(() -> ran.size() == 51);
        assertThat(ran.subList(0, 3)).containsExactly("m0", "m1", "m2");
        assertThat(ran.get(50)).isEqualTo("event");
        assertThat(onDispatchThread).containsOnly(true);
        assertThat(dispatcher.isDispatchThread()).isFalse();
    }

    @Test
    void awaitRoom_queueFull_waitsUntilTheListenerTookOne() throws Exception {
        Dispatcher dispatcher = dispatcher(2, 1 << 20);
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.submit(message("busy", Qos.AT_MOST_ONCE), () -> awaitQuietly(release)); // taken at once
        await().atMost(BOUND).until(() -> dispatcher.queuedMessages() == 0);
        dispatcher.submit(message("q1", Qos.AT_MOST_ONCE), () -> { });
        dispatcher.submit(message("q2", Qos.AT_MOST_ONCE), () -> { });

        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                dispatcher.awaitRoom();
            } catch (java.io.InterruptedIOException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(BOUND).until(() -> dispatcher.readerWaits() == 1);
        assertThat(reader).isNotDone();

        release.countDown();
        reader.get(5, TimeUnit.SECONDS);
        assertThat(dispatcher.readerWaits()).isEqualTo(1);
    }

    @Test
    void awaitRoom_bytesOverTheLimit_waitsToo() throws Exception {
        Dispatcher dispatcher = dispatcher(100, 10);
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.submit(message("busy", Qos.AT_MOST_ONCE), () -> awaitQuietly(release));
        await().atMost(BOUND).until(() -> dispatcher.queuedMessages() == 0);
        dispatcher.submit(message("0123456789", Qos.AT_MOST_ONCE), () -> { });

        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                dispatcher.awaitRoom();
            } catch (java.io.InterruptedIOException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(BOUND).until(() -> dispatcher.readerWaits() == 1);
        release.countDown();
        reader.get(5, TimeUnit.SECONDS);
    }

    @Test
    void acknowledgementFollows_whileAQos1MessageIsQueuedBehindTheRunningOne_only() {
        Dispatcher dispatcher = dispatcher(100, 1 << 20);
        CountDownLatch release = new CountDownLatch(1);
        List<Boolean> seenByTasks = new CopyOnWriteArrayList<>();
        runFirstUntil(dispatcher, release, () -> seenByTasks.add(dispatcher.acknowledgementFollows()));
        assertThat(dispatcher.acknowledgementFollows()).as("the running message is not queued").isFalse();
        dispatcher.submit(message("q0", Qos.AT_MOST_ONCE), () -> seenByTasks.add(dispatcher.acknowledgementFollows()));
        dispatcher.submit(message("q2", Qos.EXACTLY_ONCE), () -> seenByTasks.add(dispatcher.acknowledgementFollows()));
        assertThat(dispatcher.acknowledgementFollows()).as("QoS 0 and 2 queued").isFalse();
        dispatcher.submit(message("q1", Qos.AT_LEAST_ONCE), () -> seenByTasks.add(dispatcher.acknowledgementFollows()));
        assertThat(dispatcher.acknowledgementFollows()).as("a QoS 1 message queued").isTrue();

        release.countDown();

        await().atMost(BOUND).until(() -> seenByTasks.size() == 4);
        assertThat(seenByTasks).containsExactly(true, true, true, false);
        assertThat(dispatcher.acknowledgementFollows()).isFalse();
    }

    @Test
    void stop_withQueuedMessages_runsNothingMoreAndCountsThemByQos() {
        Dispatcher dispatcher = dispatcher(100, 1 << 20);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        runFirstUntil(dispatcher, release, () -> ran.add("first"));
        dispatcher.submit(message("q0", Qos.AT_MOST_ONCE), () -> ran.add("q0"));
        dispatcher.submit(message("q1", Qos.AT_LEAST_ONCE), () -> ran.add("q1"));
        dispatcher.submit(message("q2", Qos.EXACTLY_ONCE), () -> ran.add("q2"));

        AtomicReference<Dispatcher.Leftovers> leftovers = new AtomicReference<>();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> dispatcher.stop(5000, leftovers::set));
        await().atMost(BOUND).until(() -> dispatcher.submit(message("late", Qos.AT_MOST_ONCE), () -> ran.add("late"))
                == false);
        assertThat(stopping).isNotDone(); // waits for the running listener
        release.countDown();
        stopping.join();

        assertThat(ran).containsExactly("first");
        assertThat(leftovers.get()).isEqualTo(new Dispatcher.Leftovers(1, 2));
        assertThat(dispatcher.event(() -> ran.add("event"))).isFalse();
    }

    @Test
    void stop_fromTheDispatchThread_finishesAfterThatTask() {
        Dispatcher dispatcher = dispatcher(100, 1 << 20);
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch queued = new CountDownLatch(1);
        dispatcher.submit(message("stopper", Qos.AT_LEAST_ONCE), () -> {
            awaitQuietly(queued); // the next message waits in the queue when stop() is called
            dispatcher.stop(1000, leftovers -> order.add("afterStop " + leftovers.unacknowledged()));
            order.add("listener returned");
        });
        dispatcher.submit(message("never", Qos.AT_LEAST_ONCE), () -> order.add("never"));
        queued.countDown();

        await().atMost(BOUND).until(() -> order.size() == 2);
        assertThat(order).containsExactly("listener returned", "afterStop 1");
    }

    @Test
    void stop_listenerOverrunsTheTimeout_isInterruptedAndStopReturns() {
        Dispatcher dispatcher = dispatcher(100, 1 << 20);
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        dispatcher.submit(message("stuck", Qos.AT_LEAST_ONCE), () -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                interrupted.set(false);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        awaitQuietly(running);

        long start = System.nanoTime();
        dispatcher.stop(200, leftovers -> { });

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(150L, 4000L);
        await().atMost(BOUND).until(() -> interrupted.get() != null);
        assertThat(interrupted.get()).isTrue();
    }

    @Test
    void awaitEnd_afterStop_theThreadIsGone() {
        Dispatcher dispatcher = new Dispatcher("mqttkit-dispatch-ending", 10, 1 << 20);

        dispatcher.stop(0, leftovers -> { });
        dispatcher.awaitEnd(5_000);

        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                .doesNotContain("mqttkit-dispatch-ending");
    }

    /**
     * Submits a QoS 1 message "first" whose listener waits for {@code release}, then runs {@code then}; returns once
     * that listener runs, so later messages queue behind it.
     */
    private static void runFirstUntil(Dispatcher dispatcher, CountDownLatch release, Runnable then) {
        CountDownLatch running = new CountDownLatch(1);
        dispatcher.submit(message("first", Qos.AT_LEAST_ONCE), () -> {
            running.countDown();
            awaitQuietly(release);
            then.run();
        });
        awaitQuietly(running);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
