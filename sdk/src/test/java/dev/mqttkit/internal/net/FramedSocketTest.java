package dev.mqttkit.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The socket Paho reads through: delegation, and the start-up hold of a read failure (Paho #850). */
class FramedSocketTest {

    private final ServerSocket server;
    private Socket peer;

    FramedSocketTest() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        if (peer != null) {
            peer.close();
        }
        server.close();
    }

    private FramedSocket connect(boolean tcpNoDelay) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);
        peer = server.accept();
        return FramedSocket.wrap(plain, tcpNoDelay, InboundHooks.of(new TopicAliases()));
    }

    /** Connects with hooks that take QoS 0/1 messages directly, keeping each message's acknowledgement. */
    private FramedSocket connectDirect(java.util.List<Runnable> acknowledgements) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);
        peer = server.accept();
        InboundHooks hooks = new InboundHooks(new TopicAliases(), ReceiveGate.OPEN, id -> { },
                new dev.mqttkit.internal.ClientCounters(),
                (topic, payload, qos, retained, duplicate, acknowledgement) -> acknowledgements.add(acknowledgement));
        return FramedSocket.wrap(plain, true, hooks);
    }

    private static byte[] qos1Publish(int packetId) {
        return new byte[] {0x32, 6, 0, 1, 't', (byte) (packetId >>> 8), (byte) packetId, 'x'};
    }

    /** Reads until the reader has handed over what it was sent and waits for more (its read times out). */
    private static void readUntilIdle(InputStream in) throws IOException {
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void qos1MessageHandedOverDirectly_itsPubackGoesOutOnItsConnectionWhenItsAcknowledgementRuns() throws Exception {
        java.util.List<Runnable> acknowledgements = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FramedSocket framed = connectDirect(acknowledgements)) {
            framed.setSoTimeout(200);
            framed.getOutputStream().write(new byte[] {(byte) 0xc0, 0}); // Paho's first packet (a PINGREQ here)
            peer.getOutputStream().write(qos1Publish(0x1234));
            readUntilIdle(framed.getInputStream());
            assertThat(acknowledgements).hasSize(1);

            acknowledgements.get(0).run();

            peer.setSoTimeout(2000);
            byte[] received = peer.getInputStream().readNBytes(6);
            assertThat(received).containsExactly(0xc0, 0, 0x40, 2, 0x12, 0x34);
        }
    }

    @Test
    void acknowledgementRunAfterItsConnectionClosed_isDropped_neverSent() throws Exception {
        java.util.List<Runnable> acknowledgements = new java.util.concurrent.CopyOnWriteArrayList<>();
        FramedSocket framed = connectDirect(acknowledgements);
        framed.setSoTimeout(200);
        framed.getOutputStream().write(new byte[] {(byte) 0xc0, 0});
        peer.getOutputStream().write(qos1Publish(7));
        readUntilIdle(framed.getInputStream());
        framed.close(); // the connection is lost while the listener runs

        acknowledgements.get(0).run(); // no exception: a durable session gets the message again

        peer.setSoTimeout(2000);
        assertThat(peer.getInputStream().readAllBytes()).containsExactly(0xc0, 0);
    }

    @Test
    void publishAtMostOnce_afterPahosConnect_sendsAQos0PublishOnTheSocket() throws Exception {
        try (FramedSocket framed = connect(true)) {
            assertThat(framed.publishAtMostOnce("t", new byte[] {7}, false)).as("before Paho's CONNECT").isFalse();
            byte[] connect = {0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0};
            framed.getOutputStream().write(connect);

            assertThat(framed.publishAtMostOnce("a/😀", new byte[] {7, 8}, true)).isTrue();

            peer.setSoTimeout(2000);
            byte[] topic = "a/😀".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(peer.getInputStream().readNBytes(connect.length + 4 + topic.length + 2))
                    .startsWith(connect)
                    .endsWith(0x31, 2 + topic.length + 2, 0, topic.length, 'a', '/', 0xf0, 0x9f, 0x98, 0x80, 7, 8);
        }
    }

    @Test
    void publishAtMostOnce_onAClosedSocket_throws() throws Exception {
        FramedSocket framed = connect(true);
        framed.getOutputStream().write(new byte[] {0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0});
        framed.close();

        assertThatThrownBy(() -> framed.publishAtMostOnce("t", new byte[] {1}, false))
                .isInstanceOf(IOException.class);
    }

    @Test
    void wrap_setsTcpNoDelayAsAskedAndDelegates() throws IOException {
        try (FramedSocket framed = connect(true)) {
            assertThat(framed.getTcpNoDelay()).isTrue();
            assertThat(framed.isConnected()).isTrue();
            assertThat(framed.getPort()).isEqualTo(server.getLocalPort());
            assertThat(framed.unwrap().getTcpNoDelay()).isTrue();
            framed.setSoTimeout(123);
            assertThat(framed.unwrap().getSoTimeout()).isEqualTo(123);
        }
        try (FramedSocket framed = connect(false)) {
            assertThat(framed.getTcpNoDelay()).isFalse();
            assertThatThrownBy(framed::startHandshake).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Not a TLS socket");
        }
    }

    @Test
    void read_peerClosesBeforeTheFirstWrite_endOfStreamWaitsForTheWrite() throws Exception {
        FramedSocket framed = connect(true);
        framed.setSoTimeout(100);
        InputStream in = framed.getInputStream();
        OutputStream out = framed.getOutputStream();
        peer.close(); // the broker closes before the CONNECT went out

        // Paho's start-up is not over: the read times out instead of failing, so Paho's threads all start
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return in.read();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        // the write (the CONNECT) fails with the held end of stream, and the read ends with it
        assertThatThrownBy(() -> out.write(new byte[] {0x10, 0})).isInstanceOf(EOFException.class)
                .hasMessage("The broker closed the connection");
        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        framed.close();
    }

    @Test
    void read_afterTheFirstWrite_passesBytesAndEndOfStreamThrough() throws Exception {
        try (FramedSocket framed = connect(true)) {
            framed.getOutputStream().write(new byte[] {(byte) 0xc0, 0}); // a PINGREQ
            assertThat(peer.getInputStream().readNBytes(2)).containsExactly(0xc0, 0);
            peer.getOutputStream().write(new byte[] {(byte) 0xd0, 0}); // its PINGRESP
            peer.close();

            InputStream in = framed.getInputStream();
            assertThat(in.read()).isEqualTo(0xd0);
            assertThat(in.read()).isEqualTo(0);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void close_beforeTheFirstWrite_releasesAHeldRead() throws Exception {
        FramedSocket framed = connect(true);
        framed.setSoTimeout(2000);
        InputStream in = framed.getInputStream();
        peer.close();
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return in.read();
            } catch (IOException e) {
                return -2;
            }
        });

        framed.close();

        assertThat(read.get(5, TimeUnit.SECONDS)).isIn(-1, -2);
        assertThat(framed.isClosed()).isTrue();
    }
}
