package dev.mqttkit.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Publish-future completions: in order, off the caller's thread, and never held up by one that blocks. */
class CompletionExecutorTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    @Test
    void execute_severalCompletions_runInOrderOnANamedThread() throws Exception {
        CompletionExecutor executor = new CompletionExecutor("mqttkit-complete-unit");
        List<String> ran = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            String name = "c" + i;
            executor.execute(() -> {
                ran.add(name);
                threads.add(Thread.currentThread().getName());
            });
        }

        await().atMost(BOUND).until(() -> ran.size() == 100);
        assertThat(ran.get(0)).isEqualTo("c0");
        assertThat(ran.get(99)).isEqualTo("c99");
        assertThat(threads).containsOnly("mqttkit-complete-unit");
        executor.shutdown();
        assertThat(executor.awaitQuiet(1000)).isTrue();
    }

    @Test
    void execute_aCompletionBlocks_theOthersGoOnWithoutIt() throws Exception {
        CompletionExecutor executor = new CompletionExecutor("mqttkit-complete-blocking");
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        executor.execute(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add("blocked");
        });
        for (int i = 0; i < 5; i++) {
            String name = "next" + i;
            executor.execute(() -> ran.add(name));
        }

        await().atMost(BOUND).until(() -> ran.size() == 5);
        assertThat(ran).containsExactly("next0", "next1", "next2", "next3", "next4");
        release.countDown();
        await().atMost(BOUND).until(() -> ran.size() == 6);
        executor.shutdown();
    }

    @Test
    void execute_afterShutdown_runsOnTheCallersThread() {
        CompletionExecutor executor = new CompletionExecutor("mqttkit-complete-shut");
        executor.shutdown();
        List<String> threads = new CopyOnWriteArrayList<>();

        executor.execute(() -> threads.add(Thread.currentThread().getName()));

        assertThat(threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void awaitQuiet_aCompletionStillRunning_waitsForIt() throws Exception {
        CompletionExecutor executor = new CompletionExecutor("mqttkit-complete-quiet");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        started.await(5, TimeUnit.SECONDS);
        executor.shutdown();

        assertThat(executor.awaitQuiet(20)).isFalse(); // running, not yet stuck long enough to be left alone
        release.countDown();
        assertThat(executor.awaitQuiet(5000)).isTrue();
    }
}
