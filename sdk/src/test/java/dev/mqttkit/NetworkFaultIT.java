package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The network between client and broker fails, through a {@link FaultyProxy} on loopback: connections cut (RST),
 * stalled, refused for a while. Each test first reproduced a defect of the client before reliability work.
 */
@MosquittoTest
class NetworkFaultIT {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final Clients clients = new Clients();

    private final List<FaultyProxy> proxies = new ArrayList<>();

    private FaultyProxy proxy(MosquittoBroker broker) throws Exception {
        FaultyProxy proxy = FaultyProxy.to(broker.port());
        proxies.add(proxy);
        return proxy;
    }

    @AfterEach
    void closeProxies() {
        proxies.forEach(FaultyProxy::close);
    }

    private MyMqtt.Builder through(FaultyProxy proxy) {
        return MyMqtt.builder().serverUri(proxy.uri()).clientId(Clients.uniqueId("cut"))
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    @Test
    void cut_pendingQos0Futures_allCompleteAndTheWindowIsWholeAgain(MosquittoBroker broker) throws Exception {
        FaultyProxy proxy = proxy(broker);
        MyMqtt client = clients.started(through(proxy).maxInflight(100));
        proxy.stall();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(client.publish("cut/qos0", "m" + i, Qos.AT_MOST_ONCE, false));
        }

        proxy.cut();
        proxy.resume();

        // before: 85 of 100 were still pending after stop() and 15 slots were left for the rest of the session
        CompletableFuture.allOf(futures.stream().map(f -> f.handle((ok, error) -> null))
                .toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        long failed = futures.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        assertThat(futures).filteredOn(CompletableFuture::isCompletedExceptionally).allSatisfy(future ->
                assertThat(future).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                        .isInstanceOf(PublishFailedException.class));
        await().atMost(BOUND).until(client::isConnected);
        assertThat(client.freeInflightSlots()).as("%d of 100 failed", failed).isEqualTo(100);
    }

    @Test
    void durableReconnect_unacknowledgedQos1_resentAndSucceed_slotsFreedOnce_nextBurstFits(MosquittoBroker broker)
            throws Exception {
        FaultyProxy proxy = proxy(broker);
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        MyMqtt subscriber = clients.started(broker);
        subscriber.subscribe("cut/durable", Qos.AT_LEAST_ONCE, message ->
                received.computeIfAbsent(message.payloadAsString(), key -> new AtomicInteger()).incrementAndGet());
        MyMqtt client = clients.started(through(proxy).cleanSession(false).maxInflight(4));
        proxy.stall();
        List<CompletableFuture<Void>> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(client.publish("cut/durable", "first-" + i, Qos.AT_LEAST_ONCE, false));
        }

        proxy.cut();
        proxy.resume();

        // before: all 4 failed although Paho resent them, and their slots were freed twice (8 free of 4)
        CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        await().atMost(BOUND).until(() -> client.freeInflightSlots() == 4);
        List<CompletableFuture<Void>> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(client.publish("cut/durable", "burst-" + i, Qos.AT_LEAST_ONCE, false));
        }
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        await().atMost(BOUND).until(() -> received.size() == 44);
        assertThat(client.freeInflightSlots()).isEqualTo(4);
        client.stop();
        clients.started(clients.builder(broker).clientId(client.clientId())).stop(); // clear the durable session
    }

    @Test
    void cutDuringQos2Delivery_durableSession_listenerRunsOncePerMessage(MosquittoBroker broker) throws Exception {
        FaultyProxy proxy = proxy(broker);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger flagged = new AtomicInteger();
        MyMqtt subscriber = clients.track(through(proxy).cleanSession(false).build());
        subscriber.subscribe("cut/qos2", Qos.EXACTLY_ONCE, message -> {
            runs.computeIfAbsent(message.payloadAsString(), key -> new AtomicInteger()).incrementAndGet();
            if (message.duplicate()) {
                flagged.incrementAndGet();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a listener doing some work
        });
        subscriber.start();
        MyMqtt publisher = clients.started(broker);

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(publisher.publish("cut/qos2", "m" + i, Qos.EXACTLY_ONCE, false));
        }
        await().atMost(BOUND).until(() -> runs.size() >= 40);
        proxy.refuse(true);
        proxy.cut(); // a 0.8 s outage while messages are queued for the listener and in flight
        await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> true);
        proxy.refuse(false);

        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        await().atMost(BOUND).untilAsserted(() -> assertThat(runs).as("%d flagged", flagged.get()).hasSize(200));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> runs.values().stream().allMatch(count -> count.get() == 1));
        // before: the listener ran twice for a message across the cut, the second time with duplicate() false
        assertThat(runs.values()).as("%d deliveries flagged duplicate", flagged.get()).allMatch(count -> count.get() == 1);
        subscriber.stop();
        clients.started(clients.builder(broker).clientId(subscriber.clientId())).stop();
    }

    @Test
    void cutWhileListenerRuns_durableQos1_ackOfTheOldConnectionNotSent_redeliveredFlaggedDuplicate(
            MosquittoBroker broker) throws Exception {
        FaultyProxy proxy = proxy(broker);
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Boolean> deliveries = new java.util.concurrent.CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.track(through(proxy).cleanSession(false).build());
        subscriber.subscribe("cut/ack", Qos.AT_LEAST_ONCE, message -> {
            deliveries.add(message.duplicate());
            inListener.countDown();
            if (deliveries.size() == 1) {
                release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
        });
        subscriber.start();
        clients.started(broker).publish("cut/ack", "job", Qos.AT_LEAST_ONCE, false).get();
        assertThat(inListener.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

        proxy.cut();
        await().atMost(BOUND).until(() -> !subscriber.isConnected());
        await().atMost(BOUND).until(subscriber::isConnected);
        release.countDown(); // the first run ends on the new connection: its PUBACK belongs to the old one

        // the broker sends it again (it never got the PUBACK) and the second copy is acknowledged
        await().atMost(BOUND).until(() -> deliveries.size() == 2);
        assertThat(deliveries).containsExactly(false, true);
        subscriber.stop();
        MyMqtt again = clients.track(through(proxy).clientId(subscriber.clientId()).cleanSession(false).build());
        List<String> third = new java.util.concurrent.CopyOnWriteArrayList<>();
        again.subscribe("cut/ack", Qos.AT_LEAST_ONCE, message -> third.add(message.payloadAsString()));
        again.start();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(third::isEmpty);
        again.stop();
        clients.started(clients.builder(broker).clientId(subscriber.clientId())).stop();
    }

    @Test
    void stallLongerThanKeepAlive_clientNoticesAndReconnectsAfterwards(MosquittoBroker broker) throws Exception {
        FaultyProxy proxy = proxy(broker);
        LostAndReconnected connection = new LostAndReconnected();
        List<String> events = connection.events();
        MyMqtt client = clients.started(through(proxy).keepAlive(Duration.ofSeconds(1))
                .connectionListener(connection));
        Recorder recorder = new Recorder();
        client.subscribe("cut/stall", Qos.AT_LEAST_ONCE, recorder);

        proxy.stall();
        await().atMost(BOUND).until(() -> events.contains("lost"));
        proxy.cut();
        proxy.resume();
        await().atMost(BOUND).until(() -> events.contains("reconnected"));

        clients.started(broker).publish("cut/stall", "after", Qos.AT_LEAST_ONCE, false).get();
        assertThat(recorder.awaitPayload("after")).containsExactly("after");
    }

    @Test
    void stall_qos0PublishTheSocketCannotTake_failsInDoubtAfterTheOperationTimeout_andTheClientReconnects(
            MosquittoBroker broker) throws Exception {
        FaultyProxy proxy = proxy(broker);
        LostAndReconnected connection = new LostAndReconnected();
        List<String> events = connection.events();
        Duration operationTimeout = Duration.ofSeconds(1);
        MyMqtt client = clients.started(through(proxy).operationTimeout(operationTimeout)
                .connectionListener(connection));
        Recorder recorder = new Recorder();
        clients.started(broker).subscribe("stall/after", Qos.AT_LEAST_ONCE, recorder);
        proxy.stall();

        // QoS 0 publishes are written by publish() itself: once the socket buffers are full, one blocks
        byte[] payload = new byte[64 * 1024];
        record Blocked(CompletableFuture<Void> future, long millis) {
        }
        CompletableFuture<Blocked> blocking = CompletableFuture.supplyAsync(() -> {
            for (int i = 0; i < 10_000; i++) {
                long start = System.nanoTime();
                CompletableFuture<Void> future = client.publishWith().topic("stall/big").payload(payload)
                        .qos(Qos.AT_MOST_ONCE).send();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (millis >= 500) {
                    return new Blocked(future, millis);
                }
            }
            return null;
        });

        Blocked blocked = blocking.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(blocked).as("a publish blocked on the stalled network").isNotNull();
        assertThat(blocked.millis()).as("ms it blocked").isBetween(operationTimeout.toMillis(), BOUND.toMillis());
        assertThat(blocked.future()).failsWithin(BOUND).withThrowableThat().havingCause()
                .isInstanceOf(PublishFailedException.class)
                .withMessageStartingWith("Cannot publish to [stall/big]: the connection to " + proxy.uri()
                        + " was lost (")
                .satisfies(e -> assertThat(((PublishFailedException) e).mayHaveArrived()).isTrue());
        await().atMost(BOUND).until(() -> events.contains("lost"));
        proxy.cut();
        proxy.resume();
        await().atMost(BOUND).until(() -> events.contains("reconnected"));
        client.publish("stall/after", "after", Qos.AT_LEAST_ONCE, false).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(recorder.awaitPayload("after")).containsExactly("after");
    }

    @Test
    void slowListenerUnderFlood_receiveQueueStaysBounded_readingPauses_nothingLost(MosquittoBroker broker)
            throws Exception {
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger maxQueued = new AtomicInteger();
        MyMqtt[] self = new MyMqtt[1];
        MyMqtt subscriber = clients.track(clients.builder(broker).receiveQueue(200, 1 << 20).build());
        self[0] = subscriber;
        subscriber.subscribe("flood", Qos.AT_LEAST_ONCE, message -> {
            maxQueued.accumulateAndGet(self[0].queuedMessages(), Math::max);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // 1 ms of work per message
            handled.incrementAndGet();
        });
        subscriber.start();
        MyMqtt publisher = clients.started(clients.builder(broker).maxInflight(500));
        byte[] kib = new byte[1024];
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            sent.add(publisher.publishWith().topic("flood").payload(kib).qos(Qos.AT_LEAST_ONCE).send());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);

        await().atMost(BOUND).until(() -> handled.get() == 4_000);
        // before: unbounded, 10k messages a second of growth until the heap ran out
        assertThat(maxQueued.get()).as("largest queue seen by the listener").isBetween(1, 200 + 100);
        assertThat(subscriber.readerWaits()).isPositive();
    }

    @Test
    void subscriptionClose_timedOutWhileStalled_brokerUnsubscribedAfterTheReconnect(MosquittoBroker broker)
            throws Exception {
        FaultyProxy proxy = proxy(broker);
        List<String> strays = new CopyOnWriteArrayList<>();
        Recorder marker = new Recorder();
        LostAndReconnected events = new LostAndReconnected();
        MyMqtt subscriber = clients.started(through(proxy).cleanSession(false).operationTimeout(Duration.ofSeconds(1))
                .notifier((topic, payload) -> strays.add(topic)).connectionListener(events));
        Subscription closing = subscriber.subscribe("closing/#", Qos.AT_LEAST_ONCE, message -> strays.add("listener"));
        subscriber.subscribe("marker", Qos.AT_LEAST_ONCE, marker);

        proxy.stall();
        assertThatThrownBy(closing::close).isInstanceOf(OperationTimeoutException.class)
                .hasMessageEndingWith("the listener is removed, and the client unsubscribes at the broker when it "
                        + "reconnects (or call unsubscribe(\"closing/#\") to try again now).");
        proxy.cut();
        proxy.resume();
        await().atMost(BOUND).until(() -> events.events().contains("reconnected"));

        MyMqtt publisher = clients.started(broker);
        for (int i = 0; i < 3; i++) {
            publisher.publish("closing/x", "m" + i, Qos.AT_LEAST_ONCE, false).get();
        }
        publisher.publish("marker", "done", Qos.AT_LEAST_ONCE, false).get();
        marker.awaitPayload("done");
        assertThat(strays).as("messages on the closed filter").isEmpty();
    }
}
