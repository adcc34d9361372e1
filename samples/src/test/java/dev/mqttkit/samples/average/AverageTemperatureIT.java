package dev.mqttkit.samples.average;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.PayloadDecodingException;
import dev.mqttkit.Qos;
import dev.mqttkit.samples.Lines;
import dev.mqttkit.samples.LogCapture;
import dev.mqttkit.samples.Probe;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-class average exercise against a real broker, with the notebook's plain-text numbers. */
@MosquittoTest
class AverageTemperatureIT {

    private MosquittoBroker broker;
    private MyMqtt sensors;
    private AverageTemperature average;

    @BeforeEach
    void connectSensors(MosquittoBroker broker) {
        this.broker = broker;
        sensors = MyMqtt.builder().serverUri(broker.uri()).clientId("sensors").build();
        sensors.start();
        // no retained readings or average left over from another test
        for (String topic : new String[] {AverageTemperature.TEMPERATURE1, AverageTemperature.TEMPERATURE2,
                AverageTemperature.AVERAGE}) {
            sensors.publish(topic, "", Qos.EXACTLY_ONCE, true).join();
        }
    }

    @AfterEach
    void stop() {
        if (average != null) {
            average.stop();
        }
        sensors.stop();
    }

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private AverageTemperature startAverage(boolean json, Lines display) {
        average = new AverageTemperature(MyMqtt.builder().serverUri(broker.uri()).clientId("average")
                .errorListener((message, error) -> errors.add(error)), json, display);
        average.start();
        return average;
    }

    @Test
    void start_retainedReadings21And26_publishes23Point5() {
        sensors.publish(AverageTemperature.TEMPERATURE1, "21", Qos.AT_MOST_ONCE, true).join();
        sensors.publish(AverageTemperature.TEMPERATURE2, "26", Qos.AT_MOST_ONCE, true).join();
        try (Probe result = Probe.on(broker.uri(), AverageTemperature.AVERAGE)) {
            Lines display = new Lines();
            startAverage(false, display);
            result.awaitLast(AverageTemperature.AVERAGE, "23.5");
            display.await("robotcell1/avgtemperature = 23.5 (average of 21.0 and 26.0)");
            assertThat(average.average()).hasValue(23.5);
        }
    }

    @Test
    void onReading_newReading_updatesTheAverageEachTime() {
        Lines display = new Lines();
        try (Probe result = Probe.on(broker.uri(), AverageTemperature.AVERAGE)) {
            startAverage(false, display);
            sensors.publish(AverageTemperature.TEMPERATURE1, "20").join();
            display.await("robotcell1/temperature1 = 20.0; waiting for the other temperature");
            sensors.publish(AverageTemperature.TEMPERATURE2, "22.5").join();
            result.awaitLast(AverageTemperature.AVERAGE, "21.25");
            sensors.publish(AverageTemperature.TEMPERATURE1, "75.27719645201488").join();
            String second = String.valueOf((75.27719645201488 + 22.5) / 2);
            result.awaitLast(AverageTemperature.AVERAGE, second);
            sensors.publish(AverageTemperature.TEMPERATURE2, "-3").join();
            String third = String.valueOf((75.27719645201488 - 3) / 2);
            result.awaitLast(AverageTemperature.AVERAGE, third);
            assertThat(result.payloads(AverageTemperature.AVERAGE)).containsExactly("21.25", second, third);
        }
        try (Probe late = Probe.on(broker.uri(), AverageTemperature.AVERAGE)) {
            late.awaitLast(AverageTemperature.AVERAGE, String.valueOf((75.27719645201488 - 3) / 2)); // retained
        }
    }

    @Test
    void start_json_publishesValueObject() {
        try (Probe result = Probe.on(broker.uri(), AverageTemperature.AVERAGE)) {
            startAverage(true, new Lines());
            sensors.publish(AverageTemperature.TEMPERATURE1, "21").join();
            sensors.publish(AverageTemperature.TEMPERATURE2, "26").join();
            result.awaitLast(AverageTemperature.AVERAGE, "{\"value\":23.5}");
        }
    }

    @Test
    void onReading_notANumber_isReportedAndTheAverageGoesOn() {
        // a payload the client cannot decode goes to its error listener; the log is captured to show it gets no WARN
        try (LogCapture log = LogCapture.of("dev.mqttkit");
                Probe result = Probe.on(broker.uri(), AverageTemperature.AVERAGE)) {
            startAverage(false, new Lines());
            sensors.publish(AverageTemperature.TEMPERATURE1, "hot").join();
            sensors.publish(AverageTemperature.TEMPERATURE1, "10").join();
            sensors.publish(AverageTemperature.TEMPERATURE2, "30").join();
            result.awaitLast(AverageTemperature.AVERAGE, "20.0");
            assertThat(result.payloads(AverageTemperature.AVERAGE)).containsExactly("20.0");
            assertThat(errors).singleElement().isInstanceOf(PayloadDecodingException.class)
                    .extracting(Throwable::getMessage).asString()
                    .startsWith("Payload on [robotcell1/temperature1] is not a valid java.lang.Double");
            // reported once: to the error listener, which this client has, and not at WARN as well
            assertThat(log.messages(Level.WARN)).isEmpty();
        }
    }
}
