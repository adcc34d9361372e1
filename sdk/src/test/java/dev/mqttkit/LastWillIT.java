package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@MosquittoTest
class LastWillIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void lastWill_clientDiesWithoutDisconnect_willPublished(MosquittoBroker broker) throws Exception {
        MyMqtt watcher = clients.started(broker);
        Recorder recorder = new Recorder();
        watcher.subscribe("robotcell1/status", Qos.AT_LEAST_ONCE, recorder);

        MyMqtt dying = clients.started(clients.builder(broker)
                .lastWill("robotcell1/status", "offline".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false));
        // the process "dies": its TCP connection closes without an MQTT DISCONNECT
        dying.socket().close();

        Message will = recorder.awaitCount(1).get(0);
        assertThat(will.topic()).isEqualTo("robotcell1/status");
        assertThat(will.payloadAsString()).isEqualTo("offline");
    }

    @Test
    void lastWill_cleanStop_willNotPublished(MosquittoBroker broker) throws Exception {
        TestBrokers.skipOn(broker, MosquittoBroker.Kind.ARTEMIS,
                "on Artemis the will was once published after a clean stop() in a CI run under load; 13 of 13 "
                + "quiet runs passed; not yet explained (open: issue 21)");
        MyMqtt watcher = clients.started(broker);
        Recorder recorder = new Recorder();
        watcher.subscribe("robotcell2/status", Qos.AT_LEAST_ONCE, recorder);

        MyMqtt leaving = clients.started(clients.builder(broker)
                .lastWill("robotcell2/status", "offline".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false));
        leaving.stop();
        MyMqtt publisher = clients.started(broker);
        publisher.publish("robotcell2/status", "marker", Qos.AT_LEAST_ONCE, false).get();

        assertThat(recorder.awaitPayload("marker")).containsExactly("marker");
    }
}
