package dev.mqttkit.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.Qos;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The offline buffer's bounds and order. */
class OfflineBufferTest {

    private static OfflineBuffer.Item item(String topic, int bytes) {
        return new OfflineBuffer.Item(topic, new byte[bytes], Qos.AT_LEAST_ONCE, false, new CompletableFuture<>());
    }

    @Test
    void poll_itemsAdded_comeOutInOrder() throws Exception {
        OfflineBuffer buffer = new OfflineBuffer(10, 1000);
        buffer.add(item("a", 1), 0);
        buffer.add(item("b", 1), 0);
        buffer.add(item("c", 1), 0);

        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.poll().topic()).isEqualTo("a");
        assertThat(buffer.poll().topic()).isEqualTo("b");
        assertThat(buffer.poll().topic()).isEqualTo("c");
        assertThat(buffer.poll()).isNull();
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void add_countLimitReached_refusesAfterTheTimeout() throws Exception {
        OfflineBuffer buffer = new OfflineBuffer(2, 1000);
        assertThat(buffer.add(item("a", 1), 0)).isTrue();
        assertThat(buffer.add(item("b", 1), 0)).isTrue();

        long start = System.nanoTime();
        assertThat(buffer.add(item("c", 1), 100)).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(90);
        assertThat(buffer.size()).isEqualTo(2);
    }

    @Test
    void add_byteLimitReached_refuses() throws Exception {
        OfflineBuffer buffer = new OfflineBuffer(100, 10);
        assertThat(buffer.add(item("a", 6), 0)).isTrue();
        assertThat(buffer.add(item("b", 5), 0)).isFalse();
        assertThat(buffer.add(item("c", 4), 0)).isTrue();
    }

    @Test
    void add_oneMessageLargerThanTheLimit_fitsAnEmptyBuffer() throws Exception {
        OfflineBuffer buffer = new OfflineBuffer(100, 10);
        assertThat(buffer.add(item("big", 1000), 0)).isTrue();
        assertThat(buffer.add(item("small", 1), 0)).isFalse();
    }

    @Test
    void add_zeroMessagesAllowed_refusesEverything() throws Exception {
        assertThat(new OfflineBuffer(0, 10).add(item("a", 1), 1000)).isFalse();
    }

    @Test
    void add_fullBufferDrainedWhileWaiting_takesTheItem() throws Exception {
        OfflineBuffer buffer = new OfflineBuffer(1, 1000);
        buffer.add(item("a", 1), 0);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return buffer.add(item("b", 1), 5000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(buffer.poll().topic()).isEqualTo("a");
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(buffer.poll().topic()).isEqualTo("b");
    }

    @Test
    void putBack_anItemThatCouldNotBeSent_isFirstAgain() throws Exception {
        OfflineBuffer buffer = new OfflineBuffer(10, 1000);
        buffer.add(item("a", 1), 0);
        buffer.add(item("b", 1), 0);
        OfflineBuffer.Item first = buffer.poll();

        buffer.putBack(first);

        assertThat(buffer.poll().topic()).isEqualTo("a");
    }

    @Test
    void drain_returnsEverythingAndEmpties() throws Exception {
        OfflineBuffer buffer = new OfflineBuffer(10, 1000);
        buffer.add(item("a", 5), 0);
        buffer.add(item("b", 5), 0);

        assertThat(buffer.drain()).extracting(OfflineBuffer.Item::topic).containsExactly("a", "b");
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.add(item("c", 10), 0)).isTrue(); // the bytes were given back too
    }
}
