package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mqttkit.testing.LocalProxy;
import dev.mqttkit.testing.MosquittoBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * What a user is told when a WebSocket or proxy connection cannot be made: one sentence with the cause and the fix,
 * against real components (Mosquitto's listeners, tinyproxy, danted) and, for an HTTP answer no broker gives on
 * purpose, a socket of the test's own.
 */
class TransportErrorsIT {

    static final TestCertificates CERTS = TestCertificates.generate();

    @RegisterExtension
    static final MosquittoBroker WS = MosquittoBroker.builder().webSockets().build();

    @RegisterExtension
    static final MosquittoBroker WSS = MosquittoBroker.builder()
            .tls(CERTS.ca(), CERTS.server(), CERTS.serverKey(), false).webSockets().build();

    @RegisterExtension
    static final MosquittoBroker WRONG_HOST_WSS = MosquittoBroker.builder()
            .tls(CERTS.ca(), CERTS.wrongHost(), CERTS.wrongHostKey(), false).webSockets().build();

    @RegisterExtension
    final Clients clients = new Clients();

    private MyMqtt client(String uri) {
        return clients.track(MyMqtt.builder().clientId(Clients.uniqueId("errors")).serverUri(uri)
                .connectTimeout(Duration.ofSeconds(5)).build());
    }

    private MyMqtt client(MyMqtt.Builder builder) {
        return clients.track(builder.clientId(Clients.uniqueId("errors")).connectTimeout(Duration.ofSeconds(5))
                .build());
    }

    @Test
    void ws_toThePlainMqttPort_saysThePortSpeaksPlainMqtt() {
        String uri = "ws://127.0.0.1:" + WS.port() + "/mqtt";
        MyMqtt client = client(uri);

        assertThatThrownBy(client::start).isInstanceOf(ConnectionException.class)
                .hasMessage("Cannot connect to " + uri + ": the server closed the connection instead of answering "
                        + "the WebSocket upgrade: port " + WS.port() + " may speak plain MQTT (then use tcp://127.0.0.1:"
                        + WS.port() + ") or speak TLS (then use wss://127.0.0.1:" + WS.port() + "/mqtt); a WebSocket "
                        + "port answers HTTP (Mosquitto: a listener with protocol websockets).");
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void ws_toATlsPort_saysToUseWss() {
        String uri = "ws://127.0.0.1:" + WSS.port() + "/mqtt";

        assertThatThrownBy(client(uri)::start).isInstanceOf(ConnectionException.class)
                .hasMessageStartingWith("Cannot connect to " + uri + ": the server ")
                .hasMessageContaining("wss://127.0.0.1:" + WSS.port() + "/mqtt");
    }

    @Test
    void wss_toAPlainWebSocketPort_saysThePortDoesNotSpeakTls() {
        String wsPort = WS.webSocketUri().substring("ws://".length());
        String uri = "wss://" + wsPort;

        assertThatThrownBy(client(MyMqtt.builder().serverUri(uri).tls(Tls.trusting(CERTS.ca())))::start)
                .isInstanceOf(ConnectionException.class)
                .hasMessageStartingWith("Cannot connect to " + uri + " over TLS: ")
                .hasMessageContaining("ws://" + wsPort);
    }

    @Test
    void wss_brokerCertificateFromAnotherCa_isRefusedSayingSo() {
        TestCertificates other = TestCertificates.generate();

        assertThatThrownBy(client(MyMqtt.builder().serverUri(WSS.webSocketUri()).tls(Tls.trusting(other.ca())))::start)
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("not signed by a CA");
    }

    @Test
    void wss_certificateForAnotherHost_isRefusedByHostnameVerificationUnlessTurnedOff() throws Exception {
        String uri = WRONG_HOST_WSS.webSocketUri();

        assertThatThrownBy(client(MyMqtt.builder().serverUri(uri).tls(Tls.trusting(CERTS.ca())))::start)
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("the broker's certificate does not name the host [127.0.0.1] of the server URI");
        MyMqtt trusting = client(MyMqtt.builder().serverUri(uri)
                .tls(Tls.trusting(CERTS.ca()).withoutHostnameVerification()));
        trusting.start();
        assertThat(trusting.isConnected()).isTrue();
    }

    @Test
    void upgradeRefused_namesTheStatusAndThePath() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread answering = answerOnce(server, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            String uri = "ws://127.0.0.1:" + server.getLocalPort() + "/nowhere";

            assertThatThrownBy(client(uri)::start).isInstanceOf(ConnectionException.class)
                    .hasMessage("Cannot connect to " + uri + ": the WebSocket upgrade was refused (404 Not Found): "
                            + "the broker has no WebSocket listener on the path [/nowhere]; check the path in the URI "
                            + "(HiveMQ and EMQX use /mqtt, RabbitMQ /ws).");
            answering.join(5_000);
        }
    }

    @Test
    void upgradeRequest_carriesTheUsersHeaders() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            StringBuilder request = new StringBuilder();
            Thread answering = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    request.append(readHead(socket.getInputStream()));
                    socket.getOutputStream().write("HTTP/1.1 401 Unauthorized\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    request.append(e);
                }
            });
            answering.start();
            String uri = "ws://127.0.0.1:" + server.getLocalPort() + "/mqtt";

            assertThatThrownBy(client(MyMqtt.builder().serverUri(uri)
                    .webSocketHeader("Authorization", "Bearer s3cret-token"))::start)
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("the WebSocket upgrade was refused (401 Unauthorized)")
                    .hasMessageNotContaining("s3cret-token");
            answering.join(5_000);
            assertThat(request.toString()).startsWith("GET /mqtt HTTP/1.1\r\n")
                    .contains("Authorization: Bearer s3cret-token\r\n", "Sec-WebSocket-Protocol: mqtt\r\n");
        }
    }

    @Test
    void httpProxy_needingCredentials_saysSoAndHowToGiveThem() {
        try (LocalProxy proxy = LocalProxy.http("alice", "wonderland")) {
            String uri = WS.webSocketUri();
            MyMqtt client = client(MyMqtt.builder().serverUri(uri).proxy(Proxy.http(proxy.host(), proxy.port())));

            assertThatThrownBy(client::start).isInstanceOf(ConnectionException.class)
                    .hasMessage("Cannot connect to " + uri + ": the HTTP proxy 127.0.0.1:" + proxy.port() + " needs "
                            + "credentials (407 Proxy Authentication Required): add them with Proxy.http(host, port)"
                            + ".withCredentials(user, password).");
        }
    }

    @Test
    void httpProxy_withCredentials_connectsAndAWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        try (LocalProxy proxy = LocalProxy.http("alice", "wonderland")) {
            Proxy good = Proxy.http(proxy.host(), proxy.port()).withCredentials("alice", "wonderland");
            MyMqtt connected = client(MyMqtt.builder().serverUri(WS.webSocketUri()).proxy(good));
            connected.start();
            assertThat(connected.isConnected()).isTrue();

            Proxy wrong = Proxy.http(proxy.host(), proxy.port()).withCredentials("alice", "looking-glass");
            MyMqtt refused = client(MyMqtt.builder().serverUri(WS.webSocketUri()).proxy(wrong));
            assertThatThrownBy(refused::start).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("the HTTP proxy 127.0.0.1:" + proxy.port() + " (user alice) refused the "
                            + "credentials (401 Unauthorized): check the user name and password")
                    .hasMessageNotContaining("looking-glass");
            assertThat(wrong.toString()).doesNotContain("looking-glass");
        } finally {
            root.detachAppender(logs);
        }
        String logged = logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
        assertThat(logged).doesNotContain("wonderland").doesNotContain("looking-glass");
    }

    @Test
    void httpProxy_refusingThePort_saysWhichRuleToChange() {
        try (LocalProxy proxy = LocalProxy.httpOnlyTo(1)) {
            String uri = WS.webSocketUri();
            int port = Integer.parseInt(uri.replaceAll(".*:(\\d+)/.*", "$1"));

            assertThatThrownBy(client(MyMqtt.builder().serverUri(uri).proxy(Proxy.http(proxy.host(), proxy.port())))
                    ::start).isInstanceOf(ConnectionException.class)
                    .hasMessageStartingWith("Cannot connect to " + uri + ": the HTTP proxy 127.0.0.1:" + proxy.port()
                            + " refused to open a tunnel to 127.0.0.1:" + port + " (403")
                    .hasMessageEndingWith("its rules must allow CONNECT to port " + port
                            + " (tinyproxy: ConnectPort; Squid: http_access and SSL_ports).");
        }
    }

    @Test
    void proxyDown_saysTheProxyCannotBeReachedNotTheBroker() {
        LocalProxy proxy = LocalProxy.http();
        int port = proxy.port();
        proxy.close();
        String uri = WS.uri();

        assertThatThrownBy(client(MyMqtt.builder().serverUri(uri).proxy(Proxy.socks5("127.0.0.1", port)))::start)
                .isInstanceOf(ConnectionException.class)
                .hasMessage("Cannot connect to " + uri + ": cannot reach the SOCKS5 proxy 127.0.0.1:" + port
                        + ": connection refused (is the proxy listening there?).");
    }

    @Test
    void socks5_toAClosedBrokerPort_saysTheProxyCouldNotConnect() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        try (LocalProxy proxy = LocalProxy.socks5()) {
            String uri = "tcp://127.0.0.1:" + closedPort;

            assertThatThrownBy(client(MyMqtt.builder().serverUri(uri).proxy(Proxy.socks5(proxy.host(), proxy.port())))
                    ::start).isInstanceOf(ConnectionException.class)
                    .hasMessageStartingWith("Cannot connect to " + uri + ": the SOCKS5 proxy 127.0.0.1:" + proxy.port()
                            + " could not open a connection to 127.0.0.1:" + closedPort + ": ");
        }
    }

    @Test
    void wrongKindOfProxy_saysWhichKindItIs() {
        try (LocalProxy http = LocalProxy.http()) {
            String uri = WS.uri();

            assertThatThrownBy(client(MyMqtt.builder().serverUri(uri).proxy(Proxy.socks5(http.host(), http.port())))
                    ::start).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("SOCKS5 proxy 127.0.0.1:" + http.port())
                    .hasMessageContaining("is it a SOCKS5 proxy? (an HTTP proxy takes Proxy.http(host, port))");
        }
    }

    @Test
    void sslThroughAnHttpProxy_tlsRunsEndToEnd() throws Exception {
        try (LocalProxy proxy = LocalProxy.http()) {
            Recorder recorder = new Recorder();
            MyMqtt client = client(MyMqtt.builder().serverUri(WSS.uri()).tls(Tls.trusting(CERTS.ca()))
                    .proxy(Proxy.http(proxy.host(), proxy.port())));
            client.start();
            client.subscribe("tunnel/led", Qos.AT_LEAST_ONCE, recorder);
            client.publish("tunnel/led", "on", Qos.AT_LEAST_ONCE, false).get();

            assertThat(recorder.awaitPayload("on")).containsExactly("on");
            assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + WSS.port());
        }
    }

    @Test
    void jvmProxySelector_isHonouredForWebSockets() throws Exception {
        // the JVM's http.proxyHost never applies to loopback addresses (the JDK's own rule), so the test sets the
        // JVM's ProxySelector, through which those properties act, as a framework would
        java.net.ProxySelector saved = java.net.ProxySelector.getDefault();
        try (LocalProxy proxy = LocalProxy.http()) {
            java.util.List<java.net.URI> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.net.ProxySelector.setDefault(new java.net.ProxySelector() {
                @Override
                public java.util.List<java.net.Proxy> select(java.net.URI uri) {
                    asked.add(uri);
                    return java.util.List.of(new java.net.Proxy(java.net.Proxy.Type.HTTP,
                            new java.net.InetSocketAddress(proxy.host(), proxy.port())));
                }

                @Override
                public void connectFailed(java.net.URI uri, java.net.SocketAddress address, IOException e) {
                }
            });
            MyMqtt client = client(WS.webSocketUri());
            client.start();

            assertThat(client.isConnected()).isTrue();
            String wsPort = WS.webSocketUri().replaceAll(".*:(\\d+)/.*", "$1");
            assertThat(asked).contains(java.net.URI.create("http://127.0.0.1:" + wsPort + "/"));
            assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + wsPort);
        } finally {
            java.net.ProxySelector.setDefault(saved);
        }
    }

    private static Thread answerOnce(ServerSocket server, String answer) {
        Thread answering = new Thread(() -> {
            try (Socket socket = server.accept()) {
                readHead(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the client gave up first: the test's assertion says what went wrong
            }
        });
        answering.start();
        return answering;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
