package dev.mqttkit.internal.net;

import dev.mqttkit.internal.Logs;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * A socket whose input Paho reads through {@link InboundTopicStream}: buffered, with the topics it cannot decode
 * aliased, and held back while the listeners catch up. Everything else goes to the real socket, plain or TLS
 * ({@link DelegatingSslSocket}). It also works around Paho's start-up race (see {@link #startup}).
 */
final class FramedSocket extends DelegatingSslSocket {

    private static final Logger LOG = Logs.get(FramedSocket.class);
    private static final int READ_BUFFER = 64 * 1024;
    /** The read timeout while the reader holds messages back and looks for room between short reads. */
    private static final int SHORT_READ_MILLIS = 20;

    private final InboundHooks hooks;
    private InputStream input;
    /** Set once by {@link #getOutputStream()}; read without the lock by each {@link #puback}. */
    private volatile PacketOutput output;
    /** The read timeout Paho set (it sets one, and reads again when a read times out). */
    private volatile int readTimeout;

    /*
     * Paho 1.2.5 starts its receiver, sender and callback threads one after the other and polls each (every
     * 100 ms) until it runs; when the connection fails before a poll saw its thread run, the connect thread
     * polls forever and leaks (eclipse-paho/paho.mqtt.java#850), and so may a sender that was just starting.
     * Paho writes the CONNECT only after all three run. So a read that fails before the CONNECT went out (a
     * peer that accepts and resets or closes, a TLS alert) is held back, and the CONNECT's write fails with it
     * instead: the failure is the same, it only lands once Paho's start-up is over.
     */
    private final Object startup = new Object();
    /** Written under {@link #startup}: the first write began, or the socket closed; read without it once true. */
    private volatile boolean sentOrClosed;
    /** Guarded by {@link #startup}: a read failure before that; an {@link EOFException} for an end of stream. */
    private IOException heldFailure;

    FramedSocket(Socket socket, InboundHooks hooks) {
        super(socket);
        this.hooks = hooks;
    }

    /** Sets {@code TCP_NODELAY} as configured and wraps the socket. */
    static FramedSocket wrap(Socket socket, boolean tcpNoDelay, InboundHooks hooks) throws IOException {
        if (tcpNoDelay) {
            socket.setTcpNoDelay(true);
        }
        return new FramedSocket(socket, hooks);
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new InboundTopicStream(new BufferedInputStream(new StartupInput(socket.getInputStream()),
                    READ_BUFFER), hooks, new Pacing(), this::puback);
        }
        return input;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (output == null) {
            OutputStream out;
            try {
                out = socket.getOutputStream();
            } catch (IOException closed) {
                // a TLS socket that closed itself on an alert: Paho's connect thread fails with the alert instead
                beforeWrite();
                throw closed;
            }
            output = new PacketOutput(out, this::beforeWrite, hooks.counters());
        }
        return output;
    }

    /**
     * Sends the PUBACK of a QoS 1 message the reader handed over past Paho, on this connection only: when it is
     * gone, the acknowledgement is dropped and a durable session gets the message again on the next one.
     */
    private void puback(int packetId) {
        PacketOutput out = output;
        try {
            if (out == null) {
                throw new IOException("the connection has no output yet");
            }
            out.puback(packetId, hooks.gate().acknowledgementFollows());
        } catch (IOException e) {
            LOG.debug("QoS 1 message {} not acknowledged: its connection is gone ({})", packetId, e.getMessage());
        }
    }

    /**
     * Sends a QoS 0 message past Paho, between its packets.
     *
     * @param topic the topic name, checked by the caller
     * @param payload the payload
     * @param retain the retain flag
     * @return {@code false}, with nothing sent, while Paho has not connected on this socket or is disconnecting
     * @throws IOException when the connection is gone (the message may have been partly sent)
     */
    boolean publishAtMostOnce(String topic, byte[] payload, boolean retain) throws IOException {
        PacketOutput out = output;
        return out != null && out.writePacket(
                PublishHeads.atMostOnce(topic.getBytes(StandardCharsets.UTF_8), payload, retain));
    }

    /** The first write (or a failed {@link #getOutputStream()}) throws the read failure held back until now. */
    private void beforeWrite() throws IOException {
        if (sentOrClosed) {
            return; // every write after the CONNECT: no lock on the send path
        }
        IOException held;
        synchronized (startup) {
            if (sentOrClosed) {
                return;
            }
            sentOrClosed = true;
            held = heldFailure;
            startup.notifyAll();
        }
        if (held != null) {
            throw held;
        }
    }

    @Override
    public void setSoTimeout(int timeout) throws java.net.SocketException {
        readTimeout = timeout;
        socket.setSoTimeout(timeout);
    }

    /** Short reads while the reader holds messages for the listeners, Paho's own timeout otherwise. */
    private final class Pacing implements ReadPacing {
        @Override
        public void shortReads(boolean on) throws IOException {
            socket.setSoTimeout(on ? SHORT_READ_MILLIS : readTimeout);
        }

        @Override
        public int timeoutMillis() {
            return readTimeout;
        }
    }

    /** The socket's input; a failure before the CONNECT went out waits for it (see {@link #startup}). */
    private final class StartupInput extends FilterInputStream {

        StartupInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!sentOrClosed) { // only during Paho's start-up: no lock on the receive path after it
                synchronized (startup) {
                    if (heldFailure != null) {
                        return release();
                    }
                }
            }
            int n;
            try {
                n = super.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                return hold(e);
            }
            if (n < 0) {
                return hold(new EOFException("The broker closed the connection"));
            }
            hooks.counters().bytesIn(n);
            return n;
        }

        private int hold(IOException failure) throws IOException {
            synchronized (startup) {
                if (sentOrClosed) {
                    return rethrow(failure);
                }
                heldFailure = failure;
                return release();
            }
        }

        /** Waits one read timeout for the CONNECT or the close, then fails as the read did (or times out). */
        private int release() throws IOException {
            int slice;
            try {
                slice = socket.getSoTimeout();
            } catch (IOException closed) {
                slice = 0; // a TLS socket closes itself on a fatal alert
            }
            try {
                if (!sentOrClosed) {
                    startup.wait(slice == 0 ? 1_000 : slice);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while the connection starts");
            }
            if (!sentOrClosed) {
                throw new SocketTimeoutException("Read timed out"); // Paho reads again, or stops
            }
            return rethrow(heldFailure);
        }

        private int rethrow(IOException failure) throws IOException {
            if (failure instanceof EOFException) {
                return -1;
            }
            throw failure;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            synchronized (startup) {
                sentOrClosed = true;
                startup.notifyAll();
            }
        }
    }
}
