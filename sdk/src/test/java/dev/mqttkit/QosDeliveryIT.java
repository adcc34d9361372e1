package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@MosquittoTest
class QosDeliveryIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @ParameterizedTest(name = "publish QoS {0}, subscribe QoS {1} -> delivered with QoS {2}")
    @CsvSource({
        "0, 0, 0", "0, 1, 0", "0, 2, 0",
        "1, 0, 0", "1, 1, 1", "1, 2, 1",
        "2, 0, 0", "2, 1, 1", "2, 2, 2"
    })
    void publish_atEachQos_deliveredWithLowerOfBoth(int publishQos, int subscribeQos, int deliveredQos,
            MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        MyMqtt publisher = clients.started(broker);
        Recorder recorder = new Recorder();
        subscriber.subscribe("robotcell1/temperature", Qos.of(subscribeQos), recorder);

        publisher.publish("robotcell1/temperature", "75.27", Qos.of(publishQos), false).get();

        Message message = recorder.awaitCount(1).get(0);
        assertThat(message.topic()).isEqualTo("robotcell1/temperature");
        assertThat(message.payloadAsString()).isEqualTo("75.27");
        assertThat(message.qos()).isEqualTo(Qos.of(deliveredQos).min(TestBrokers.highestQos(broker)));
        assertThat(message.retained()).isFalse();
    }
}
