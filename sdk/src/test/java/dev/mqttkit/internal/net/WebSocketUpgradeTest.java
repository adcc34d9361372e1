package dev.mqttkit.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.internal.TransportSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The client's half of the WebSocket opening handshake, against canned server answers. */
class WebSocketUpgradeTest {

    private static final Endpoint WS = Endpoint.parse("ws://broker.lab:9001/mqtt");
    private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n");

    private final ByteArrayOutputStream request = new ByteArrayOutputStream();

    /** Runs the handshake; the server's answer is made from the key the client sent. */
    private void upgrade(Endpoint target, Map<String, String> headers, Function<String, String> answer)
            throws IOException {
        // the answer depends on the request: a stream that asks for it on first read
        java.io.InputStream in = new java.io.InputStream() {
            private ByteArrayInputStream bytes;

            @Override
            public int read() {
                if (bytes == null) {
                    Matcher key = KEY.matcher(request.toString(StandardCharsets.ISO_8859_1));
                    bytes = new ByteArrayInputStream(answer.apply(key.find() ? key.group(1) : "")
                            .getBytes(StandardCharsets.ISO_8859_1));
                }
                return bytes.read();
            }
        };
        WebSocketUpgrade.perform(in, request, target, headers);
    }

    private static String switching(String key) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketUpgrade.expectedAccept(key) + "\r\n"
                + "Sec-WebSocket-Protocol: mqtt\r\n\r\n";
    }

    @Test
    void expectedAccept_isTheRfcExample() {
        // RFC 6455 section 1.3
        assertThat(WebSocketUpgrade.expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="))
                .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void request_hasTheUpgradeTheMqttSubprotocolAndTheUsersHeaders() throws IOException {
        upgrade(WS, Map.of("Authorization", "Bearer t0ken"), WebSocketUpgradeTest::switching);

        String sent = request.toString(StandardCharsets.ISO_8859_1);
        assertThat(sent).startsWith("GET /mqtt HTTP/1.1\r\nHost: broker.lab:9001\r\n")
                .contains("Upgrade: websocket\r\n", "Connection: Upgrade\r\n", "Sec-WebSocket-Version: 13\r\n",
                        "Sec-WebSocket-Protocol: mqtt\r\n", "Authorization: Bearer t0ken\r\n")
                .endsWith("\r\n\r\n");
    }

    @Test
    void request_onTheDefaultPort_hostHasNoPort() throws IOException {
        upgrade(Endpoint.parse("wss://broker.lab/mqtt"), Map.of(), WebSocketUpgradeTest::switching);
        assertThat(request.toString(StandardCharsets.ISO_8859_1)).contains("Host: broker.lab\r\n");
    }

    @Test
    void notFound_namesThePath() {
        assertThatThrownBy(() -> upgrade(WS, Map.of(), key -> "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
                .isInstanceOf(TransportException.class)
                .hasMessage("the WebSocket upgrade was refused (404 Not Found): the broker has no WebSocket listener "
                        + "on the path [/mqtt]; check the path in the URI (HiveMQ and EMQX use /mqtt, RabbitMQ /ws)");
    }

    @Test
    void unauthorized_saysToSendCredentialsInAHeader() {
        assertThatThrownBy(() -> upgrade(WS, Map.of(), key -> "HTTP/1.1 401 Unauthorized\r\n\r\n"))
                .isInstanceOf(TransportException.class)
                .hasMessage("the WebSocket upgrade was refused (401 Unauthorized): the broker's WebSocket listener "
                        + "wants credentials; send them with webSocketHeader(\"Authorization\", ...) on the builder");
    }

    @Test
    void wrongAccept_isNotAWebSocketServer() {
        assertThatThrownBy(() -> upgrade(WS, Map.of(), key -> switching("another key")))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("has a wrong Sec-WebSocket-Accept header: it is not a WebSocket server");
    }

    @Test
    void otherSubprotocol_isRefused() {
        assertThatThrownBy(() -> upgrade(WS, Map.of(),
                key -> switching(key).replace("Protocol: mqtt", "Protocol: stomp")))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("chose the WebSocket subprotocol [stomp], not mqtt");
    }

    @Test
    void closedWithoutAnswer_suggestsPlainMqttOrTls() {
        assertThatThrownBy(() -> upgrade(WS, Map.of(), key -> ""))
                .isInstanceOf(TransportException.class)
                .hasMessage("the server closed the connection instead of answering the WebSocket upgrade: port 9001 "
                        + "may speak plain MQTT (then use tcp://broker.lab:9001) or speak TLS (then use "
                        + "wss://broker.lab:9001/mqtt); a WebSocket port answers HTTP (Mosquitto: a listener with "
                        + "protocol websockets)");
    }

    @Test
    void tlsAlert_saysToUseWss() {
        assertThatThrownBy(() -> upgrade(WS, Map.of(), key -> "\u0015\u0003\u0001\u0000\u0002\u0002\u0032"))
                .isInstanceOf(TransportException.class)
                .hasMessage("the server answered the WebSocket upgrade with a TLS alert: port 9001 speaks TLS; use "
                        + "wss://broker.lab:9001/mqtt");
    }

    @Test
    void reservedHeader_isRefusedByTheBuilderCheck() {
        assertThatThrownBy(() -> TransportSettings.checkHeader("Sec-WebSocket-Key", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("WebSocket header [Sec-WebSocket-Key] is set by the WebSocket handshake itself; it "
                        + "cannot be replaced.");
        assertThatThrownBy(() -> TransportSettings.checkHeader("X-Token", "a\r\nInjected: yes"))
                .hasMessage("The value of WebSocket header [X-Token] must be one line (no CR or LF).");
        assertThatThrownBy(() -> TransportSettings.checkHeader("Bad Name", "v"))
                .hasMessageContaining("WebSocket header name [Bad Name] must be an HTTP token");
    }
}
