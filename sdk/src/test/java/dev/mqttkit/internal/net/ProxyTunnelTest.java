package dev.mqttkit.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.Proxy;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SOCKS5 with user name and password (RFC 1929), byte by byte, against a SOCKS5 server of the test's own: Dante
 * checks such credentials against the machine's user accounts, which a test must not create. The rest of the
 * proxy code runs against tinyproxy and danted in TransportsIT and TransportErrorsIT.
 */
class ProxyTunnelTest {

    /** A SOCKS5 server that takes one client, records what it sent and answers the credentials with {@code status}. */
    private static CompletableFuture<byte[]> socksServer(ServerSocket server, int status) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            try (Socket client = server.accept()) {
                DataInputStream in = new DataInputStream(client.getInputStream());
                OutputStream out = client.getOutputStream();
                byte[] greeting = new byte[2 + 2];
                in.readFully(greeting);
                seen.writeBytes(greeting);
                out.write(new byte[] {5, 2}); // user name and password
                int version = in.readUnsignedByte();
                int userLength = in.readUnsignedByte();
                byte[] user = in.readNBytes(userLength);
                int passwordLength = in.readUnsignedByte();
                byte[] password = in.readNBytes(passwordLength);
                seen.write(version);
                seen.write(userLength);
                seen.writeBytes(user);
                seen.write(passwordLength);
                seen.writeBytes(password);
                out.write(new byte[] {1, (byte) status});
                if (status == 0) {
                    byte[] request = new byte[4 + 1 + 10 + 2]; // CONNECT broker.lab:1883 by name
                    in.readFully(request);
                    seen.writeBytes(request);
                    out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0x07, 0x5b});
                    out.flush();
                    in.read(); // until the client closes
                }
            } catch (IOException e) {
                seen.writeBytes(("server: " + e).getBytes(StandardCharsets.UTF_8));
            }
            return seen.toByteArray();
        });
    }

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    }

    @Test
    void socks5_withCredentials_sendsThemAsRfc1929AndConnectsByName() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> seen = socksServer(server, 0);
            Proxy proxy = Proxy.socks5("127.0.0.1", server.getLocalPort()).withCredentials("alice", "pw");

            try (Socket tunnel = ProxyTunnel.open(Endpoint.parse("tcp://broker.lab:1883"), proxy, deadline())) {
                assertThat(tunnel.isConnected()).isTrue();
            }

            byte[] bytes = seen.get(5, TimeUnit.SECONDS);
            assertThat(bytes).startsWith(5, 2, 0, 2, /* RFC 1929 */ 1, 5, 'a', 'l', 'i', 'c', 'e', 2, 'p', 'w',
                    /* CONNECT, by name */ 5, 1, 0, 3, 10, 'b', 'r', 'o', 'k', 'e', 'r', '.', 'l', 'a', 'b', 0x07, 0x5b);
        }
    }

    @Test
    void socks5_credentialsRefused_saysSoWithoutThePassword() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socksServer(server, 1);
            Proxy proxy = Proxy.socks5("127.0.0.1", server.getLocalPort()).withCredentials("alice", "pw-secret");

            assertThatThrownBy(() -> ProxyTunnel.open(Endpoint.parse("tcp://broker.lab:1883"), proxy, deadline()))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("the SOCKS5 proxy 127.0.0.1:" + server.getLocalPort() + " (user alice) refused the "
                            + "credentials: check the user name and password")
                    .hasMessageNotContaining("pw-secret");
        }
    }

    @Test
    void socksReply_eachCode_inWords() {
        assertThat(ProxyTunnel.socksReply(5)).isEqualTo("connection refused (reply 5; is a broker listening there?)");
        assertThat(ProxyTunnel.socksReply(2)).isEqualTo("its rules do not allow the connection (reply 2)");
        assertThat(ProxyTunnel.socksReply(42)).isEqualTo("reply 42");
    }

    @Test
    void proxy_toString_namesTheUserNeverThePassword() {
        Proxy proxy = Proxy.http("proxy.lab", 3128).withCredentials("alice", "pw-secret");
        assertThat(proxy).hasToString("HTTP proxy proxy.lab:3128 (user alice)");
        assertThatThrownBy(() -> Proxy.http("proxy.lab", 0)).hasMessage("Proxy port [0] must be between 1 and 65535.");
        assertThatThrownBy(() -> Proxy.http("http://proxy.lab", 3128))
                .hasMessageStartingWith("Proxy host [http://proxy.lab] must be a host name or address");
        assertThatThrownBy(() -> Proxy.http("p", 1).withCredentials("a:b", "c"))
                .hasMessageStartingWith("Proxy user [a:b] must not contain ':'");
    }
}
