package dev.mqttkit.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import org.junit.jupiter.api.Test;

/** The demo on the fixture's broker (Mosquitto in CI) rather than its embedded one. */
@MosquittoTest
class DemoIT {

    @Test
    void demo_onMosquitto_runsEveryStep(MosquittoBroker broker) {
        Run demo = Run.complete("demo", "--broker", broker.uri());
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("mqttkit demo: the course's lab exercises on " + broker.uri(),
                "[led]        LED is now ON", "end state: 1=False, 2=True, 3=True",
                "[John]       Not sent: wait for someone else to reply", "Demo finished in ");
        assertThat(demo.err()).isEmpty();
        String out = demo.out();
        for (String reading : new String[] {"21.5", "22.0", "22.75"}) {
            int published = out.indexOf("[publisher]  published " + reading + " to robotcell1/temperature");
            int received = out.indexOf("[subscriber] robotcell1/temperature (qos 2, retained 0) " + reading);
            assertThat(published).as("the publisher's line for " + reading).isNotNegative();
            assertThat(received).as("the subscriber's line for " + reading + ", after the publisher's")
                    .isGreaterThan(published);
        }
    }
}
