package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker goes away in the middle of the traffic (SIGTERM with persistence, or SIGKILL) and comes back on the
 * same port: clients with the default settings reconnect on their own, and nothing is lost that the promises in
 * the README's "Reliability" section cover.
 */
class BrokerOutageIT {

    private static final int MESSAGES = 10_000;
    private static final Duration BOUND = Duration.ofSeconds(Integer.getInteger("outage.bound", 60));

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().persistence(true).build();

    @RegisterExtension
    final Clients clients = new Clients();

    /** Counts deliveries per payload. */
    private static final class Tally implements MessageListener {
        final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        final AtomicInteger deliveries = new AtomicInteger();
        final AtomicInteger flaggedDuplicates = new AtomicInteger();
        final AtomicInteger unflaggedRepeats = new AtomicInteger();

        @Override
        public void onMessage(Message message) {
            deliveries.incrementAndGet();
            if (message.duplicate()) {
                flaggedDuplicates.incrementAndGet();
            }
            int times = seen.computeIfAbsent(message.payloadAsString(), key -> new AtomicInteger()).incrementAndGet();
            if (times > 1 && !message.duplicate()) {
                unflaggedRepeats.incrementAndGet();
            }
        }

        int distinct() {
            return seen.size();
        }

        String summary() {
            List<String> twice = seen.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey)
                    .sorted().limit(10).toList();
            return distinct() + " distinct of " + MESSAGES + ", " + deliveries.get() + " deliveries, "
                    + (deliveries.get() - distinct()) + " duplicates (" + flaggedDuplicates.get() + " flagged dup)"
                    + (twice.isEmpty() ? "" : ", for example " + twice);
        }
    }

    @Test
    void gracefulRestartMidStream_qos1DurableSession_everyMessageArrivesAndEveryFutureSucceeds() throws Exception {
        BROKER.assumeMosquitto("relies on Mosquitto saving its sessions at SIGTERM");
        Tally tally = restartMidStream(Qos.AT_LEAST_ONCE, "q1");
        assertThat(tally.distinct()).as(tally.summary()).isEqualTo(MESSAGES);
    }

    /**
     * Exactly once. Mosquitto 2.0.11 (Debian 12's) sends some QoS 2 messages the subscriber had completed again
     * after its restart, as new PUBLISHes flagged DUP (it never processed their PUBCOMP); the client recognises
     * those repeats (same packet id, same content) and does not run the listener again.
     */
    @Test
    void gracefulRestartMidStream_qos2DurableSession_exactlyOnceNoDuplicates() throws Exception {
        BROKER.assumeMosquitto("relies on Mosquitto saving its sessions at SIGTERM");
        Tally tally = restartMidStream(Qos.EXACTLY_ONCE, "q2");
        assertThat(tally.distinct()).as(tally.summary()).isEqualTo(MESSAGES);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(tally.deliveries.get()).as(tally.summary()).isEqualTo(MESSAGES));
    }

    private Tally restartMidStream(Qos qos, String name) throws Exception {
        String topic = "outage/" + name;
        Tally tally = new Tally();
        MyMqtt subscriber = clients.started(clients.builder(BROKER).clientId(Clients.uniqueId("sub-" + name))
                .cleanSession(false).reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(1)));
        subscriber.subscribe(topic, qos, tally);
        MyMqtt publisher = clients.started(clients.builder(BROKER).clientId(Clients.uniqueId("pub-" + name))
                .cleanSession(false).reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(1))
                .offlineBuffer(MESSAGES, 64L << 20));

        List<CompletableFuture<Void>> futures = new ArrayList<>(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            futures.add(publisher.publish(topic, Integer.toString(i), qos, false));
            if (i == MESSAGES / 3) {
                BROKER.stop(); // SIGTERM: Mosquitto saves its state and exits
            }
            if (i == MESSAGES / 2) {
                BROKER.start();
            }
        }

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(futures).allSatisfy(future -> assertThat(future).isCompleted().isNotCompletedExceptionally());
        await().atMost(BOUND).untilAsserted(() -> assertThat(tally.distinct()).as(tally.summary()).isEqualTo(MESSAGES));
        System.out.println("BrokerOutageIT " + name + ": " + tally.summary()); // the closing note quotes it
        return tally;
    }

    @Test
    void brokerKilledMidStream_clientReconnectsResubscribes_futuresSettleAndLaterMessagesArrive() throws Exception {
        BROKER.assumeKillable();
        List<String> events = new CopyOnWriteArrayList<>();
        ConnectionListener recorder = new ConnectionListener() {
            @Override
            public void onReconnected(String serverUri, boolean sessionPresent) {
                events.add("reconnected session=" + sessionPresent);
            }

            @Override
            public void onConnectionLost(String serverUri, Throwable cause) {
                events.add("lost");
            }
        };
        Tally tally = new Tally();
        MyMqtt subscriber = clients.started(clients.builder(BROKER).connectionListener(recorder)
                .reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(1)));
        subscriber.subscribe("outage/kill", Qos.AT_LEAST_ONCE, tally);
        MyMqtt publisher = clients.started(clients.builder(BROKER)
                .reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(1)));

        List<CompletableFuture<Void>> before = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            before.add(publisher.publish("outage/kill", "before-" + i, Qos.AT_LEAST_ONCE, false));
            if (i == 1_000) {
                BROKER.kill(); // SIGKILL: Mosquitto loses what it had not saved, the clean sessions included
            }
        }
        BROKER.start();

        // every future settles within a bound: acknowledged, or failed saying whether it may have arrived
        long settled = System.nanoTime();
        CompletableFuture.allOf(before.stream().map(f -> f.handle((ok, error) -> null))
                .toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        long failed = before.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        assertThat(before).filteredOn(CompletableFuture::isCompletedExceptionally).allSatisfy(future ->
                assertThat(future).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                        .isInstanceOf(PublishFailedException.class));
        await().atMost(BOUND).until(() -> events.contains("reconnected session=false") && subscriber.isConnected());

        for (int i = 0; i < 1_000; i++) {
            publisher.publish("outage/kill", "after-" + i, Qos.AT_LEAST_ONCE, false).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        await().atMost(BOUND).until(() -> tally.seen.keySet().stream().filter(p -> p.startsWith("after-")).count() == 1_000);
        assertThat(events).as("failed futures: %d, settled after %d ms", failed,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - settled)).startsWith("lost");
    }

    @Test
    void publishesWhileBrokerIsDown_deliveredInOrderAfterItReturns_futuresPendingUntilThen() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.started(clients.builder(BROKER).cleanSession(false)
                .clientId(Clients.uniqueId("down-sub")).reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(1)));
        subscriber.subscribe("outage/down", Qos.AT_LEAST_ONCE, message -> received.add(message.payloadAsString()));
        MyMqtt publisher = clients.started(clients.builder(BROKER)
                .reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(1)));

        BROKER.stop();
        await().atMost(BOUND).until(() -> !publisher.isConnected());
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(publisher.publish("outage/down", "m" + i, Qos.AT_LEAST_ONCE, false));
        }
        assertThat(futures).allSatisfy(future -> assertThat(future).isNotDone());
        BROKER.start();

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("m" + i);
        }
        await().atMost(BOUND).until(() -> received.size() >= 50);
        assertThat(received).containsExactlyElementsOf(expected);
    }

    @Test
    void offlineBufferFull_waitsThenFailsNamingTheLimit_nothingDroppedSilently() throws Exception {
        MyMqtt publisher = clients.started(clients.builder(BROKER).offlineBuffer(3, 1 << 20)
                .operationTimeout(Duration.ofMillis(300)).reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(1)));
        Tally tally = new Tally();
        MyMqtt subscriber = clients.started(clients.builder(BROKER).cleanSession(false)
                .clientId(Clients.uniqueId("full-sub")).reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(1)));
        subscriber.subscribe("outage/full", Qos.AT_LEAST_ONCE, tally);

        BROKER.stop();
        await().atMost(BOUND).until(() -> !publisher.isConnected());
        List<CompletableFuture<Void>> kept = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            kept.add(publisher.publish("outage/full", "kept-" + i, Qos.AT_LEAST_ONCE, false));
        }
        CompletableFuture<Void> refused = publisher.publish("outage/full", "refused", Qos.AT_LEAST_ONCE, false);

        assertThat(refused).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingCause()
                .isInstanceOf(PublishFailedException.class)
                .withMessage("Cannot publish to [outage/full]: the offline buffer is full (3 messages or 1,048,576 "
                        + "bytes, see offlineBuffer(...)) and no room came free within 300 ms while disconnected from "
                        + BROKER.uri() + "; the message was not sent.")
                .satisfies(e -> assertThat(((PublishFailedException) e).mayHaveArrived()).isFalse());
        BROKER.start();
        CompletableFuture.allOf(kept.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        await().atMost(BOUND).until(() -> tally.distinct() == 3);
        assertThat(tally.seen).containsOnlyKeys("kept-0", "kept-1", "kept-2");
    }
}
