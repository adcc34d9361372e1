package dev.mqttkit.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.Proxy;
import dev.mqttkit.internal.TransportSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesTest {

    private static Routes routes(Proxy proxy, String... uris) {
        return new Routes(Endpoint.parseAll(List.of(uris)), null, true, new TransportSettings(proxy, Map.of()));
    }

    @Test
    void endpoint_isFoundByTheHostAndPortPahoConnectsTo() throws Exception {
        Routes routes = routes(null, "ws://a.lab:8080/mqtt", "ws://B.lab/ws");
        assertThat(routes.endpoint("a.lab", 8080).path()).isEqualTo("/mqtt");
        assertThat(routes.endpoint("b.lab", 80).uri()).isEqualTo("ws://B.lab/ws");
    }

    @Test
    void sameHostAndPortTwice_isRefused() {
        assertThatThrownBy(() -> routes(null, "ws://a:80/x", "ws://a/y"))
                .hasMessage("Server URIs [ws://a:80/x, ws://a/y] name a:80 twice; give each broker once.");
    }

    @Test
    void proxyFor_theOneSet_onEveryTransport() {
        Proxy proxy = Proxy.socks5("proxy.lab", 1080);
        assertThat(routes(proxy, "tcp://a:1883").proxyFor(Endpoint.parse("tcp://a:1883"))).isSameAs(proxy);
    }

    @Test
    void proxyFor_noneSet_webSocketsFollowTheJvmsHttpProxyProperties() {
        String[] keys = {"http.proxyHost", "http.proxyPort", "https.proxyHost", "https.proxyPort"};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            saved[i] = System.getProperty(keys[i]);
        }
        try {
            System.setProperty("http.proxyHost", "proxy.lab");
            System.setProperty("http.proxyPort", "3128");
            System.setProperty("https.proxyHost", "secure-proxy.lab");
            System.setProperty("https.proxyPort", "3129");
            Routes routes = routes(null, "ws://broker.lab:9001/mqtt");

            assertThat(routes.proxyFor(Endpoint.parse("ws://broker.lab:9001/mqtt")))
                    .isEqualTo(Proxy.http("proxy.lab", 3128));
            assertThat(routes.proxyFor(Endpoint.parse("wss://broker.lab/mqtt")))
                    .isEqualTo(Proxy.http("secure-proxy.lab", 3129));
            assertThat(routes.proxyFor(Endpoint.parse("tcp://broker.lab:1883")))
                    .as("a plain socket applies socksProxyHost by itself").isNull();
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], saved[i]);
                }
            }
        }
    }
}
