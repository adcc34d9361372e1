package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publishing faster than the broker acknowledges waits for room instead of failing with Paho's 32202. */
@MosquittoTest
class BackpressureIT {

    private static final int MESSAGES = 3000;

    @RegisterExtension
    final Clients clients = new Clients();

    @ParameterizedTest(name = "burst of {0} publishes")
    @EnumSource(Qos.class)
    void publish_burstBeyondInflightWindow_allSucceedAndArrive(Qos qos, MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        Recorder recorder = new Recorder();
        subscriber.subscribe("burst/" + qos, Qos.EXACTLY_ONCE, recorder);
        MyMqtt publisher = clients.started(clients.builder(broker).maxInflight(4));

        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            futures.add(publisher.publish("burst/" + qos, Integer.toString(i), qos, false));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new)).get(120, TimeUnit.SECONDS);

        assertThat(futures).allSatisfy(future -> assertThat(future).isCompleted().isNotCompletedExceptionally());
        if (qos != Qos.AT_MOST_ONCE) {
            assertThat(recorder.awaitCount(MESSAGES)).hasSize(MESSAGES);
        }
    }
}
