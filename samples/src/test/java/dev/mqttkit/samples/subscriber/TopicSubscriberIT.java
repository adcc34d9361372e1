package dev.mqttkit.samples.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import dev.mqttkit.samples.Lines;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import org.junit.jupiter.api.Test;

/** The notebook's on_message printer against a real broker: one line per message. */
@MosquittoTest
class TopicSubscriberIT {

    @Test
    void start_wildcard_printsTopicQosRetainedPayload(MosquittoBroker broker) {
        try (MyMqtt publisher = MyMqtt.builder().serverUri(broker.uri()).clientId("python").build()) {
            publisher.start();
            publisher.publish("robotcell1/temperature", "2", Qos.AT_MOST_ONCE, true).join();
            Lines display = new Lines();
            TopicSubscriber subscriber = new TopicSubscriber(
                    MyMqtt.builder().serverUri(broker.uri()).clientId("subscriber").defaultQos(Qos.AT_LEAST_ONCE),
                    display);
            try {
                subscriber.start("robotcell1/#");
                display.await("robotcell1/temperature (qos 0, retained 1) 2");
                publisher.publish("robotcell1/temperature", "75.27719645201488", Qos.EXACTLY_ONCE, false).join();
                publisher.publish("robotcell1/joints", "{\n    \"joint0\": 10\n}", Qos.AT_LEAST_ONCE, false).join();
                publisher.publishWith().topic("robotcell1/raw").payload(new byte[] {'a', (byte) 0xff, 'b'})
                        .qos(Qos.AT_MOST_ONCE).send().join();
                publisher.publish("other/topic", "not for us").join();
                display.await("robotcell1/raw");
                assertThat(display.all()).containsExactly(
                        "robotcell1/temperature (qos 0, retained 1) 2",
                        "robotcell1/temperature (qos 1, retained 0) 75.27719645201488", // QoS 2 sent, QoS 1 asked
                        "robotcell1/joints (qos 1, retained 0) {\\n    \"joint0\": 10\\n}",
                        "robotcell1/raw (qos 0, retained 0) a\\xffb");
            } finally {
                subscriber.stop();
                publisher.publish("robotcell1/temperature", "", Qos.AT_MOST_ONCE, true).join();
            }
        }
    }
}
