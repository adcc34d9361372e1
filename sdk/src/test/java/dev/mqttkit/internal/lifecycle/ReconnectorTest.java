package dev.mqttkit.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.internal.ReconnectPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reconnect thread: attempts until one works, with the policy's waits, one chain at a time. */
class ReconnectorTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final ReconnectPolicy QUICK = new ReconnectPolicy(Duration.ofMillis(5), Duration.ofMillis(20));

    private final Reconnector reconnector = new Reconnector("unit", "tcp://127.0.0.1:1883", QUICK);

    @AfterEach
    void shutdown() {
        reconnector.shutdown(Duration.ofSeconds(1));
    }

    @Test
    void lost_attemptsFailTwice_triesAgainUntilOneWorks() {
        AtomicInteger attempts = new AtomicInteger();
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);

        reconnector.lost(() -> {
            threads.add(Thread.currentThread().getName());
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("broker down");
            }
            done.countDown();
        });

        await().atMost(BOUND).until(() -> done.getCount() == 0);
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(threads).containsOnly("mqttkit-reconnect-unit");
    }

    @Test
    void lost_afterShutdown_attemptsNothing() {
        AtomicInteger attempts = new AtomicInteger();
        reconnector.shutdown(Duration.ofSeconds(1));

        reconnector.lost(attempts::incrementAndGet);

        assertThat(reconnector.isReconnectThread()).isFalse();
        assertThat(attempts.get()).isZero();
    }

    @Test
    void shutdown_duringARunningAttempt_interruptsItAfterTheGrace() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        reconnector.lost(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw new IllegalStateException("interrupted");
            }
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        reconnector.shutdown(Duration.ofSeconds(2));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .isBetween(Reconnector.ATTEMPT_GRACE_MILLIS - 100, 5000L);
        assertThat(interrupted.get()).isEqualTo(1);
    }

    @Test
    void lost_whileAnAttemptRuns_leadsToAnotherAttemptAfterIt() throws Exception {
        // the connection of a successful attempt drops before the attempt returned (while it restores the session)
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        Reconnector.Attempt[] attempt = new Reconnector.Attempt[1];
        attempt[0] = () -> {
            if (attempts.incrementAndGet() == 1) {
                reconnector.lost(attempt[0]); // Paho reports the new connection lost, during the attempt
            } else {
                second.countDown();
            }
        };

        reconnector.lost(attempt[0]);

        assertThat(second.await(5, TimeUnit.SECONDS)).as("a second attempt").isTrue();
        assertThat(attempts.get()).isEqualTo(2);
    }
}
