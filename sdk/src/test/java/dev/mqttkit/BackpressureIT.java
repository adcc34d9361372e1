package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    @Test
    void receiveQueueFull_listenerSlowerThanTheKeepAlive_pingsAndAcknowledgementsStillGetThrough(
            MosquittoBroker broker) throws Exception {
        // the receive gate holds back the broker's PUBLISHes, not the PINGRESP or SUBACK behind them: a listener
        // slower than the keep-alive must not make the client drop its own connection (and run listeners twice)
        LostAndReconnected events = new LostAndReconnected();
        List<String> calls = new CopyOnWriteArrayList<>();
        List<String> subscribedFromListener = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.started(clients.builder(broker).keepAlive(Duration.ofSeconds(1))
                .receiveQueue(1, 1 << 20).operationTimeout(Duration.ofSeconds(2)).connectionListener(events));
        subscriber.subscribe("slow/+", Qos.AT_LEAST_ONCE, message -> {
            calls.add(message.payloadAsString());
            if (calls.size() == 2) {
                // subscribing from a listener while the queue is full: its SUBACK must reach the client
                Subscription extra = subscriber.subscribe("extra/" + calls.size(), Qos.AT_LEAST_ONCE, m -> { });
                subscribedFromListener.add(extra.filter() + " " + extra.grantedQos().orElse(null));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2_500)); // slower than 2 keep-alives
        });
        MyMqtt publisher = clients.started(broker);
        for (int i = 0; i < 5; i++) {
            publisher.publish("slow/" + i, "m" + i, Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(40)).until(() -> calls.size() >= 5);
        assertThat(calls).as("each listener call once").containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(subscribedFromListener).containsExactly("extra/2 AT_LEAST_ONCE");
        assertThat(events.events()).as("connection events").isEmpty();
        assertThat(subscriber.isConnected()).isTrue();
    }
}
