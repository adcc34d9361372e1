package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@MosquittoTest
class ConnectionIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void start_nothingListening_failsWithinConnectTimeoutNamingUri() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String uri = "tcp://127.0.0.1:" + closedPort;
        MyMqtt client = clients.track(MyMqtt.builder().serverUri(uri).clientId("nobody-home")
                .connectTimeout(Duration.ofSeconds(3)).build());

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(client::start)
                .isInstanceOf(ConnectionException.class)
                .hasMessage("Cannot connect to " + uri + ": connection refused (is a broker listening there?).")
                .satisfies(e -> assertThat(((ConnectionException) e).serverUri()).isEqualTo(uri)));
        assertThat(client.isConnected()).isFalse();
        assertThat(threadsOf("nobody-home")).isEmpty();
    }

    @Test
    void start_serverNeverAnswers_timesOutWithinConnectTimeout() throws Exception {
        // a TCP server that accepts and then stays silent: no CONNACK ever comes
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String uri = "tcp://127.0.0.1:" + silent.getLocalPort();
            MyMqtt client = clients.track(MyMqtt.builder().serverUri(uri).clientId("silent-broker")
                    .connectTimeout(Duration.ofSeconds(2)).build());

            assertTimeoutPreemptively(Duration.ofSeconds(6), () -> assertThatThrownBy(client::start)
                    .isInstanceOf(OperationTimeoutException.class)
                    .hasMessage("Timed out after 2s connecting to " + uri + ": the broker sent no CONNACK.")
                    .satisfies(e -> assertThat(((OperationTimeoutException) e).timeout()).isEqualTo(Duration.ofSeconds(2))));
            await().atMost(Recorder.TIMEOUT).untilAsserted(() -> assertThat(threadsOf("silent-broker")).isEmpty());
        }
    }

    @Test
    void publish_qos2_leavesNoPersistenceFilesInWorkingDirectory(MosquittoBroker broker) throws Exception {
        // Paho's default file persistence would leave a <clientId>-<uri> folder with a .lck file here
        MyMqtt client = clients.started(broker);
        client.subscribe("led", Qos.EXACTLY_ONCE, message -> { });
        client.publish("led", "on", Qos.EXACTLY_ONCE, false).get();
        client.stop();

        try (var entries = java.nio.file.Files.list(java.nio.file.Path.of(""))) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.contains(client.clientId()) || name.endsWith(".lck"));
        }
    }

    @Test
    void start_labConstructor_connects(MosquittoBroker broker) {
        MyMqtt lab = clients.track(new MyMqtt(Clients.uniqueId("lab"), "127.0.0.1", broker.port(), (t, p) -> { }));
        lab.start();
        assertThat(lab.isConnected()).isTrue();
        assertThat(lab.serverUri()).isEqualTo(broker.uri());
    }

    @Test
    void start_twice_throws(MosquittoBroker broker) {
        MyMqtt client = clients.started(broker);
        assertThatThrownBy(client::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("MyMqtt [" + client.clientId() + "] is already started; call stop() first.");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void stop_isIdempotentAndFreesEveryThread(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(broker);
        client.subscribe("led", message -> { });
        client.publish("led", "on").get();
        assertThat(threadsOf(client.clientId())).isNotEmpty();

        client.stop();
        client.stop();

        assertThat(client.isConnected()).isFalse();
        await().atMost(Recorder.TIMEOUT).untilAsserted(() -> assertThat(threadsOf(client.clientId())).isEmpty());
    }

    @Test
    void stop_beforeStart_doesNothing() {
        MyMqtt client = MyMqtt.builder().serverUri("tcp://127.0.0.1:1").build();
        client.stop();
        client.close();
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void stopThenStart_reconnectsWithListenersKept(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(broker);
        Recorder recorder = new Recorder();
        client.subscribe("led", Qos.AT_LEAST_ONCE, recorder);
        client.stop();
        client.start();

        clients.started(broker).publish("led", "on").get();

        assertThat(recorder.awaitPayload("on")).containsExactly("on");
    }

    @Test
    void stop_fromInsideListener_returnsAndDisconnects(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(broker);
        client.subscribe("quit", message -> client.stop());

        clients.started(broker).publish("quit", "now").get();

        await().atMost(Recorder.TIMEOUT).until(() -> !client.isConnected());
        await().atMost(Recorder.TIMEOUT).untilAsserted(() -> assertThat(threadsOf(client.clientId())).isEmpty());
    }

    @Test
    void publish_beforeStart_throwsNamingTheClient() {
        MyMqtt client = MyMqtt.builder().serverUri("tcp://127.0.0.1:1").clientId("early").build();
        assertThatThrownBy(() -> client.publish("led", "on")).isInstanceOf(IllegalStateException.class)
                .hasMessage("MyMqtt [early] is not started: call start() before publishing to [led].");
    }

    @Test
    void socket_byDefault_hasTcpNoDelay(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(broker);
        assertThat(client.socket().getTcpNoDelay()).isTrue();
    }

    @Test
    void socket_tcpNoDelayOff_keepsNagle(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(clients.builder(broker).tcpNoDelay(false));
        client.publish("led", "on").get();
        assertThat(client.socket().getTcpNoDelay()).isFalse();
    }

    @Test
    void connectionListener_toldOfConnectAndLoss(MosquittoBroker broker) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        MyMqtt client = clients.started(clients.builder(broker).connectionListener(new ConnectionListener() {
            @Override
            public void onConnected(String serverUri, boolean reconnect) {
                events.add("connected " + serverUri + " " + reconnect);
            }

            @Override
            public void onConnectionLost(String serverUri, Throwable cause) {
                events.add("lost " + serverUri + " " + cause.getClass().getSimpleName());
            }
        }));
        await().atMost(Recorder.TIMEOUT).until(() -> events.size() == 1);

        client.socket().close();

        await().atMost(Recorder.TIMEOUT).until(() -> events.size() == 2);
        assertThat(events).containsExactly("connected " + broker.uri() + " false",
                "lost " + broker.uri() + " ConnectionException");
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void publish_afterConnectionLost_reconnectOff_failsNotSent(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(clients.builder(broker).automaticReconnect(false));
        client.socket().close();
        await().atMost(Recorder.TIMEOUT).until(() -> !client.isConnected());

        assertThat(client.publish("led", "on")).failsWithin(Recorder.TIMEOUT)
                .withThrowableThat().havingCause().isInstanceOf(PublishFailedException.class)
                .withMessage("Cannot publish to [led]: not connected to " + broker.uri()
                        + ", and automatic reconnect is off; the message was not sent.")
                .satisfies(e -> assertThat(((PublishFailedException) e).mayHaveArrived()).isFalse());
    }

    static List<String> threadsOf(String clientId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains(clientId))
                .toList();
    }
}
