package dev.mqttkit.samples.cylinders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.samples.Lines;
import dev.mqttkit.samples.Probe;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The three-cylinder chain against a real broker, triggered the way the notebook says. */
@MosquittoTest
class CylinderChainIT {

    private static final String C1 = "systemcomponent1/cylinderOn";
    private static final String C2 = "systemcomponent2/cylinderOn";
    private static final String C3 = "systemcomponent3/cylinderOn";

    @Test
    void trigger_trueToComponent1_endsWith1False2True3True(MosquittoBroker broker) throws Exception {
        Lines display = new Lines();
        CylinderChain chain = new CylinderChain(
                n -> MyMqtt.builder().serverUri(broker.uri()).clientId("cylinder-" + n), display);
        chain.start();
        try (Probe observer = Probe.on(broker.uri(), "+/cylinderOn")) {
            observer.awaitLast(C1, "False"); // the start topics, retained
            observer.awaitLast(C2, "False");
            observer.awaitLast(C3, "False");

            observer.client().publish(C1, "True").join(); // "simply publish True to systemcomponent1/cylinderOn"
            observer.awaitLast(C1, "False");
            observer.awaitLast(C2, "True");
            observer.awaitLast(C3, "True");
            assertThat(chain.awaitPosition(1, false, Duration.ofSeconds(10))).isTrue();

            assertThat(observer.payloads(C1)).containsExactly("False", "True", "False");
            assertThat(observer.payloads(C2)).containsExactly("False", "True");
            assertThat(observer.payloads(C3)).containsExactly("False", "True");
            assertThat(display.all()).containsExactly(
                    "component 2: component 1 is True, so cylinder 2 := True",
                    "component 3: component 2 is True, so cylinder 3 := True",
                    "component 1: component 3 is True, so cylinder 1 := False");
        } finally {
            chain.stop();
        }
        try (Probe late = Probe.on(broker.uri(), "+/cylinderOn")) { // the end state stays on the broker, retained
            late.awaitLast(C1, "False");
            late.awaitLast(C2, "True");
            late.awaitLast(C3, "True");
        }
    }

    @Test
    void start_oldTrueLeftOnTheBroker_isResetToFalseWithoutRunningTheChain(MosquittoBroker broker) throws Exception {
        try (MyMqtt old = MyMqtt.builder().serverUri(broker.uri()).clientId("old").build()) {
            old.start();
            for (String topic : new String[] {C1, C2, C3}) {
                old.publish(topic, "True", dev.mqttkit.Qos.EXACTLY_ONCE, true).join();
            }
        }
        Lines display = new Lines();
        CylinderChain chain = new CylinderChain(
                n -> MyMqtt.builder().serverUri(broker.uri()).clientId("cylinder-" + n), display);
        try {
            chain.start();
            assertThat(chain.awaitPosition(3, false, Duration.ofSeconds(10))).isTrue();
            assertThat(chain.awaitPosition(1, false, Duration.ofSeconds(10))).isTrue();
            assertThat(display.all()).isEmpty();
        } finally {
            chain.stop();
        }
    }

    @Test
    void follow_trueOnAnotherTopicOfTheFilter_isNotAComponentAndChangesNothing(MosquittoBroker broker)
            throws Exception {
        Lines display = new Lines();
        CylinderChain chain = new CylinderChain(
                n -> MyMqtt.builder().serverUri(broker.uri()).clientId("cylinder-" + n), display);
        try (Probe observer = Probe.on(broker.uri(), "+/cylinderOn")) {
            chain.start();
            // the template's filter is +/cylinderOn, but othercomponent1 is not systemcomponent{n}
            observer.client().publish("othercomponent1/cylinderOn", "True").join();
            observer.client().publish("systemcomponent9/cylinderOn", "True").join();
            observer.awaitLast("othercomponent1/cylinderOn", "True");
            assertThat(chain.awaitPosition(9, true, Duration.ofSeconds(10))).isTrue();
            assertThat(observer.payloads(C2)).containsExactly("False");
            assertThat(display.all()).isEmpty();
        } finally {
            chain.stop();
        }
    }
}
