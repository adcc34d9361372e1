package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a reconnect the broker refuses a filter it used to grant (its ACL changed; here: the connection comes
 * back to another broker that denies it). Before, the client flapped forever: it retried while Paho was still
 * connected ("already connected", 32100), disconnected again, and never called onConnected.
 */
class RefusedResubscribeIT {

    @RegisterExtension
    static final MosquittoBroker OPEN = MosquittoBroker.builder().build();

    @RegisterExtension
    static final MosquittoBroker DENYING = MosquittoBroker.builder().denySubscribe("secret/#").build();

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void filterRefusedOnResubscribe_reportedToTheErrorHookAndTheSubscription_clientStaysConnected() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        LostAndReconnected connection = new LostAndReconnected();
        List<String> events = connection.events();
        try (FaultyProxy proxy = FaultyProxy.to(OPEN.port())) {
            MyMqtt client = clients.started(MyMqtt.builder().serverUri(proxy.uri()).clientId(Clients.uniqueId("acl"))
                    .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400))
                    .errorListener((message, error) -> errors.add(error))
                    .connectionListener(connection));
            Subscription secret = client.subscribe("secret/#", Qos.AT_LEAST_ONCE, message -> { });
            Recorder news = new Recorder();
            client.subscribe("public/news", Qos.AT_LEAST_ONCE, news);
            assertThat(secret.isRefused()).isFalse();

            proxy.retarget(DENYING.port());
            proxy.cut();

            await().atMost(Recorder.TIMEOUT).until(() -> events.contains("reconnected"));
            await().atMost(Recorder.TIMEOUT).until(() -> !errors.isEmpty());
            assertThat(errors).singleElement().isInstanceOf(SubscriptionRefusedException.class)
                    .satisfies(e -> assertThat(((SubscriptionRefusedException) e).filter()).isEqualTo("secret/#"));
            assertThat(secret.isRefused()).isTrue();
            assertThat(secret.grantedQos()).isEmpty();
            // no flapping: one loss, one reconnect, and it stays up
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(client::isConnected);
            assertThat(events).containsExactly("lost", "reconnected");
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);

            clients.started(DENYING).publish("public/news", "still here", Qos.AT_LEAST_ONCE, false).get();
            assertThat(news.awaitPayload("still here")).containsExactly("still here");
        }
    }
}
