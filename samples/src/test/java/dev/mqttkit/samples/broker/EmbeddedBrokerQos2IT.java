package dev.mqttkit.samples.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * QoS 2 on the embedded broker (HiveMQ CE), which gives each message to a client the lowest free packet id: in a
 * conversation where the next message is sent only once the last one arrived, as the demo's sensors and average
 * do, every message reuses the id of the one before, often while that one's PUBCOMP is still being sent.
 */
class EmbeddedBrokerQos2IT {

    private static final int MESSAGES = 500;

    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void qos2_eachMessageSentWhenTheLastArrived_everyOneRunsTheListenerOnce() throws Exception {
        LinkedBlockingQueue<String> arrived = new LinkedBlockingQueue<>();
        List<String> order = new ArrayList<>();
        try (MyMqtt receiver = MyMqtt.builder().serverUri(broker.uri()).clientId("qos2-receiver").build();
                MyMqtt sender = MyMqtt.builder().serverUri(broker.uri()).clientId("qos2-sender").build()) {
            receiver.subscribe("pingpong", Qos.EXACTLY_ONCE, message -> arrived.add(message.payloadAsString()));
            receiver.start();
            sender.start();
            for (int i = 0; i < MESSAGES; i++) {
                sender.publish("pingpong", "m" + i, Qos.EXACTLY_ONCE, false).get(10, TimeUnit.SECONDS);
                String next = arrived.poll(10, TimeUnit.SECONDS);
                assertThat(next).as("message m%d of %d, after %s", i, MESSAGES, order.size()).isEqualTo("m" + i);
                order.add(next);
            }
            assertThat(arrived.poll(200, TimeUnit.MILLISECONDS)).as("a listener run too many").isNull();
        }
        assertThat(order).hasSize(MESSAGES).doesNotHaveDuplicates();
        System.out.println("[EmbeddedBrokerQos2IT] " + order.size() + " of " + MESSAGES
                + " QoS 2 messages ran the listener once each, in order");
    }
}
