package dev.mqttkit.samples.led;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.Message;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import dev.mqttkit.samples.Lines;
import dev.mqttkit.samples.Probe;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exercise 1 against a real broker: the light, its retained status, and the switch. */
@MosquittoTest
class LedLightIT {

    private final Lines display = new Lines();
    private LedLight light;
    private MosquittoBroker broker;

    @BeforeEach
    void startLight(MosquittoBroker broker) {
        this.broker = broker;
        light = new LedLight(client("led-light"), display);
        light.start();
    }

    @AfterEach
    void stopLight() {
        light.stop();
    }

    private MyMqtt.Builder client(String id) {
        return MyMqtt.builder().serverUri(broker.uri()).clientId(id);
    }

    @Test
    void start_publishesOffRetained_forLateSubscribers() {
        try (Probe late = Probe.on(broker.uri(), LedLight.STATUS_TOPIC)) {
            late.awaitLast(LedLight.STATUS_TOPIC, "{\"status\":\"off\"}");
            assertThat(late.messages()).singleElement().satisfies(m -> assertThat(m.retained()).isTrue());
        }
        assertThat(light.isOn()).isFalse();
        assertThat(display.all()).containsExactly("LED is OFF; switch it with on/off on [led]");
    }

    @Test
    void notify_textAndJsonOrders_switchTheLightAndPublishEachChange() {
        try (Probe status = Probe.on(broker.uri(), LedLight.STATUS_TOPIC)) {
            status.awaitLast(LedLight.STATUS_TOPIC, "{\"status\":\"off\"}");
            MyMqtt python = status.client();
            python.publish("led", "on").join();
            display.await("LED is now ON");
            status.awaitLast(LedLight.STATUS_TOPIC, "{\"status\":\"on\"}");
            assertThat(light.isOn()).isTrue();

            python.publish("led", "{\"status\": \"off\"}").join();
            display.await("LED is now OFF");
            status.awaitLast(LedLight.STATUS_TOPIC, "{\"status\":\"off\"}");

            python.publish("led", " ON ").join();
            display.awaitCount("LED is now ON", 2);
            status.awaitLast(LedLight.STATUS_TOPIC, "{\"status\":\"on\"}");
            assertThat(status.payloads(LedLight.STATUS_TOPIC))
                    .containsExactly("{\"status\":\"off\"}", "{\"status\":\"on\"}", "{\"status\":\"off\"}",
                            "{\"status\":\"on\"}");
        }
    }

    @Test
    void notify_sameStateTwice_saysSoAndPublishesNoChange() {
        try (Probe status = Probe.on(broker.uri(), LedLight.STATUS_TOPIC)) {
            status.awaitLast(LedLight.STATUS_TOPIC, "{\"status\":\"off\"}");
            status.client().publish("led", "off").join();
            display.await("LED is already OFF");
            status.client().publish("led", "on").join();
            status.awaitLast(LedLight.STATUS_TOPIC, "{\"status\":\"on\"}");
            assertThat(status.payloads(LedLight.STATUS_TOPIC)).containsExactly("{\"status\":\"off\"}",
                    "{\"status\":\"on\"}");
        }
    }

    @Test
    void notify_unknownOrder_isShownAndIgnored() {
        try (Probe status = Probe.on(broker.uri(), LedLight.STATUS_TOPIC)) {
            status.client().publish("led", "blink").join();
            status.client().publish("led", "{\"status\": 1}").join();
            status.client().publish("led", "{not json").join();
            display.await("Ignored [blink] on [led]: send on, off or {\"status\": \"on\"}");
            display.await("Ignored [{\"status\": 1}]");
            display.await("Ignored [{not json]");
            assertThat(light.isOn()).isFalse();
        }
    }

    @Test
    void lateSubscriber_afterChange_getsCurrentStateRetained() {
        new LightSwitch(client("switch")).turn(true);
        display.await("LED is now ON");
        try (Probe late = Probe.on(broker.uri(), LedLight.STATUS_TOPIC)) {
            late.awaitLast(LedLight.STATUS_TOPIC, "{\"status\":\"on\"}");
            Message status = late.messages().get(0);
            assertThat(status.retained()).isTrue();
            assertThat(status.qos()).isEqualTo(Qos.EXACTLY_ONCE);
        }
    }

    @Test
    void lightSwitch_onOffAndToggle_setTheLight() {
        LightSwitch lightSwitch = new LightSwitch(client("switch"));
        lightSwitch.turn(true);
        display.await("LED is now ON");
        assertThat(lightSwitch.toggle()).isFalse();
        display.await("LED is now OFF");
        assertThat(lightSwitch.toggle()).isTrue();
        display.awaitCount("LED is now ON", 2);
        lightSwitch.turn(false);
        display.awaitCount("LED is now OFF", 2);
        assertThat(light.isOn()).isFalse();
    }

    @Test
    void lightSwitch_turn_returnsOnlyOnceTheBrokerHasTheOrder() {
        try (Probe orders = Probe.on(broker.uri(), LedLight.COMMAND_TOPIC)) {
            new LightSwitch(client("switch")).turn(true);
            orders.awaitLast(LedLight.COMMAND_TOPIC, "{\"status\":\"on\"}");
            assertThat(orders.messages()).singleElement()
                    .satisfies(m -> assertThat(m.qos()).isEqualTo(Qos.EXACTLY_ONCE));
        }
    }

    @Test
    void lightSwitch_toggleWithNoLightState_throwsSayingWhatToDo() {
        light.stop();
        try (MyMqtt cleaner = client("cleaner").build()) {
            cleaner.start();
            cleaner.publish(LedLight.STATUS_TOPIC, "", Qos.EXACTLY_ONCE, true).join(); // no retained state
        }
        assertThatThrownBy(() -> new LightSwitch(client("switch")).toggle())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No LED state on [led/status] within 3 s, so there is nothing to toggle: start the led "
                        + "sample first, or use switch on or switch off.");
    }
}
