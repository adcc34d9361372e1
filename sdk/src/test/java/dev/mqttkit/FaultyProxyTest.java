package dev.mqttkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultyProxyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int READ_TIMEOUT_MILLIS = (int) TIMEOUT.toMillis();

    private EchoServer echo;
    private FaultyProxy proxy;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = FaultyProxy.to(echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        proxy.close();
        echo.close();
    }

    @Test
    void uri_always_namesLoopbackAndPort() {
        assertThat(proxy.uri()).isEqualTo("tcp://127.0.0.1:" + proxy.port());
        assertThat(proxy.port()).isNotEqualTo(echo.port()).isPositive();
    }

    @Test
    void forward_bytesBothWays_arriveUnchanged() throws IOException {
        Socket client = connect();

        send(client, "hello, broker");

        assertThat(read(client, "hello, broker".length())).isEqualTo("hello, broker");
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        assertThat(proxy.openConnections()).isEqualTo(1);
    }

    @Test
    void cut_openConnection_clientSeesEndOfStreamAndReconnects() throws IOException {
        Socket client = connect();
        send(client, "ping");
        assertThat(read(client, 4)).isEqualTo("ping");

        proxy.cut();

        assertThat(readOutcome(client)).isIn(Outcome.END_OF_STREAM, Outcome.RESET);
        assertThat(proxy.openConnections()).isZero();
        Socket again = connect();
        send(again, "pong");
        assertThat(read(again, 4)).isEqualTo("pong");
        assertThat(proxy.connectionsAccepted()).isEqualTo(2);
        assertThat(proxy.openConnections()).isEqualTo(1);
    }

    @Test
    void stall_thenResume_heldBytesArriveInOrder() throws IOException {
        Socket client = connect();
        send(client, "a");
        assertThat(read(client, 1)).isEqualTo("a");

        proxy.stall();
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String chunk = "chunk-" + i + ";";
            send(client, chunk);
            sent.append(chunk);
        }

        client.setSoTimeout(300);
        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        proxy.resume();
        client.setSoTimeout(READ_TIMEOUT_MILLIS);
        assertThat(read(client, sent.length())).isEqualTo(sent.toString());
    }

    @Test
    void stall_newConnection_isAcceptedButStalled() throws IOException {
        proxy.stall();

        Socket client = connect();
        send(client, "late");

        await().atMost(TIMEOUT).until(() -> proxy.openConnections() == 1);
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        client.setSoTimeout(300);
        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        proxy.resume();
        client.setSoTimeout(READ_TIMEOUT_MILLIS);
        assertThat(read(client, 4)).isEqualTo("late");
    }

    @Test
    void delay_200ms_roundTripTakesAtLeast200ms() throws IOException {
        Socket client = connect();
        proxy.delay(Duration.ofMillis(200));

        long start = System.nanoTime();
        send(client, "slow");
        String echoed = read(client, 4);
        long elapsed = System.nanoTime() - start;

        assertThat(echoed).isEqualTo("slow");
        assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void delay_negative_throws() {
        assertThatThrownBy(() -> proxy.delay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Delay [PT-0.001S] must not be negative.");
    }

    @Test
    void refuse_trueThenFalse_newConnectionsResetThenForwarded() throws IOException {
        Socket existing = connect();
        // a round trip shows the proxy has accepted it; until then it would count as new and be refused
        send(existing, "first");
        assertThat(read(existing, 5)).isEqualTo("first");

        proxy.refuse(true);
        Outcome outcome;
        try {
            outcome = readOutcome(connect());
        } catch (java.net.SocketException resetWhileConnecting) {
            outcome = Outcome.RESET; // the proxy's reset can beat the end of the handshake
        }

        assertThat(outcome).isIn(Outcome.END_OF_STREAM, Outcome.RESET);
        assertThat(proxy.connectionsAccepted()).isEqualTo(2);
        send(existing, "still");
        assertThat(read(existing, 5)).isEqualTo("still");
        proxy.refuse(false);
        Socket restored = connect();
        send(restored, "back");
        assertThat(read(restored, 4)).isEqualTo("back");
        assertThat(proxy.connectionsAccepted()).isEqualTo(3);
        assertThat(proxy.openConnections()).isEqualTo(2);
    }

    @Test
    void close_withOpenConnections_endsEveryProxyThread() throws IOException {
        Socket first = connect();
        Socket second = connect();
        send(first, "x");
        send(second, "y");
        assertThat(read(first, 1)).isEqualTo("x");
        assertThat(read(second, 1)).isEqualTo("y");
        String prefix = "faulty-proxy-" + proxy.port() + "-";
        assertThat(proxyThreads()).contains(prefix + "accept", prefix + "1-up", prefix + "1-down",
                prefix + "2-up", prefix + "2-down");
        proxy.stall();
        send(second, "held");

        proxy.close();
        proxy.close();

        assertThat(readOutcome(first)).isIn(Outcome.END_OF_STREAM, Outcome.RESET);
        assertThat(readOutcome(second)).isIn(Outcome.END_OF_STREAM, Outcome.RESET);
        assertThat(proxy.openConnections()).isZero();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(proxyThreads()).isEmpty());
    }

    private Socket connect() throws IOException {
        Socket client = new Socket();
        clients.add(client);
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), READ_TIMEOUT_MILLIS);
        client.setSoTimeout(READ_TIMEOUT_MILLIS);
        return client;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(US_ASCII));
        socket.getOutputStream().flush();
    }

    private static String read(Socket socket, int length) throws IOException {
        return new String(socket.getInputStream().readNBytes(length), US_ASCII);
    }

    private enum Outcome { END_OF_STREAM, RESET, DATA }

    /** Reads one byte, waiting at most the socket timeout; a timeout throws and so fails the test. */
    private static Outcome readOutcome(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1 ? Outcome.END_OF_STREAM : Outcome.DATA;
        } catch (SocketException e) {
            return Outcome.RESET;
        }
    }

    private static Set<String> proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("faulty-proxy"))
                .collect(Collectors.toSet());
    }

    /** Echoes every byte back on each connection, one daemon thread per connection. */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket server;
        private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

        EchoServer() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            daemon(this::acceptLoop, "echo-server-accept");
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket connection = server.accept();
                    connections.add(connection);
                    daemon(() -> echo(connection), "echo-server-connection");
                }
            } catch (IOException e) {
                // close() closed the server socket: the loop ends here
            }
        }

        private void echo(Socket connection) {
            try (connection) {
                InputStream in = connection.getInputStream();
                in.transferTo(connection.getOutputStream());
            } catch (IOException e) {
                // the proxy reset this connection, which is what most tests do to it
            } finally {
                connections.remove(connection);
            }
        }

        private static void daemon(Runnable task, String name) {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket connection : connections) {
                connection.close();
            }
        }
    }
}
