package dev.mqttkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.Qos;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientCountersTest {

    private final ClientCounters counters = new ClientCounters();

    @Test
    void publishFuture_completedTwice_countedOnceAtItsQos() {
        CompletableFuture<Void> future = counters.newPublish(Qos.EXACTLY_ONCE);

        future.complete(null);
        future.complete(null);
        future.completeExceptionally(new IllegalStateException("late"));

        assertThat(counters.publishedAt(Qos.EXACTLY_ONCE)).isEqualTo(1);
        assertThat(counters.publishedAt(Qos.AT_LEAST_ONCE)).isZero();
        assertThat(counters.publishFailures()).isZero();
    }

    @Test
    void publishFuture_failed_countedAsAFailureOnly() {
        CompletableFuture<Void> future = counters.newPublish(Qos.AT_LEAST_ONCE);

        future.completeExceptionally(new IllegalStateException("refused"));
        future.complete(null);

        assertThat(counters.publishFailures()).isEqualTo(1);
        assertThat(counters.publishedAt(Qos.AT_LEAST_ONCE)).isZero();
    }

    @Test
    void publishFuture_cancelled_countsNeither() {
        CompletableFuture<Void> future = counters.newPublish(Qos.AT_MOST_ONCE);

        future.cancel(false);

        assertThat(counters.publishFailures()).isZero();
        assertThat(counters.publishedAt(Qos.AT_MOST_ONCE)).isZero();
    }

    @Test
    void publishFuture_completed_isCountedBeforeWhoWaitsOnItWakes() {
        // MetricsIT read published == 1 right after get() returned on two completed futures (CI, Docker pass)
        CompletableFuture<Void> future = counters.newPublish(Qos.AT_LEAST_ONCE);
        AtomicLong seen = new AtomicLong(-1);
        future.whenComplete((ok, failed) -> seen.set(counters.publishedAt(Qos.AT_LEAST_ONCE)));

        future.complete(null);

        assertThat(seen).hasValue(1);
    }

    @Test
    void publishFuture_failed_isCountedBeforeWhoWaitsOnItWakes() {
        CompletableFuture<Void> future = counters.newPublish(Qos.AT_LEAST_ONCE);
        AtomicLong seen = new AtomicLong(-1);
        future.whenComplete((ok, failed) -> seen.set(counters.publishFailures()));

        future.completeExceptionally(new IllegalStateException("refused"));

        assertThat(seen).hasValue(1);
    }

    @Test
    void publishFuture_cancelledThenCompleted_countsNeither() {
        CompletableFuture<Void> future = counters.newPublish(Qos.AT_LEAST_ONCE);
        future.cancel(false);

        assertThat(future.complete(null)).isFalse();
        assertThat(future.completeExceptionally(new IllegalStateException("late"))).isFalse();

        assertThat(counters.publishedAt(Qos.AT_LEAST_ONCE)).isZero();
        assertThat(counters.publishFailures()).isZero();
    }

    @Test
    void dependentStages_areNotCounted() {
        CompletableFuture<Void> future = counters.newPublish(Qos.AT_LEAST_ONCE);
        CompletableFuture<String> next = future.thenApply(ignored -> "done");

        future.complete(null);

        assertThat(next.join()).isEqualTo("done");
        assertThat(counters.publishedAt(Qos.AT_LEAST_ONCE)).isEqualTo(1);
    }

    @Test
    void receivedAndBytes_addUp() {
        counters.received(Qos.AT_MOST_ONCE);
        counters.received(Qos.AT_MOST_ONCE);
        counters.received(Qos.EXACTLY_ONCE);
        counters.bytesIn(100);
        counters.bytesIn(28);
        counters.bytesOut(7);

        assertThat(counters.receivedAt(Qos.AT_MOST_ONCE)).isEqualTo(2);
        assertThat(counters.receivedAt(Qos.EXACTLY_ONCE)).isEqualTo(1);
        assertThat(counters.bytesIn()).isEqualTo(128);
        assertThat(counters.bytesOut()).isEqualTo(7);
    }
}
