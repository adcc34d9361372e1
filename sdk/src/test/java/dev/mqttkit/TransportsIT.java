package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.internal.net.TlsContexts;
import dev.mqttkit.testing.LocalProxy;
import dev.mqttkit.testing.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same client behaviour on every transport: MQTT over WebSockets ({@code ws://}, {@code wss://} with TLS from
 * PEM), through an HTTP proxy (tinyproxy) and through a SOCKS5 proxy (danted), against Mosquitto's WebSocket and TLS
 * listeners. Each transport runs the course's lab flow and a QoS 1 stream with nothing lost.
 */
class TransportsIT {

    static final TestCertificates CERTS = TestCertificates.generate();

    @RegisterExtension
    static final MosquittoBroker WS = MosquittoBroker.builder().webSockets().build();

    @RegisterExtension
    static final MosquittoBroker WSS = MosquittoBroker.builder()
            .tls(CERTS.ca(), CERTS.server(), CERTS.serverKey(), false).webSockets().build();

    /** A second server: the embedded HiveMQ CE broker's WebSocket listener (path /mqtt). */
    @RegisterExtension
    static final MosquittoBroker HIVEMQ = MosquittoBroker.builder().kind(MosquittoBroker.Kind.EMBEDDED)
            .webSockets().build();

    /** A third: ActiveMQ Artemis, whose MQTT acceptors take the WebSocket upgrade themselves. */
    @RegisterExtension
    static final MosquittoBroker ARTEMIS = MosquittoBroker.builder().kind(MosquittoBroker.Kind.ARTEMIS)
            .webSockets().build();

    private static LocalProxy httpProxy;
    private static LocalProxy socksProxy;

    @RegisterExtension
    final Clients clients = new Clients();

    @AfterAll
    static void stopProxies() {
        if (httpProxy != null) {
            httpProxy.close();
        }
        if (socksProxy != null) {
            socksProxy.close();
        }
    }

    private static synchronized LocalProxy httpProxy() {
        if (httpProxy == null) {
            httpProxy = LocalProxy.http();
        }
        return httpProxy;
    }

    private static synchronized LocalProxy socksProxy() {
        if (socksProxy == null) {
            socksProxy = LocalProxy.socks5();
        }
        return socksProxy;
    }

    /** Each transport: its name, and how a builder reaches the broker over it. */
    static Stream<Arguments> transports() {
        Function<MyMqtt.Builder, MyMqtt.Builder> ws = b -> b.serverUri(WS.webSocketUri());
        Function<MyMqtt.Builder, MyMqtt.Builder> wss = b -> b.serverUri(WSS.webSocketUri())
                .tls(Tls.trusting(CERTS.ca()));
        Function<MyMqtt.Builder, MyMqtt.Builder> wsHttpProxy = b -> b.serverUri(WS.webSocketUri())
                .proxy(Proxy.http(httpProxy().host(), httpProxy().port()));
        Function<MyMqtt.Builder, MyMqtt.Builder> tcpSocks = b -> b.serverUri(WS.uri())
                .proxy(Proxy.socks5(socksProxy().host(), socksProxy().port()));
        Function<MyMqtt.Builder, MyMqtt.Builder> wsHiveMq = b -> b.serverUri(HIVEMQ.webSocketUri());
        Function<MyMqtt.Builder, MyMqtt.Builder> wsArtemis = b -> b.serverUri(ARTEMIS.webSocketUri());
        return Stream.of(Arguments.of("ws", ws), Arguments.of("wss", wss), Arguments.of("ws to HiveMQ", wsHiveMq),
                Arguments.of("ws to Artemis", wsArtemis),
                Arguments.of("ws through an HTTP proxy", wsHttpProxy), Arguments.of("tcp through SOCKS5", tcpSocks));
    }

    private MyMqtt.Builder builder(Function<MyMqtt.Builder, MyMqtt.Builder> transport) {
        return transport.apply(MyMqtt.builder().clientId(Clients.uniqueId("transport")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void labFlow_defaultQos_theNotifierGetsTheMessageOnce(String name,
            Function<MyMqtt.Builder, MyMqtt.Builder> transport) throws Exception {
        List<String> notified = new CopyOnWriteArrayList<>();
        MyMqtt lab = clients.started(builder(transport)
                .notifier((topic, payload) -> notified.add(topic + " " + new String(payload, StandardCharsets.UTF_8))));
        lab.subscribe("led");

        lab.publish("led", "on").get(15, TimeUnit.SECONDS);

        await().atMost(Recorder.TIMEOUT).until(() -> notified.size() >= 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> notified.size() == 1);
        assertThat(notified).containsExactly("led on");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void qos1Stream_tenThousandMessages_noneLostNoneFailed(String name,
            Function<MyMqtt.Builder, MyMqtt.Builder> transport) throws Exception {
        int count = 10_000;
        String topic = "stream/" + name.replace(' ', '-');
        Set<String> received = ConcurrentHashMap.newKeySet();
        MyMqtt subscriber = clients.started(builder(transport));
        subscriber.subscribe(topic, Qos.AT_LEAST_ONCE, message -> received.add(message.payloadAsString()));
        MyMqtt publisher = clients.started(builder(transport));

        List<CompletableFuture<Void>> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sent.add(publisher.publish(topic, "m" + i, Qos.AT_LEAST_ONCE, false));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(received)
                .as("%s: messages received (subscriber: %s)", name, subscriber.metrics()).hasSize(count));
        assertThat(sent).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
    }

    static Stream<Arguments> webSockets() {
        return transports().limit(2); // ws and wss
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webSockets")
    void receiveQueueFull_listenerSlowerThanTheKeepAlive_pingsStillGetThroughTheFrames(String name,
            Function<MyMqtt.Builder, MyMqtt.Builder> transport) throws Exception {
        // the receive gate reads in short slices while it holds messages back: a slice may end inside a WebSocket
        // frame, and the broker's PINGRESP behind the held messages must still arrive
        LostAndReconnected events = new LostAndReconnected();
        List<String> calls = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.started(builder(transport).keepAlive(Duration.ofSeconds(1))
                .receiveQueue(1, 1 << 20).connectionListener(events));
        subscriber.subscribe("slow/+", Qos.AT_LEAST_ONCE, message -> {
            calls.add(message.payloadAsString());
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_500));
        });
        MyMqtt publisher = clients.started(builder(transport));
        for (int i = 0; i < 4; i++) {
            publisher.publish("slow/" + i, "m" + i, Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> calls.size() >= 4);
        assertThat(calls).as("each listener call once").containsExactly("m0", "m1", "m2", "m3");
        assertThat(events.events()).as("connection events").isEmpty();
        assertThat(subscriber.isConnected()).isTrue();
    }

    @Test
    void wss_hostileEmojiTopic_isReceivedUnderItsRealName() throws Exception {
        Recorder received = new Recorder();
        MyMqtt subscriber = clients.started(MyMqtt.builder().clientId(Clients.uniqueId("wss-sub"))
                .serverUri(WSS.webSocketUri()).tls(Tls.trusting(CERTS.ca())));
        subscriber.subscribe("chat/#", Qos.AT_LEAST_ONCE, received);
        // mqttkit does not send such topics (Paho cannot): a raw client over the broker's TLS port does
        try (RawMqttClient attacker = RawMqttClient.connect(WSS.uri(), "attacker-wss",
                TlsContexts.socketFactory(Tls.trusting(CERTS.ca()), WSS.uri()))) {
            attacker.publishQos1("chat/😀".getBytes(StandardCharsets.UTF_8), "hi");
            attacker.publishQos1("chat/plain".getBytes(StandardCharsets.UTF_8), "after");
        }

        assertThat(received.awaitCount(2)).extracting(Message::topic).containsExactly("chat/😀", "chat/plain");
        assertThat(subscriber.isConnected()).isTrue();
    }

    @Test
    void ws_failoverList_firstBrokerDown_connectsToTheNextAndNamesItsUri() throws Exception {
        int closedPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        List<String> connected = new CopyOnWriteArrayList<>();
        MyMqtt client = clients.started(MyMqtt.builder().clientId(Clients.uniqueId("ws-failover"))
                .serverUris("ws://127.0.0.1:" + closedPort + "/mqtt", WS.webSocketUri())
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(String serverUri, boolean reconnect) {
                        connected.add(serverUri);
                    }
                }));
        Recorder received = new Recorder();
        client.subscribe("failover/led", Qos.AT_LEAST_ONCE, received);
        client.publish("failover/led", "on", Qos.AT_LEAST_ONCE, false).get(15, TimeUnit.SECONDS);

        assertThat(received.awaitPayload("on")).containsExactly("on");
        assertThat(connected).containsExactly(WS.webSocketUri());
    }

    @Test
    void ws_brokerRestarts_clientReconnectsResubscribesAndReceives() throws Exception {
        Recorder received = new Recorder();
        List<String> events = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = clients.started(MyMqtt.builder().clientId(Clients.uniqueId("ws-reconnect"))
                .serverUri(WS.webSocketUri()).reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onReconnected(String serverUri, boolean sessionPresent) {
                        events.add("reconnected to " + serverUri);
                    }
                }));
        subscriber.subscribe("again/led", Qos.AT_LEAST_ONCE, received);

        WS.restart();
        await().atMost(Recorder.TIMEOUT).until(() -> !events.isEmpty());
        MyMqtt publisher = clients.started(MyMqtt.builder().clientId(Clients.uniqueId("ws-pub"))
                .serverUri(WS.webSocketUri()));
        publisher.publish("again/led", "on", Qos.AT_LEAST_ONCE, false).get(15, TimeUnit.SECONDS);

        assertThat(received.awaitPayload("on")).containsExactly("on");
        assertThat(events).containsExactly("reconnected to " + WS.webSocketUri());
    }
}
