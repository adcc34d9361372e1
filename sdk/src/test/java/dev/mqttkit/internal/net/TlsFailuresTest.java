package dev.mqttkit.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.TlsException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

class TlsFailuresTest {

    private static final String URI = "ssl://127.0.0.1:8883";

    private static MqttException paho(Throwable cause) {
        return new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, cause);
    }

    @Test
    void clientCertificateAlert_unknownCa_saysTheBrokerRefusedTheClientsCertificate() {
        // seen in CI: Mosquitto refused a client certificate without its intermediate with this alert
        TlsException refused = TlsFailures.clientCertificateAlert(
                paho(new SSLHandshakeException("Received fatal alert: unknown_ca")), URI);

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).isEqualTo("Cannot connect to ssl://127.0.0.1:8883 over TLS: the broker "
                + "refused the client's certificate in the TLS handshake (alert unknown_ca): it must be signed by a CA the "
                + "broker trusts, and its file must hold the whole chain: the client's certificate, then its "
                + "intermediate CA certificates.");
    }

    @Test
    void clientCertificateAlert_anotherAlert_isNotAboutTheClientsCertificate() {
        assertThat(TlsFailures.clientCertificateAlert(
                paho(new SSLHandshakeException("Received fatal alert: handshake_failure")), URI)).isNull();
        assertThat(TlsFailures.clientCertificateAlert(
                paho(new java.io.EOFException("SSL peer shut down incorrectly")), URI)).isNull();
    }

    @Test
    void describe_unknownCaAlone_isTheGenericSentence() {
        // without knowing a client certificate was presented, the alert is only quoted
        assertThat(TlsFailures.describe(paho(new SSLHandshakeException("Received fatal alert: unknown_ca")), URI)
                .getMessage()).isEqualTo("Cannot connect to ssl://127.0.0.1:8883 over TLS: the TLS handshake failed "
                        + "(Received fatal alert: unknown_ca).");
    }
}
