package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A persistent broker restarted on the same port keeps durable sessions and retained messages. */
class BrokerRestartIT {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().persistence(true).build();

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void persistentBroker_restarted_keepsDurableSessionAndRetainedMessage() throws Exception {
        BROKER.assumeMosquitto("relies on Mosquitto's persistence file across a restart");
        String id = Clients.uniqueId("durable");
        MyMqtt durable = clients.started(clients.builder(BROKER).clientId(id).cleanSession(false));
        durable.subscribe("robotcell1/temperature", Qos.AT_LEAST_ONCE, message -> { });
        durable.stop();
        MyMqtt publisher = clients.started(BROKER);
        publisher.publish("robotcell1/temperature", "39", Qos.AT_LEAST_ONCE, false).get();
        publisher.publish("robotcell1/status", "online", Qos.AT_LEAST_ONCE, true).get();
        publisher.stop();
        int port = BROKER.port();

        BROKER.restart();

        assertThat(BROKER.port()).isEqualTo(port);
        Recorder queued = new Recorder();
        MyMqtt again = clients.track(clients.builder(BROKER).clientId(id).cleanSession(false).build());
        again.subscribe("robotcell1/temperature", Qos.AT_LEAST_ONCE, queued);
        again.start();
        assertThat(queued.awaitPayload("39")).containsExactly("39");

        Recorder retained = new Recorder();
        clients.started(BROKER).subscribe("robotcell1/status", Qos.AT_LEAST_ONCE, retained);
        assertThat(retained.awaitCount(1).get(0).retained()).isTrue();
    }

    @Test
    void brokerKilled_clientWithoutReconnect_reportsLossAndStartsAgainLater() throws Exception {
        BROKER.assumeKillable();
        MyMqtt client = clients.started(clients.builder(BROKER).automaticReconnect(false));

        BROKER.kill();
        await().atMost(Recorder.TIMEOUT).until(() -> !client.isConnected());
        assertThat(client.publish("led", "on")).failsWithin(Recorder.TIMEOUT).withThrowableThat().havingCause()
                .isInstanceOf(PublishFailedException.class);
        BROKER.start();

        client.stop();
        client.start();
        assertThat(client.isConnected()).isTrue();
    }
}
