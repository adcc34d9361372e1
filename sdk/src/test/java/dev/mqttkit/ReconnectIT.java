package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker dies and comes back on the same port: automatic reconnect restores the subscriptions. */
@MosquittoTest
class ReconnectIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void brokerKilledAndRestarted_clientReconnectsAndResubscribes(MosquittoBroker broker) throws Exception {
        broker.assumeKillable();
        List<String> events = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder();
        MyMqtt client = clients.started(clients.builder(broker).automaticReconnect(true)
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(String serverUri, boolean reconnect) {
                        events.add(reconnect ? "reconnected" : "connected");
                    }

                    @Override
                    public void onConnectionLost(String serverUri, Throwable cause) {
                        events.add("lost");
                    }
                }));
        client.subscribe("led", Qos.AT_LEAST_ONCE, recorder);

        broker.kill();
        await().atMost(Recorder.TIMEOUT).until(() -> events.contains("lost"));
        broker.start();
        await().atMost(Recorder.TIMEOUT).until(() -> events.contains("reconnected"));

        clients.started(broker).publish("led", "back", Qos.AT_LEAST_ONCE, false).get();
        assertThat(recorder.awaitPayload("back")).containsExactly("back");
        assertThat(events).containsExactly("connected", "lost", "reconnected");
    }

    @Test
    void brokerStopped_pendingSubscribeBeforeRestart_madeOnReconnect(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(clients.builder(broker).automaticReconnect(true));
        broker.stop();
        await().atMost(Recorder.TIMEOUT).until(() -> !client.isConnected());

        Recorder recorder = new Recorder();
        client.subscribe("while/down", Qos.AT_LEAST_ONCE, recorder);
        broker.start();
        await().atMost(Recorder.TIMEOUT).until(client::isConnected);

        MyMqtt publisher = clients.started(broker);
        await().atMost(Recorder.TIMEOUT).untilAsserted(() -> {
            publisher.publish("while/down", "hello", Qos.AT_LEAST_ONCE, false).get();
            assertThat(recorder.payloads()).contains("hello");
        });
    }

    @Test
    void stop_whileReconnecting_freesEveryThread(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(clients.builder(broker).automaticReconnect(true));
        broker.stop();
        await().atMost(Recorder.TIMEOUT).until(() -> !client.isConnected());

        client.stop();
        broker.start();

        await().atMost(Recorder.TIMEOUT).untilAsserted(() -> assertThat(ConnectionIT.threadsOf(client.clientId())).isEmpty());
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void durableSessionReconnects_onlyMissingSubscriptionsAreMade(MosquittoBroker broker) throws Exception {
        String id = Clients.uniqueId("durable-reconnect");
        MyMqtt publisher = clients.started(broker);
        publisher.publish("status/a", "retained-a", Qos.AT_LEAST_ONCE, true).get();
        List<String> events = new CopyOnWriteArrayList<>();
        MyMqtt client = clients.started(clients.builder(broker).clientId(id).cleanSession(false).automaticReconnect(true)
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(String serverUri, boolean reconnect) {
                        events.add(reconnect ? "reconnected" : "connected");
                    }
                }));
        Recorder a = new Recorder();
        client.subscribe("status/a", Qos.AT_LEAST_ONCE, a);
        a.awaitPayload("retained-a");

        client.socket().close();
        await().atMost(Recorder.TIMEOUT).until(() -> !client.isConnected());
        Recorder b = new Recorder();
        client.subscribe("status/b", Qos.AT_LEAST_ONCE, b);
        await().atMost(Recorder.TIMEOUT).until(() -> events.contains("reconnected"));

        publisher.publish("status/a", "live-a", Qos.AT_LEAST_ONCE, false).get();
        publisher.publish("status/b", "live-b", Qos.AT_LEAST_ONCE, false).get();
        // the broker kept status/a: subscribing it again would have sent the retained message a second time
        assertThat(a.awaitPayload("live-a")).containsExactly("retained-a", "live-a");
        assertThat(b.awaitPayload("live-b")).containsExactly("live-b");

        publisher.publish("status/a", "", Qos.AT_LEAST_ONCE, true).get();
        client.stop();
        clients.started(clients.builder(broker).clientId(id).cleanSession(true)).stop();
    }

    @Test
    void flappingNetwork_eachNewConnectionResetSoonAfter_clientKeepsReconnectingAndLosesNothing(
            MosquittoBroker broker) throws Exception {
        // the second review's case: a connection that drops again while the reconnect attempt is still restoring
        // the session (sending the offline buffer) must lead to another attempt, not to a client that gives up
        Set<String> received = ConcurrentHashMap.newKeySet();
        clients.started(broker).subscribe("flap/#", Qos.AT_LEAST_ONCE, message -> received.add(message.payloadAsString()));
        try (FaultyProxy proxy = FaultyProxy.to(broker.port())) {
            MyMqtt publisher = clients.started(clients.builder(broker).serverUri(proxy.uri()).cleanSession(false)
                    .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).ackTimeout(Duration.ofMinutes(5)));
            proxy.resetAfter(Duration.ofMillis(20), Duration.ofMillis(400));
            proxy.cut();
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            long flapUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            int total = 0;
            while (System.nanoTime() < flapUntil) {
                sent.add(publisher.publish("flap/" + total, "m" + total++, Qos.AT_LEAST_ONCE, false));
                if (total % 20 == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // pace: about 2,000 a second
                }
            }
            int accepted = proxy.connectionsAccepted();
            proxy.resetAfter(null, null); // the network heals

            await().atMost(Duration.ofSeconds(30)).until(publisher::isConnected);
            try {
                CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                List<Integer> pending = new ArrayList<>();
                for (int i = 0; i < sent.size(); i++) {
                    if (!sent.get(i).isDone()) {
                        pending.add(i);
                    }
                }
                throw new AssertionError(pending.size() + " of " + sent.size() + " futures pending: " + pending
                        + "; received " + received.size() + ", free slots " + publisher.freeInflightSlots()
                        + ", connected " + publisher.isConnected(), e);
            }
            int published = total;
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == published);
            System.out.printf("[ReconnectIT] flapping: %d messages, %d connections while flapping, all delivered%n",
                    published, accepted);
            assertThat(accepted).as("connections made while flapping").isGreaterThan(5);
        }
    }
}
