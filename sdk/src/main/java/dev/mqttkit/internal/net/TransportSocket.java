package dev.mqttkit.internal.net;

import dev.mqttkit.Proxy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A connection that mqttkit opens itself, for what Paho cannot do: through a proxy ({@link ProxyTunnel}), TLS from
 * our own settings, and MQTT over WebSockets ({@link WebSocketUpgrade}, {@link WebSocketInput},
 * {@link WebSocketOutput}). Paho connects it as if to {@code tcp://host:port} and sees plain MQTT bytes, so
 * everything above it (the topic aliases, the receive gate, the start-up fix) works the same on every transport.
 */
final class TransportSocket extends Socket {

    private static final int HANDSHAKE_BUFFER = 16 * 1024;

    private final Routes routes;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private Socket raw;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    private volatile Socket top;
    private volatile SSLSocket tls;
    private volatile InputStream input;
    private volatile OutputStream output;
    private volatile boolean tcpNoDelay;
    private volatile int soTimeout;

    TransportSocket(Routes routes) {
        this.routes = routes;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress address)) {
            throw new IllegalArgumentException("Unsupported address type " + endpoint);
        }
        Endpoint target = routes.endpoint(address.getHostString(), address.getPort());
        // three quarters of the connect timeout for the proxy, TLS and the upgrade: a step that hangs then fails
        // saying which step it was, before the whole connect times out, and the rest is left for the CONNACK
        long deadline = System.nanoTime() + (timeout > 0 ? timeout : 30_000) * 750_000L;
        Proxy proxy = routes.proxyFor(target);
        Socket socket = ProxyTunnel.open(target, proxy, deadline);
        synchronized (lock) {
            if (closed) {
                socket.close();
                throw new SocketException("Socket is closed");
            }
            raw = socket;
        }
        try {
            socket.setTcpNoDelay(tcpNoDelay);
            Socket layer = socket;
            if (target.secure()) {
                SSLSocket secure = (SSLSocket) routes.tls().createSocket(socket, target.host(), target.port(), true);
                secure.setEnabledProtocols(TlsContexts.modernProtocols(secure));
                if (routes.verifyHostname()) {
                    SSLParameters parameters = secure.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    secure.setSSLParameters(parameters);
                }
                tls = secure;
                secure.setSoTimeout(ProxyTunnel.remaining(deadline));
                secure.startHandshake();
                layer = secure;
            }
            InputStream in = layer.getInputStream();
            OutputStream out = layer.getOutputStream();
            if (target.webSocket()) {
                layer.setSoTimeout(ProxyTunnel.remaining(deadline));
                InputStream buffered = new BufferedInputStream(in, HANDSHAKE_BUFFER);
                WebSocketUpgrade.perform(buffered, out, target, routes.webSocketHeaders());
                WebSocketOutput frames = new WebSocketOutput(out);
                in = new WebSocketInput(buffered, frames);
                out = frames;
            }
            layer.setSoTimeout(soTimeout);
            input = in;
            output = out;
            top = layer;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The TLS layer of this connection, once its handshake began; {@code null} without TLS. */
    SSLSocket tlsSocket() {
        return tls;
    }

    private Socket connected() throws SocketException {
        Socket layer = top;
        if (layer == null) {
            throw new SocketException(isClosed() ? "Socket is closed" : "Socket is not connected");
        }
        return layer;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        connected();
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        connected();
        return output;
    }

    @Override
    public void close() throws IOException {
        Socket socket;
        synchronized (lock) {
            closed = true;
            socket = raw;
        }
        Socket layer = top;
        if (layer != null && layer != socket) {
            layer.close();
        }
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public boolean isConnected() {
        return top != null;
    }

    @Override
    public boolean isBound() {
        return top != null;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        soTimeout = timeout;
        Socket layer = top;
        if (layer != null) {
            layer.setSoTimeout(timeout);
        }
    }

    @Override
    public int getSoTimeout() throws SocketException {
        Socket layer = top;
        return layer == null ? soTimeout : layer.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        tcpNoDelay = on;
        Socket socket = rawSocket();
        if (socket != null) {
            socket.setTcpNoDelay(on);
        }
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        Socket socket = rawSocket();
        return socket == null ? tcpNoDelay : socket.getTcpNoDelay();
    }

    private Socket rawSocket() {
        synchronized (lock) {
            return raw;
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        connected();
        rawSocket().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        connected();
        rawSocket().shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        Socket socket = rawSocket();
        return socket != null && socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        Socket socket = rawSocket();
        return socket != null && socket.isOutputShutdown();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        connected();
        rawSocket().setSoLinger(on, linger);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        connected();
        rawSocket().setKeepAlive(on);
    }

    /** The proxy's address when there is one: the socket's own peer. */
    @Override
    public InetAddress getInetAddress() {
        Socket socket = rawSocket();
        return socket == null ? null : socket.getInetAddress();
    }

    @Override
    public int getPort() {
        Socket socket = rawSocket();
        return socket == null ? 0 : socket.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        Socket socket = rawSocket();
        return socket == null ? null : socket.getRemoteSocketAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        Socket socket = rawSocket();
        return socket == null ? null : socket.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        Socket socket = rawSocket();
        return socket == null ? -1 : socket.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        Socket socket = rawSocket();
        return socket == null ? null : socket.getLocalSocketAddress();
    }

    @Override
    public String toString() {
        return "TransportSocket[" + rawSocket() + (tls == null ? "" : ", TLS") + "]";
    }
}
