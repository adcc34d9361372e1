package dev.mqttkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The binder against a real broker: the meters Micrometer reads move with the traffic. */
@MosquittoTest
class MqttKitMetricsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final List<MyMqtt> clients = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stopClients() {
        clients.forEach(MyMqtt::stop);
        registry.close();
    }

    private MyMqtt started(MosquittoBroker broker, String id) {
        MyMqtt client = MyMqtt.builder().serverUri(broker.uri()).clientId(id).build();
        clients.add(client);
        client.start();
        return client;
    }

    @Test
    void bound_metersFollowTheTraffic(MosquittoBroker broker) throws Exception {
        String id = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        MyMqtt subscriber = started(broker, id);
        List<String> got = new CopyOnWriteArrayList<>();
        subscriber.subscribe("meters/#", Qos.AT_LEAST_ONCE, message -> got.add(message.payloadAsString()));
        new MqttKitMetrics(subscriber, Tags.of("app", "greenhouse")).bindTo(registry);
        MyMqtt publisher = started(broker, id + "-pub");

        for (int i = 0; i < 7; i++) {
            publisher.publish("meters/t", "m" + i, Qos.AT_LEAST_ONCE, false).get(10, TimeUnit.SECONDS);
        }
        await().atMost(TIMEOUT).until(() -> got.size() == 7);

        assertThat(registry.get("mqttkit.messages.received").tags("client.id", id, "qos", "1", "app", "greenhouse")
                .functionCounter().count()).isEqualTo(7.0);
        assertThat(registry.get("mqttkit.messages.received").tags("qos", "0").functionCounter().count()).isZero();
        assertThat(registry.get("mqttkit.connected").tag("client.id", id).gauge().value()).isEqualTo(1.0);
        Meter bytes = registry.get("mqttkit.bytes.received").functionCounter();
        assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(registry.get("mqttkit.bytes.received").functionCounter().count()).isGreaterThan(7 * 2);
        subscriber.stop();
        assertThat(registry.get("mqttkit.connected").gauge().value()).isZero();
        assertThat(registry.get("mqttkit.messages.received").tags("qos", "1").functionCounter().count())
                .as("counts stay after stop()").isEqualTo(7.0);
    }

    @Test
    void bound_everyMeterNamed(MosquittoBroker broker) {
        MyMqtt client = started(broker, "metrics-names-" + UUID.randomUUID().toString().substring(0, 8));

        new MqttKitMetrics(client).bindTo(registry);

        assertThat(registry.getMeters().stream().map(meter -> meter.getId().getName()).distinct().sorted())
                .containsExactly("mqttkit.bytes.received", "mqttkit.bytes.sent", "mqttkit.connected",
                        "mqttkit.connection.losses", "mqttkit.decode.errors", "mqttkit.listener.errors",
                        "mqttkit.messages.buffered", "mqttkit.messages.inflight", "mqttkit.messages.published",
                        "mqttkit.messages.received", "mqttkit.publish.failures", "mqttkit.receive.queue",
                        "mqttkit.reconnects");
        assertThat(registry.find("mqttkit.messages.published").functionCounters()).hasSize(3);
    }
}
