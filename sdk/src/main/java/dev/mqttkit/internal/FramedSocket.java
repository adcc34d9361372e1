package dev.mqttkit.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A socket whose input Paho reads through {@link InboundTopicStream}: buffered, with the topics it cannot decode
 * aliased. Everything else goes to the real socket, plain or TLS.
 *
 * <p>It is an {@link SSLSocket} so that one class serves both: Paho's TLS module casts its socket to
 * {@code SSLSocket} to configure and start the handshake; over plain TCP those methods are never called (and
 * would throw {@link UnsupportedOperationException}).
 */
final class FramedSocket extends SSLSocket {

    private static final int READ_BUFFER = 64 * 1024;

    private final Socket socket;
    private final TopicAliases aliases;
    private final ReceiveGate gate;
    private InputStream input;
    private OutputStream output;

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

    FramedSocket(Socket socket, TopicAliases aliases, ReceiveGate gate) {
        this.socket = socket;
        this.aliases = aliases;
        this.gate = gate;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new InboundTopicStream(new BufferedInputStream(new StartupInput(socket.getInputStream()),
                    READ_BUFFER), aliases, gate);
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
            output = new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    beforeWrite();
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    beforeWrite();
                    out.write(b, off, len);
                }
            };
        }
        return output;
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
            return n < 0 ? hold(new EOFException("The broker closed the connection")) : n;
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
    public void connect(SocketAddress endpoint) throws IOException {
        socket.connect(endpoint);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        socket.connect(endpoint, timeout);
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        socket.bind(bindpoint);
    }

    @Override
    public InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return socket.getChannel();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return socket.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        socket.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return socket.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        socket.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        socket.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return socket.getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        socket.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return socket.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        socket.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return socket.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        socket.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return socket.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        socket.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return socket.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        socket.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return socket.getReuseAddress();
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

    @Override
    public void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public String toString() {
        return socket.toString();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isBound() {
        return socket.isBound();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return socket.isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        socket.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        socket.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return socket.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return socket.supportedOptions();
    }

    private SSLSocket tls() {
        if (socket instanceof SSLSocket ssl) {
            return ssl;
        }
        throw new UnsupportedOperationException("Not a TLS socket: " + socket);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls().getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return tls().getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        tls().setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return tls().getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return tls().getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        tls().setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return tls().getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return tls().getHandshakeSession();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        tls().addHandshakeCompletedListener(listener);
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        tls().removeHandshakeCompletedListener(listener);
    }

    @Override
    public void startHandshake() throws IOException {
        tls().startHandshake();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        tls().setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return tls().getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        tls().setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return tls().getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        tls().setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return tls().getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        tls().setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return tls().getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return tls().getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters parameters) {
        tls().setSSLParameters(parameters);
    }

    @Override
    public String getApplicationProtocol() {
        return tls().getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return tls().getHandshakeApplicationProtocol();
    }

    /** The real socket, for diagnostics and tests. */
    Socket unwrap() {
        return socket;
    }
}
