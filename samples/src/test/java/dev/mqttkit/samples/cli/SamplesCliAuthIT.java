package dev.mqttkit.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command line against a Mosquitto that wants a user name and password. */
class SamplesCliAuthIT {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().user("student", "lab-secret").build();

    @Test
    void noCredentials_saysToPassThem() {
        Run run = Run.complete("switch", "on", "--broker", BROKER.uri());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("The broker at " + BROKER.uri() + " refused the connection: it wants a user "
                + "name and password, so pass --username and --password." + System.lineSeparator());
    }

    @Test
    void wrongPassword_saysWhichUserAndWhatToCheck() {
        Run run = Run.complete("switch", "on", "--broker", BROKER.uri(), "--username", "student", "--password",
                "guess");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("The broker at " + BROKER.uri() + " refused user [student]: the user name or "
                + "password is wrong (or the user may not connect); check --username and --password."
                + System.lineSeparator());
        assertThat(run.err()).doesNotContain("guess");
    }

    @Test
    void rightPassword_works() {
        Run run = Run.complete("switch", "on", "--broker", BROKER.uri(), "--username", "student", "--password",
                "lab-secret");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Sent on to the light");
    }
}
