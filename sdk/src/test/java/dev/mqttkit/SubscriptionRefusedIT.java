package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.testing.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A broker that answers SUBSCRIBE with 0x80 (Mosquitto's dynamic security plugin denying a pattern). */
class SubscriptionRefusedIT {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().denySubscribe("secret/#").build();

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void subscribe_refusedByBroker_throwsAndKeepsNoListener() throws Exception {
        MyMqtt client = clients.started(clients.builder(BROKER).clientId("curious-1"));
        assertThatThrownBy(() -> client.subscribe("secret/#", message -> { }))
                .isInstanceOf(SubscriptionRefusedException.class)
                .hasMessage("Broker " + BROKER.uri() + " refused the subscription to topic filter [secret/#] "
                        + "(SUBACK return code 0x80); check the broker's ACL for client [curious-1].")
                .satisfies(e -> assertThat(((SubscriptionRefusedException) e).filter()).isEqualTo("secret/#"));
        assertThat(client.isConnected()).isTrue();

        // the client goes on working, and a later allowed subscription receives
        Recorder recorder = new Recorder();
        client.subscribe("public/news", Qos.AT_LEAST_ONCE, recorder);
        client.publish("public/news", "still here").get();
        assertThat(recorder.awaitPayload("still here")).containsExactly("still here");
    }

    @Test
    void start_registeredFilterRefused_throwsAndStaysDisconnected() {
        MyMqtt client = clients.track(clients.builder(BROKER).clientId("curious-2").build());
        client.subscribe("secret/plans", message -> { });
        assertThatThrownBy(client::start).isInstanceOf(SubscriptionRefusedException.class)
                .hasMessageContaining("[secret/plans]");
        assertThat(client.isConnected()).isFalse();
        assertThat(ConnectionIT.threadsOf("curious-2")).isEmpty();
    }
}
