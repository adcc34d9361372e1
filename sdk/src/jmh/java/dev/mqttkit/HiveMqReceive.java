package dev.mqttkit;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The HiveMQ MQTT client as the subscriber of the end-to-end harness's flood, for comparison. */
final class HiveMqReceive {

    /** The harness's flood: publishes the messages and returns the subscriber's receive rate. */
    @FunctionalInterface
    interface Flood {
        double run(String broker, int messages, CountDownLatch received, long[] first, int qos) throws Exception;
    }

    private HiveMqReceive() {
    }

    /**
     * Subscribes a HiveMQ client at a QoS, floods it, and returns the rate it received at.
     *
     * @param broker the broker URI, {@code tcp://host:port}
     * @param qos 0, 1 or 2
     * @param messages how many
     * @param flood the harness's publisher
     * @return received msg/s
     */
    static double rate(String broker, int qos, int messages, Flood flood) throws Exception {
        URI uri = URI.create(broker);
        CountDownLatch received = new CountDownLatch(messages);
        long[] first = new long[1];
        Mqtt3AsyncClient subscriber = MqttClient.builder().useMqttVersion3().identifier("bench-hivemq")
                .serverHost(uri.getHost()).serverPort(uri.getPort()).buildAsync();
        subscriber.connect().get(10, TimeUnit.SECONDS);
        try {
            subscriber.subscribeWith().topicFilter(EndToEndThroughput.TOPIC).qos(MqttQos.fromCode(qos))
                    .callback(publish -> {
                        if (first[0] == 0) {
                            first[0] = System.nanoTime();
                        }
                        received.countDown();
                    }).send().get(10, TimeUnit.SECONDS);
            return flood.run(broker, messages, received, first, qos);
        } finally {
            subscriber.disconnect().get(10, TimeUnit.SECONDS);
        }
    }
}
