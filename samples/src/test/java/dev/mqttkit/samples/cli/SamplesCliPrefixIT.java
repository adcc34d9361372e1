package dev.mqttkit.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.samples.Probe;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import org.junit.jupiter.api.Test;

/** A class on one broker: {@code --prefix} keeps each student's topics apart, and {@code clear} cleans up. */
@MosquittoTest
class SamplesCliPrefixIT {

    @Test
    void prefix_twoLightsOnOneBroker_eachFollowsItsOwnSwitch(MosquittoBroker broker) {
        Run alice = Run.start("led", "--broker", broker.uri(), "--prefix", "alice", "--client-id", "led-alice");
        Run bob = Run.start("led", "--broker", broker.uri(), "--prefix", "lab3/bob/", "--client-id", "led-bob");
        alice.awaitOut("LED is OFF; switch it with on/off on [alice/led]");
        bob.awaitOut("LED is OFF; switch it with on/off on [lab3/bob/led]");

        Run on = Run.complete("switch", "on", "--broker", broker.uri(), "--prefix", "alice");
        assertThat(on.exitCode()).as(on.err()).isZero();
        alice.awaitOut("LED is now ON");
        Run off = Run.complete("switch", "off", "--broker", broker.uri(), "--prefix", "lab3/bob");
        assertThat(off.exitCode()).as(off.err()).isZero();
        bob.awaitOut("LED is already OFF"); // bob's light had only bob's order

        try (Probe status = Probe.on(broker.uri(), "+/led/status")) {
            status.awaitLast("alice/led/status", "{\"status\":\"on\"}"); // retained, under alice's prefix
        }
        assertThat(alice.outLines()).containsExactly("LED is OFF; switch it with on/off on [alice/led]",
                "LED is now ON");
        assertThat(bob.outLines()).containsExactly("LED is OFF; switch it with on/off on [lab3/bob/led]",
                "LED is already OFF");
        alice.endByDuplicateId(broker, "led-alice");
        bob.endByDuplicateId(broker, "led-bob");
    }

    @Test
    void clear_prefix_removesTheRetainedMessagesOfTheSamples(MosquittoBroker broker) {
        Run light = Run.start("led", "--broker", broker.uri(), "--prefix", "carol", "--client-id", "led-carol");
        light.awaitOut("LED is OFF");
        light.endByDuplicateId(broker, "led-carol");

        Run clear = Run.complete("clear", "--broker", broker.uri(), "--prefix", "carol");
        assertThat(clear.exitCode()).as(clear.err()).isZero();
        assertThat(clear.out()).isEqualTo("Cleared the retained messages of carol/led/status, carol/chat, "
                + "carol/robotcell1/temperature1, carol/robotcell1/temperature2, carol/robotcell1/avgtemperature, "
                + "carol/systemcomponent1/cylinderOn, carol/systemcomponent2/cylinderOn, "
                + "carol/systemcomponent3/cylinderOn." + System.lineSeparator());

        Run toggle = Run.complete("switch", "toggle", "--broker", broker.uri(), "--prefix", "carol");
        assertThat(toggle.exitCode()).isEqualTo(1);
        assertThat(toggle.err()).startsWith("No LED state on [carol/led/status] within 3 s");
    }

    @Test
    void clear_topics_clearsThoseUnderThePrefix(MosquittoBroker broker) {
        Run clear = Run.complete("clear", "--broker", broker.uri(), "--prefix", "dave", "my/topic", "led/status");
        assertThat(clear.exitCode()).as(clear.err()).isZero();
        assertThat(clear.out()).isEqualTo("Cleared the retained messages of dave/my/topic, dave/led/status."
                + System.lineSeparator());
    }

    @Test
    void prefix_withAWildcard_saysWhatAPrefixIsAndExitsTwo(MosquittoBroker broker) {
        Run run = Run.complete("led", "--broker", broker.uri(), "--prefix", "lab/+");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("--prefix [lab/+] must be topic levels without +, #, { or }, for example "
                + "alice or lab3/alice." + System.lineSeparator());
    }

    @Test
    void demo_prefix_runsEveryStepUnderIt(MosquittoBroker broker) {
        Run demo = Run.complete("demo", "--broker", broker.uri(), "--prefix", "erin");
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("[led]        LED is OFF; switch it with on/off on [erin/led]",
                "[dashboard]  erin/led/status (qos 2, retained 1) {\"status\":\"on\"}",
                "[subscriber] erin/robotcell1/temperature (qos 2, retained 0) 21.5",
                "[average]    erin/robotcell1/avgtemperature = 23.5 (average of 21.0 and 26.0)",
                "[observer]   erin/systemcomponent1/cylinderOn = False", "end state: 1=False, 2=True, 3=True",
                "[John]       Not sent: wait for someone else to reply (the last message on [erin/chat] is yours).");
    }
}
