package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** QoS 1/2 messages are acknowledged only after the listeners returned: a crash means redelivery, not loss. */
@MosquittoTest
class AcknowledgementIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void crashWhileListenerRuns_messageRedeliveredToNextSession(MosquittoBroker broker) throws Exception {
        TestBrokers.skipOn(broker, MosquittoBroker.Kind.NATS, "NATS sends an unacknowledged QoS 1 message again only "
                + "when its ack_wait (30 s) runs out, not when the session is taken over");
        TestBrokers.skipOn(broker, MosquittoBroker.Kind.ARTEMIS,
                "Artemis sends the unacknowledged message again without the DUP flag");
        String id = Clients.uniqueId("worker");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MyMqtt crashing = clients.track(clients.builder(broker).clientId(id).cleanSession(false).build());
        crashing.subscribe("jobs", Qos.AT_LEAST_ONCE, message -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
        });
        crashing.start();
        clients.started(broker).publish("jobs", "job-1", Qos.AT_LEAST_ONCE, false).get();
        assertThat(entered.await(15, TimeUnit.SECONDS)).isTrue();

        // the worker's replacement takes over the session while the first is still processing (not acknowledged)
        Recorder replacement = new Recorder();
        MyMqtt next = clients.track(clients.builder(broker).clientId(id).cleanSession(false).build());
        next.subscribe("jobs", Qos.AT_LEAST_ONCE, replacement);
        next.start();

        Message redelivered = replacement.awaitCount(1).get(0);
        assertThat(redelivered.payloadAsString()).isEqualTo("job-1");
        assertThat(redelivered.duplicate()).isTrue();
        release.countDown();
        next.stop();
        clients.started(clients.builder(broker).clientId(id).cleanSession(true)).stop();
    }

    @Test
    void listenerReturned_messageAcknowledged_notRedelivered(MosquittoBroker broker) throws Exception {
        String id = Clients.uniqueId("worker");
        Recorder first = new Recorder();
        MyMqtt worker = clients.track(clients.builder(broker).clientId(id).cleanSession(false).build());
        worker.subscribe("jobs2", Qos.AT_LEAST_ONCE, first);
        worker.start();
        MyMqtt publisher = clients.started(broker);
        publisher.publish("jobs2", "job-1", Qos.AT_LEAST_ONCE, false).get();
        first.awaitCount(1);
        worker.stop();

        Recorder replacement = new Recorder();
        MyMqtt next = clients.track(clients.builder(broker).clientId(id).cleanSession(false).build());
        next.subscribe("jobs2", Qos.AT_LEAST_ONCE, replacement);
        next.start();
        publisher.publish("jobs2", "marker", Qos.AT_LEAST_ONCE, false).get();

        assertThat(replacement.awaitPayload("marker")).containsExactly("marker");
        next.stop();
        clients.started(clients.builder(broker).clientId(id).cleanSession(true)).stop();
    }
}
