package dev.mqttkit.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.mqttkit.PublishFailedException;
import dev.mqttkit.Qos;
import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.ReconnectPolicy;
import dev.mqttkit.internal.TransportSettings;
import dev.mqttkit.internal.persist.SessionMemory;
import dev.mqttkit.internal.persist.TrackingPersistence;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** Which publishes go out on the socket past Paho (QoS 0, nothing unfinished), with a mocked Paho client. */
class OutboundPublishesTest {

    private static final String URI = "tcp://127.0.0.1:1883";

    private final MqttAsyncClient client = mock(MqttAsyncClient.class);
    /** What the socket was given, as "topic payload-length retain". */
    private final List<String> direct = new CopyOnWriteArrayList<>();
    private OutboundPublishes outbound;

    private OutboundPublishes outbound(OutboundPublishes.AtMostOnceOutput output) {
        return outbound(output, Duration.ofSeconds(2), () -> { });
    }

    private OutboundPublishes outbound(OutboundPublishes.AtMostOnceOutput output, Duration operationTimeout,
            Runnable dropStalled) {
        ClientSettings settings = new ClientSettings(URI, "unit", true, Duration.ofSeconds(60),
                Duration.ofSeconds(2), operationTimeout, null, null, null, 10, false, true, null, true,
                false, List.of(URI), ReconnectPolicy.DEFAULT, Duration.ofSeconds(60), 0, 1, 100, 1 << 20, null, false,
                TransportSettings.DEFAULT);
        when(client.isConnected()).thenReturn(true);
        outbound = new OutboundPublishes(settings, client, new TrackingPersistence(new SessionMemory()),
                new PahoFailures(settings), new BrokerQos("unit", URI, false), output, dropStalled);
        return outbound;
    }

    private OutboundPublishes recordingDirect() {
        return outbound((topic, payload, retain) -> direct.add(topic + " " + payload.length + " " + retain));
    }

    /** Paho takes every publish (and never completes it). */
    private void pahoTakesPublishes() throws Exception {
        when(client.publish(any(), any(MqttMessage.class), isNull(), any())).thenReturn(mock(IMqttDeliveryToken.class));
    }

    @AfterEach
    void shutdown() {
        if (outbound != null) {
            outbound.shutdown();
        }
    }

    @Test
    void qos0_nothingUnfinished_goesOutOnTheSocketPastPaho_andItsFutureIsDoneOnReturn() throws Exception {
        OutboundPublishes outbound = recordingDirect();
        CompletableFuture<Void> future = new CompletableFuture<>();

        assertThat(outbound.publish("a/b", new byte[3], Qos.AT_MOST_ONCE, true, future)).isTrue();

        assertThat(direct).containsExactly("a/b 3 true");
        assertThat(future).isCompleted();
        assertThat(outbound.window().available()).isEqualTo(10);
        verify(client, never()).publish(any(), any(MqttMessage.class), any(), any());
    }

    @Test
    void qos0_whileAQos1PublishIsUnfinished_goesThroughPahoAfterIt_soItCannotOvertakeIt() throws Exception {
        pahoTakesPublishes();
        OutboundPublishes outbound = recordingDirect();

        outbound.publish("one", new byte[1], Qos.AT_LEAST_ONCE, false, new CompletableFuture<>());
        outbound.publish("zero", new byte[1], Qos.AT_MOST_ONCE, false, new CompletableFuture<>());

        assertThat(direct).isEmpty();
        InOrder order = inOrder(client);
        order.verify(client).publish(eq("one"), any(MqttMessage.class), isNull(), any());
        order.verify(client).publish(eq("zero"), any(MqttMessage.class), isNull(), any());
    }

    @Test
    void qos1And2_alwaysGoThroughPaho() throws Exception {
        pahoTakesPublishes();
        OutboundPublishes outbound = recordingDirect();

        outbound.publish("one", new byte[1], Qos.AT_LEAST_ONCE, false, new CompletableFuture<>());
        outbound.publish("two", new byte[1], Qos.EXACTLY_ONCE, false, new CompletableFuture<>());

        assertThat(direct).isEmpty();
        verify(client).publish(eq("two"), any(MqttMessage.class), isNull(), any());
    }

    @Test
    void qos0_theSocketCannotTakeIt_goesThroughPaho() throws Exception {
        pahoTakesPublishes();
        OutboundPublishes outbound = outbound(OutboundPublishes.AtMostOnceOutput.NONE);
        CompletableFuture<Void> future = new CompletableFuture<>();

        assertThat(outbound.publish("t", new byte[1], Qos.AT_MOST_ONCE, false, future)).isTrue();

        verify(client).publish(eq("t"), any(MqttMessage.class), isNull(), any());
        assertThat(future).isNotDone(); // Paho completes it once written
    }

    @Test
    void qos0_theConnectionBreaksWhileWriting_failsInDoubtNamingTheTopicAndTheBroker() throws Exception {
        OutboundPublishes outbound = outbound((topic, payload, retain) -> {
            throw new SocketException("Broken pipe");
        });
        CompletableFuture<Void> future = new CompletableFuture<>();

        assertThat(outbound.publish("t", new byte[1], Qos.AT_MOST_ONCE, false, future)).isTrue();

        assertThat(future).failsWithin(1, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(PublishFailedException.class)
                .withMessage("Cannot publish to [t]: the connection to " + URI + " was lost (Broken pipe). The broker "
                        + "may have received the message on [t] before that.")
                .satisfies(e -> assertThat(((PublishFailedException) e).mayHaveArrived()).isTrue());
        verify(client, never()).publish(any(), any(MqttMessage.class), any(), any());
    }

    @Test
    void qos0_withACallbackAlreadyChained_completesOnTheCompletionThread_notTheCallers() throws Exception {
        OutboundPublishes outbound = recordingDirect();
        CompletableFuture<Void> future = new CompletableFuture<>(); // from the offline buffer: returned long ago
        CompletableFuture<String> ranOn = future.thenApply(done -> Thread.currentThread().getName());

        outbound.publish("t", new byte[1], Qos.AT_MOST_ONCE, false, future);

        assertThat(ranOn.get(5, TimeUnit.SECONDS)).startsWith("mqttkit-complete-unit");
    }

    @Test
    void qos0_aWriteTheSocketDoesNotTakeWithinTheOperationTimeout_dropsTheConnection_andFailsInDoubt()
            throws Exception {
        // a broker or network that stopped taking data: the write blocks until the socket is closed under it
        CountDownLatch closed = new CountDownLatch(1);
        AtomicLong droppedAfterNanos = new AtomicLong();
        long start = System.nanoTime();
        Duration timeout = Duration.ofMillis(300);
        OutboundPublishes outbound = outbound((topic, payload, retain) -> {
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            throw new SocketException("Socket closed");
        }, timeout, () -> {
            droppedAfterNanos.set(System.nanoTime() - start);
            closed.countDown();
        });
        CompletableFuture<Void> future = new CompletableFuture<>();

        CompletableFuture<Boolean> publishing = CompletableFuture.supplyAsync(
                () -> outbound.publish("stuck", new byte[1], Qos.AT_MOST_ONCE, false, future));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            outbound.failOverdue(); // what the acknowledgement-timeout check runs every 250 ms
            assertThat(closed.getCount()).isZero();
        });

        assertThat(publishing.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(droppedAfterNanos.get()).isGreaterThan(timeout.toNanos());
        assertThat(future).failsWithin(1, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(PublishFailedException.class)
                .withMessage("Cannot publish to [stuck]: the connection to " + URI + " was lost (Socket closed). The "
                        + "broker may have received the message on [stuck] before that.");
    }
}
