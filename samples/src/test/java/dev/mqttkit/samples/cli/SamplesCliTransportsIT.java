package dev.mqttkit.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.LocalProxy;
import dev.mqttkit.testing.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command line over WebSockets and through proxies: {@code --broker ws://...}, {@code --proxy}. */
class SamplesCliTransportsIT {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().webSockets().build();

    private static final String SENT = "Sent on to the light; the broker acknowledged it." + System.lineSeparator();

    @Test
    void wsBroker_connectsAndSends() {
        Run run = Run.complete("switch", "on", "--broker", BROKER.webSocketUri());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(SENT);
    }

    @Test
    void socks5Proxy_connectsAndSends() {
        try (LocalProxy proxy = LocalProxy.socks5()) {
            Run run = Run.complete("switch", "on", "--broker", BROKER.uri(), "--proxy",
                    "socks5://" + proxy.host() + ":" + proxy.port());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(SENT);
        }
    }

    @Test
    void httpProxyWithCredentials_connectsAndSends() {
        try (LocalProxy proxy = LocalProxy.http("student", "lab-pass")) {
            Run run = Run.complete("switch", "on", "--broker", BROKER.webSocketUri(), "--proxy",
                    "http://" + proxy.host() + ":" + proxy.port(), "--proxy-user", "student", "--proxy-password",
                    "lab-pass");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(SENT);
        }
    }

    @Test
    void httpProxyWantingCredentials_saysToPassProxyUserAndPassword() {
        try (LocalProxy proxy = LocalProxy.http("student", "lab-pass")) {
            Run run = Run.complete("switch", "on", "--broker", BROKER.webSocketUri(), "--proxy",
                    "http://" + proxy.host() + ":" + proxy.port());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("Cannot connect to " + BROKER.webSocketUri() + ": the HTTP proxy "
                    + "127.0.0.1:" + proxy.port() + " needs credentials (407 Proxy Authentication Required): pass them "
                    + "with --proxy-user and --proxy-password. Check --proxy." + System.lineSeparator());
        }
    }

    @Test
    void proxyOfAnotherScheme_isRefusedSayingTheFormsAndExitsTwo() {
        Run run = Run.complete("switch", "on", "--broker", BROKER.uri(), "--proxy", "ftp://proxy:21");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("--proxy [ftp://proxy:21] must look like http://host:port or "
                + "socks5://host:port; give a user with --proxy-user." + System.lineSeparator());
    }
}
