package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.BrokerFeature;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The notebook's "Retained vs Non-Retained" cells, through a real broker. */
@MosquittoTest
class RetainedMessagesIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void publish_retained_reachesLaterSubscriberFlaggedRetained(MosquittoBroker broker) throws Exception {
        MyMqtt publisher = clients.started(broker);
        publisher.publish("robotcell1/temperature", "2", Qos.AT_MOST_ONCE, true).get();
        publisher.publish("robotcell1/temperature", "75", Qos.AT_MOST_ONCE, false).get();

        MyMqtt later = clients.started(broker);
        Recorder recorder = new Recorder();
        later.subscribe("robotcell1/temperature", Qos.AT_MOST_ONCE, recorder);

        Message first = recorder.awaitCount(1).get(0);
        assertThat(first.payloadAsString()).isEqualTo("2");
        assertThat(first.retained()).isTrue();

        // a live message on the same subscription is not flagged retained
        publisher.publish("robotcell1/temperature", "76", Qos.AT_LEAST_ONCE, true).get();
        List<Message> both = recorder.awaitCount(2);
        assertThat(both.get(1).payloadAsString()).isEqualTo("76");
        assertThat(both.get(1).retained()).isFalse();
        clearRetained(publisher, "robotcell1/temperature");
    }

    @Test
    void publish_emptyRetained_clearsRetainedMessage(MosquittoBroker broker) throws Exception {
        MyMqtt publisher = clients.started(broker);
        publisher.publish("robotcell1/humidity", "40", Qos.AT_LEAST_ONCE, true).get();
        clearRetained(publisher, "robotcell1/humidity");

        MyMqtt later = clients.started(broker);
        Recorder recorder = new Recorder();
        later.subscribe("robotcell1/humidity", Qos.AT_LEAST_ONCE, recorder);
        // the broker sends retained messages right after the SUBACK, before anything published later,
        // so if the marker arrives first, no retained message was stored
        publisher.publish("robotcell1/humidity", "marker", Qos.AT_LEAST_ONCE, false).get();

        assertThat(recorder.awaitPayload("marker")).containsExactly("marker");
    }

    @Test
    void subscribe_wildcard_receivesEveryRetainedMessageBelow(MosquittoBroker broker) throws Exception {
        broker.assumeSupports(BrokerFeature.RETAINED_ON_WILDCARD, "a wildcard subscription gets the retained messages");
        MyMqtt publisher = clients.started(broker);
        publisher.publish("house/garage/lights/l1", "on", Qos.AT_LEAST_ONCE, true).get();
        publisher.publish("house/garage/lights/l2", "off", Qos.AT_LEAST_ONCE, true).get();

        MyMqtt later = clients.started(broker);
        Recorder recorder = new Recorder();
        later.subscribe("house/+/lights/+", Qos.AT_LEAST_ONCE, recorder);

        assertThat(recorder.awaitCount(2)).extracting(Message::topic, Message::payloadAsString, Message::retained)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("house/garage/lights/l1", "on", true),
                        org.assertj.core.groups.Tuple.tuple("house/garage/lights/l2", "off", true));
        clearRetained(publisher, "house/garage/lights/l1");
        clearRetained(publisher, "house/garage/lights/l2");
    }

    private static void clearRetained(MyMqtt publisher, String topic) throws Exception {
        publisher.publish(topic, "", Qos.AT_LEAST_ONCE, true).get();
    }
}
