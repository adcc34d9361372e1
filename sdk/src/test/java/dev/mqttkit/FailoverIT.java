package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several brokers: {@code serverUris(...)} tries them in order, then round-robin after failed attempts. */
class FailoverIT {

    @RegisterExtension
    static final MosquittoBroker FIRST = MosquittoBroker.builder().build();

    @RegisterExtension
    static final MosquittoBroker SECOND = MosquittoBroker.builder().build();

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void firstBrokerDies_clientMovesToTheSecond_andPublishesThere() throws Exception {
        FIRST.assumeKillable();
        List<String> events = new CopyOnWriteArrayList<>();
        MyMqtt client = clients.started(MyMqtt.builder().serverUris(FIRST.uri(), SECOND.uri())
                .clientId(Clients.uniqueId("failover")).connectTimeout(Duration.ofSeconds(2))
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(String serverUri, boolean reconnect) {
                        events.add("connected " + serverUri);
                    }

                    @Override
                    public void onConnectionLost(String serverUri, Throwable cause) {
                        events.add("lost " + serverUri);
                    }

                    @Override
                    public void onReconnected(String serverUri, boolean sessionPresent) {
                        events.add("reconnected " + serverUri);
                    }
                }));
        Recorder recorder = new Recorder();
        client.subscribe("failover/news", Qos.AT_LEAST_ONCE, recorder);

        FIRST.kill();
        await().atMost(Recorder.TIMEOUT).until(() -> events.contains("reconnected " + SECOND.uri()));
        clients.started(SECOND).publish("failover/news", "from the second", Qos.AT_LEAST_ONCE, false).get();
        client.publish("failover/news", "mine", Qos.AT_LEAST_ONCE, false).get();

        assertThat(recorder.awaitPayload("mine")).containsExactly("from the second", "mine");
        assertThat(events).containsExactly("connected " + FIRST.uri(), "lost " + FIRST.uri(),
                "reconnected " + SECOND.uri());
        FIRST.start();
    }

    @Test
    void firstBrokerDownAtStart_startConnectsToTheSecond() throws Exception {
        FIRST.assumeKillable();
        FIRST.stop();
        try {
            List<String> connected = new CopyOnWriteArrayList<>();
            clients.started(MyMqtt.builder().serverUris(FIRST.uri(), SECOND.uri()).clientId(Clients.uniqueId("fo"))
                    .connectTimeout(Duration.ofSeconds(2)).connectionListener(new ConnectionListener() {
                        @Override
                        public void onConnected(String serverUri, boolean reconnect) {
                            connected.add(serverUri);
                        }
                    }));
            await().atMost(Recorder.TIMEOUT).until(() -> connected.contains(SECOND.uri()));
        } finally {
            FIRST.start();
        }
    }

    @Test
    void mixedSchemes_refusedNamingThem() {
        assertThatThrownBy(() -> MyMqtt.builder().serverUris("tcp://a:1883", "ssl://b:8883"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Server URIs [tcp://a:1883, ssl://b:8883] must all have the same scheme (all tcp://, all "
                        + "ssl://, all ws:// or all wss://).");
    }
}
