package dev.mqttkit.internal.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.internal.MqttPersistentData;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** Which publish Paho stored, seen from the thread that called publish; and when it let go of it. */
class TrackingPersistenceTest {

    private final MemoryPersistence memory = new MemoryPersistence();
    private final TrackingPersistence persistence = new TrackingPersistence(memory);

    private static MqttPersistentData data() {
        return new MqttPersistentData("k", new byte[] {1}, 0, 1, new byte[] {2}, 0, 1);
    }

    @Test
    void takeStoredKey_sentMessageStoredOnThisThread_isReturnedOnce() throws Exception {
        persistence.open("unit", "tcp://127.0.0.1:1883");
        persistence.put("s-7", data());

        assertThat(persistence.takeStoredKey()).isEqualTo("s-7");
        assertThat(persistence.takeStoredKey()).isNull();
        assertThat(memory.containsKey("s-7")).isTrue();
    }

    @Test
    void takeStoredKey_otherKindsOfRecordOrOtherThreads_areNotSeen() throws Exception {
        persistence.open("unit", "tcp://127.0.0.1:1883");
        persistence.put("r-3", data());    // a received QoS 2 message
        persistence.put("sc-4", data());   // a PUBREL
        CompletableFuture.runAsync(() -> {
            try {
                persistence.put("s-9", data());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).join();

        assertThat(persistence.takeStoredKey()).isNull();
        assertThat(Collections.list(persistence.keys())).containsExactlyInAnyOrder("r-3", "sc-4", "s-9");
    }

    @Test
    void remove_takesTheRecordOut() throws Exception {
        persistence.open("unit", "tcp://127.0.0.1:1883");
        persistence.put("s-1", data());

        persistence.remove("s-1");

        assertThat(persistence.containsKey("s-1")).isFalse();
        assertThat(persistence.get("s-1")).isNull();
        assertThat(memory.containsKey("s-1")).isFalse();
    }

    @Test
    void clear_passesThrough() throws Exception {
        persistence.open("unit", "tcp://127.0.0.1:1883");
        persistence.put("s-1", data());
        persistence.clear();

        assertThat(Collections.list(persistence.keys())).isEqualTo(List.of());
    }
}
