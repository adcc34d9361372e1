package dev.mqttkit.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command line over TLS, against Mosquitto's TLS listener with certificates made by openssl at test time:
 * {@code --ca}, {@code --cert} and {@code --key}, and the errors in the words of these options.
 */
class SamplesCliTlsIT {

    static final TestCertificates CERTS = TestCertificates.generate();

    @RegisterExtension
    static final MosquittoBroker SERVER_TLS = MosquittoBroker.builder()
            .tls(CERTS.ca(), CERTS.server(), CERTS.serverKey(), false).build();

    @RegisterExtension
    static final MosquittoBroker MUTUAL_TLS = MosquittoBroker.builder()
            .tls(CERTS.ca(), CERTS.server(), CERTS.serverKey(), true).build();

    private static final String SENT = "Sent on to the light; the broker acknowledged it." + System.lineSeparator();

    @Test
    void ca_trustingTheBrokersCa_connectsAndSends() {
        Run run = Run.complete("switch", "on", "--broker", SERVER_TLS.uri(), "--ca", CERTS.ca().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(SENT);
    }

    @Test
    void certAndKey_forABrokerThatWantsOne_connectAndSend() {
        Run run = Run.complete("switch", "on", "--broker", MUTUAL_TLS.uri(), "--ca", CERTS.ca().toString(),
                "--cert", CERTS.client().toString(), "--key", CERTS.clientKey().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(SENT);
    }

    @Test
    void noCa_saysToPassTheBrokersCaWithCa() {
        Run run = Run.complete("switch", "on", "--broker", SERVER_TLS.uri());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Cannot connect to " + SERVER_TLS.uri() + " over TLS: the broker's "
                + "certificate is not signed by a CA that Java trusts; pass the CA that signed it with --ca, for "
                + "example --ca ca.crt." + System.lineSeparator());
    }

    @Test
    void wrongCa_namesTheFileOfCa() {
        Run run = Run.complete("switch", "on", "--broker", SERVER_TLS.uri(), "--ca", CERTS.otherCa().toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Cannot connect to " + SERVER_TLS.uri() + " over TLS: the broker's "
                + "certificate is not signed by the CA in --ca [" + CERTS.otherCa() + "]; pass the CA that signed it."
                + System.lineSeparator());
        assertThat(run.err()).doesNotContain("Tls.");
    }

    @Test
    void noClientCertificate_forABrokerThatWantsOne_saysToPassCertAndKey() {
        Run run = Run.complete("switch", "on", "--broker", MUTUAL_TLS.uri(), "--ca", CERTS.ca().toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Cannot connect to " + MUTUAL_TLS.uri() + " over TLS: the broker wants a "
                + "client certificate; pass one it accepts with --cert and --key." + System.lineSeparator());
    }

    @Test
    void certWithoutKey_saysTheyGoTogetherAndExitsTwo() {
        Run run = Run.complete("switch", "on", "--broker", MUTUAL_TLS.uri(), "--ca", CERTS.ca().toString(),
                "--cert", CERTS.client().toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("--cert and --key go together: this client's certificate and its private "
                + "key." + System.lineSeparator());
    }

    @Test
    void ca_withATcpBroker_saysToUseSslAndExitsTwo() {
        Run run = Run.complete("switch", "on", "--broker", "tcp://127.0.0.1:1", "--ca", CERTS.ca().toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("--ca, --cert and --key are for TLS: use an ssl:// or wss:// --broker, for "
                + "example ssl://localhost:8883." + System.lineSeparator());
    }

    @Test
    void embedded_withAnSslBroker_saysTheEmbeddedBrokerHasNoTlsAndExitsTwo() {
        Run run = Run.complete("switch", "on", "--embedded", "--broker", "ssl://localhost:8883");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("The embedded broker speaks MQTT over plain TCP: leave out --embedded, or "
                + "use a tcp:// --broker." + System.lineSeparator());
    }
}
