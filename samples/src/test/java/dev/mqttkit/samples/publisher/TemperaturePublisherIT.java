package dev.mqttkit.samples.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.samples.Lines;
import dev.mqttkit.samples.Probe;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.time.Duration;
import java.util.PrimitiveIterator;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/** The notebook's publisher loop against a real broker. */
@MosquittoTest
class TemperaturePublisherIT {

    @Test
    void publishEvery_count_sendsThatManyNumbersAsText(MosquittoBroker broker) throws Exception {
        PrimitiveIterator.OfDouble readings = DoubleStream.of(75.27719645201488, 3, 19.5).iterator();
        Lines display = new Lines();
        TemperaturePublisher publisher = new TemperaturePublisher(
                MyMqtt.builder().serverUri(broker.uri()).clientId("publisher"),
                TemperaturePublisher.DEFAULT_TOPIC, false, readings::nextDouble, display);
        try (Probe subscriber = Probe.on(broker.uri(), "robotcell1/#")) {
            publisher.start();
            publisher.publishEvery(Duration.ofMillis(10), 3);
            subscriber.awaitLast(TemperaturePublisher.DEFAULT_TOPIC, "19.5");
            assertThat(subscriber.payloads(TemperaturePublisher.DEFAULT_TOPIC))
                    .containsExactly("75.27719645201488", "3.0", "19.5");
            assertThat(display.all()).containsExactly("published 75.27719645201488 to robotcell1/temperature",
                    "published 3.0 to robotcell1/temperature", "published 19.5 to robotcell1/temperature");
        } finally {
            publisher.stop();
        }
    }

    @Test
    void publishReading_json_sendsSensorValueAndTime(MosquittoBroker broker) throws Exception {
        TemperaturePublisher publisher = new TemperaturePublisher(
                MyMqtt.builder().serverUri(broker.uri()).clientId("lab-sensor"), "lab/t", true, () -> 21.5,
                new Lines());
        try (Probe subscriber = Probe.on(broker.uri(), "lab/t")) {
            publisher.start();
            double before = System.currentTimeMillis() / 1000.0;
            publisher.publishReading();
            double after = System.currentTimeMillis() / 1000.0;
            org.awaitility.Awaitility.await().until(() -> !subscriber.payloads("lab/t").isEmpty());
            JsonNode reading = new ObjectMapper().readTree(subscriber.payloads("lab/t").get(0));
            assertThat(reading.get("sensor").asText()).isEqualTo("lab-sensor");
            assertThat(reading.get("value").asDouble()).isEqualTo(21.5);
            assertThat(reading.get("time").asDouble()).isBetween(before, after);
        } finally {
            publisher.stop();
        }
    }

    @Test
    void stop_whilePublishingWithoutCount_endsTheLoop(MosquittoBroker broker) throws Exception {
        TemperaturePublisher publisher = new TemperaturePublisher(
                MyMqtt.builder().serverUri(broker.uri()).clientId("endless"), "lab/endless", false, () -> 1.0,
                new Lines());
        publisher.start();
        Thread loop = new Thread(() -> {
            try {
                publisher.publishEvery(Duration.ofMillis(20), 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException stoppedWhilePublishing) {
                // stop() may end a publish that was on its way
            }
        });
        try (Probe subscriber = Probe.on(broker.uri(), "lab/endless")) {
            loop.start();
            org.awaitility.Awaitility.await().until(() -> subscriber.payloads("lab/endless").size() >= 3);
            publisher.stop();
            loop.join(5_000);
            assertThat(loop.isAlive()).isFalse();
        }
    }
}
