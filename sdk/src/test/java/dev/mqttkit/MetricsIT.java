package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.testing.BrokerFeature;
import dev.mqttkit.testing.MosquittoBroker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** {@link MyMqtt#metrics()} against a real broker: each count and gauge moves when what it counts happens. */
class MetricsIT {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().build();

    @RegisterExtension
    final Clients clients = new Clients();

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger deliveryLog = (Logger) LoggerFactory.getLogger(Delivery.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        deliveryLog.addAppender(logged);
        deliveryLog.setAdditive(false); // listener failures on purpose: captured, not printed
    }

    @AfterEach
    void releaseLog() {
        deliveryLog.detachAppender(logged);
        deliveryLog.setAdditive(true);
    }

    @Test
    void newClient_allZero_notConnected() {
        MyMqtt client = clients.track(clients.builder(BROKER).build());

        ClientMetrics metrics = client.metrics();

        assertThat(metrics.connected()).isFalse();
        assertThat(List.of(metrics.published(), metrics.received(), metrics.publishFailures(), metrics.reconnects(),
                metrics.bytesIn(), metrics.bytesOut(), (long) metrics.inFlight(), (long) metrics.bufferedOffline(),
                (long) metrics.receiveQueue())).containsOnly(0L);
    }

    @Test
    void publishedAndReceived_countedByQos_withBytesBothWays() throws Exception {
        BROKER.assumeSupports(BrokerFeature.QOS_2, "messages are counted at each of the three QoS");
        MyMqtt subscriber = clients.started(BROKER);
        Recorder received = new Recorder();
        subscriber.subscribe("metrics/#", Qos.EXACTLY_ONCE, received);
        MyMqtt publisher = clients.started(BROKER);
        long subscriberBytesBefore = subscriber.metrics().bytesIn();

        for (Qos qos : Qos.values()) {
            CompletableFuture<?>[] sent = IntStream.range(0, 10 + qos.value())
                    .mapToObj(i -> publisher.publish("metrics/" + qos.value(), "x".repeat(100), qos, false))
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(sent).get(10, TimeUnit.SECONDS);
        }
        received.awaitCount(33);

        ClientMetrics sent = publisher.metrics();
        assertThat(new long[] {sent.published(Qos.AT_MOST_ONCE), sent.published(Qos.AT_LEAST_ONCE),
                sent.published(Qos.EXACTLY_ONCE)}).containsExactly(10, 11, 12);
        assertThat(sent.published()).isEqualTo(33);
        assertThat(sent.publishFailures()).isZero();
        assertThat(sent.bytesOut()).isGreaterThan(33 * 100);
        assertThat(sent.connected()).isTrue();
        await().atMost(Recorder.TIMEOUT).until(() -> subscriber.metrics().received() == 33);
        ClientMetrics got = subscriber.metrics();
        assertThat(new long[] {got.received(Qos.AT_MOST_ONCE), got.received(Qos.AT_LEAST_ONCE),
                got.received(Qos.EXACTLY_ONCE)}).containsExactly(10, 11, 12);
        assertThat(got.bytesIn() - subscriberBytesBefore).isGreaterThan(33 * 100);
        await().atMost(Recorder.TIMEOUT).until(() -> publisher.metrics().inFlight() == 0);
    }

    @Test
    void listenerAndDecodeErrors_counted() throws Exception {
        MyMqtt subscriber = clients.started(clients.builder(BROKER).errorListener((message, error) -> { }));
        CountDownLatch both = new CountDownLatch(2);
        subscriber.subscribe("errors/throw", message -> {
            both.countDown();
            throw new IllegalStateException("on purpose");
        });
        subscriber.subscribeWith().filter("errors/number").decode(PayloadCodecs.integers())
                .listen(message -> { });
        subscriber.subscribe("errors/number", message -> both.countDown());
        MyMqtt publisher = clients.started(BROKER);

        publisher.publish("errors/throw", "x").get();
        publisher.publish("errors/number", "not a number").get();

        assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Recorder.TIMEOUT).until(() -> subscriber.metrics().decodeErrors() == 1);
        assertThat(subscriber.metrics().listenerErrors()).isEqualTo(1);
    }

    @Test
    void slowListener_receiveQueueDepthShows() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MyMqtt subscriber = clients.started(BROKER);
        subscriber.subscribe("slow", Qos.AT_LEAST_ONCE, message -> release.await(10, TimeUnit.SECONDS));
        MyMqtt publisher = clients.started(BROKER);

        for (int i = 0; i < 5; i++) {
            publisher.publish("slow", "m" + i, Qos.AT_LEAST_ONCE, false).get();
        }

        // one message in the listener; the dispatcher may hold the next, taken from the queue (seen on HiveMQ CE)
        await().atMost(Recorder.TIMEOUT).until(() -> subscriber.metrics().received() == 5);
        await().atMost(Recorder.TIMEOUT).untilAsserted(() -> assertThat(subscriber.metrics().receiveQueue())
                .as("%s", subscriber.metrics()).isBetween(3, 4));
        release.countDown();
        await().atMost(Recorder.TIMEOUT).until(() -> subscriber.metrics().receiveQueue() == 0);
    }

    @Test
    void brokerDown_bufferedOffline_thenReconnectCounted() throws Exception {
        BROKER.assumeKillable();
        MyMqtt publisher = clients.started(clients.builder(BROKER).cleanSession(false));

        BROKER.kill();
        CompletableFuture<Void> first;
        CompletableFuture<Void> second;
        try {
            await().atMost(Recorder.TIMEOUT).until(() -> !publisher.isConnected());
            first = publisher.publish("offline", "1", Qos.AT_LEAST_ONCE, false);
            second = publisher.publish("offline", "2", Qos.AT_LEAST_ONCE, false);
            ClientMetrics down = publisher.metrics();
            assertThat(down.bufferedOffline()).isEqualTo(2);
            assertThat(down.connected()).isFalse();
            assertThat(down.connectionLosses()).isEqualTo(1);
        } finally {
            BROKER.start();
        }

        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
        ClientMetrics up = publisher.metrics();
        assertThat(up.reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(up.bufferedOffline()).isZero();
        assertThat(up.published(Qos.AT_LEAST_ONCE)).isEqualTo(2);
    }

    @Test
    void failedPublish_counted() {
        BROKER.assumeKillable();
        MyMqtt publisher = clients.started(clients.builder(BROKER).automaticReconnect(false));
        BROKER.kill();
        try {
            await().atMost(Recorder.TIMEOUT).until(() -> !publisher.isConnected());

            CompletableFuture<Void> refused = publisher.publish("nowhere", "x");

            assertThat(refused).failsWithin(Recorder.TIMEOUT);
            assertThat(publisher.metrics().publishFailures()).isEqualTo(1);
            assertThat(publisher.metrics().published()).isZero();
        } finally {
            BROKER.start();
        }
    }
}
