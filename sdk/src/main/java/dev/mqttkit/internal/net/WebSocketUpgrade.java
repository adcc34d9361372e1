package dev.mqttkit.internal.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The client's half of the WebSocket opening handshake (RFC 6455 section 4) for MQTT: a {@code GET} with
 * {@code Upgrade: websocket} and the subprotocol {@code mqtt}, the user's extra headers, and the checks of the
 * server's {@code 101} answer. Whatever goes wrong is said as what it most likely means for an MQTT user: a plain
 * MQTT port, a TLS port, a wrong path, missing credentials.
 */
final class WebSocketUpgrade {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebSocketUpgrade() {
    }

    /**
     * Sends the upgrade request and checks the answer; afterwards the connection carries WebSocket frames.
     *
     * @param in the connection's input, which must not read past the answer's head
     * @param out the connection's output
     * @param target the broker
     * @param headers extra request headers
     * @throws TransportException when the server refuses or is not a WebSocket server
     * @throws IOException when the connection fails
     */
    static void perform(InputStream in, OutputStream out, Endpoint target, Map<String, String> headers)
            throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        boolean defaultPort = target.port() == (target.secure() ? 443 : 80);
        String host = defaultPort ? target.hostPort().substring(0, target.hostPort().lastIndexOf(':'))
                : target.hostPort();
        StringBuilder request = new StringBuilder()
                .append("GET ").append(target.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n")
                .append("Sec-WebSocket-Protocol: mqtt\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        HttpResponseHead head;
        try {
            head = HttpResponseHead.read(in);
        } catch (HttpResponseHead.NotHttpException e) {
            throw notWebSocket(target, e);
        } catch (SocketTimeoutException e) {
            throw new TransportException("the server did not answer the WebSocket upgrade in time: is port "
                    + target.port() + " the broker's WebSocket port?", e);
        }
        if (head.status() != 101) {
            throw refused(target, head);
        }
        String accept = head.header("Sec-WebSocket-Accept");
        if (accept == null || !accept.equals(expectedAccept(key))) {
            throw new TransportException("the server's answer to the WebSocket upgrade has "
                    + (accept == null ? "no" : "a wrong") + " Sec-WebSocket-Accept header: it is not a WebSocket "
                    + "server, or something between altered the answer", null);
        }
        String protocol = head.header("Sec-WebSocket-Protocol");
        if (protocol != null && !protocol.equalsIgnoreCase("mqtt")) {
            throw new TransportException("the server chose the WebSocket subprotocol [" + protocol + "], not mqtt: "
                    + "is " + target.path() + " the broker's MQTT path?", null);
        }
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer to {@code key}. */
    static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-1, which WebSockets need", e);
        }
    }

    private static TransportException notWebSocket(Endpoint target, HttpResponseHead.NotHttpException e) {
        byte[] start = e.start();
        String tls = target.secure() ? "" : " or speak TLS (then use " + target.secureUri() + ")";
        if (start.length == 0) {
            return new TransportException("the server closed the connection instead of answering the WebSocket "
                    + "upgrade: port " + target.port() + " may speak plain MQTT (then use tcp://" + target.hostPort()
                    + ")" + tls + "; a WebSocket port answers HTTP (Mosquitto: a listener with protocol websockets)",
                    e);
        }
        if (!target.secure() && start[0] == 0x15 && start.length > 1 && start[1] == 0x03) {
            return new TransportException("the server answered the WebSocket upgrade with a TLS alert: port "
                    + target.port() + " speaks TLS; use " + target.secureUri(), e);
        }
        return new TransportException("the server's answer to the WebSocket upgrade is not HTTP (it began with "
                + e.startHex() + "): is port " + target.port() + " the broker's WebSocket port?", e);
    }

    private static TransportException refused(Endpoint target, HttpResponseHead head) {
        String status = head.statusText();
        return switch (head.status()) {
            case 401, 403 -> new TransportException("the WebSocket upgrade was refused (" + status + "): the "
                    + "broker's WebSocket listener wants credentials; send them with webSocketHeader(\"Authorization\", "
                    + "...) on the builder", null);
            case 404 -> new TransportException("the WebSocket upgrade was refused (" + status + "): the broker has "
                    + "no WebSocket listener on the path [" + target.path() + "]; check the path in the URI (HiveMQ "
                    + "and EMQX use /mqtt, RabbitMQ /ws)", null);
            case 400, 426 -> new TransportException("the WebSocket upgrade was refused (" + status + "): the server"
                    + " did not accept the request" + reason(head), null);
            default -> head.status() / 100 == 2 || head.status() / 100 == 3
                    ? new TransportException("the server answered the WebSocket upgrade with " + status
                            + " instead of switching protocols: is it a web server rather than the broker's "
                            + "WebSocket listener?", null)
                    : new TransportException("the WebSocket upgrade was refused (" + status + ")" + reason(head),
                            null);
        };
    }

    private static String reason(HttpResponseHead head) {
        String server = head.header("Server");
        return server == null ? "" : " (server: " + server.strip() + ")";
    }
}
