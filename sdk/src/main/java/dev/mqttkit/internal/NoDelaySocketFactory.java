package dev.mqttkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Wraps a socket factory so that every socket has {@code TCP_NODELAY} set before it connects.
 *
 * <p>Paho never sets it, so Nagle's algorithm holds back small packets such as PUBACKs until the peer's
 * delayed ACK fires: a QoS 1 request/response round trip then takes tens of milliseconds instead of a fraction
 * of one.
 */
public final class NoDelaySocketFactory extends SocketFactory {

    private final SocketFactory delegate;
    private volatile Socket lastSocket;

    NoDelaySocketFactory(SocketFactory delegate) {
        this.delegate = delegate;
    }

    /**
     * Returns the plain or TLS factory for a server URI, with {@code TCP_NODELAY} on every socket.
     *
     * @param serverUri the broker URI; {@code ssl://} gives a TLS factory
     * @param base the factory to wrap, or {@code null} for the JVM default
     * @return a factory Paho accepts for that scheme
     */
    public static SocketFactory forUri(String serverUri, SocketFactory base) {
        if (serverUri.startsWith("ssl://")) {
            SSLSocketFactory ssl = base instanceof SSLSocketFactory s ? s : (SSLSocketFactory) SSLSocketFactory.getDefault();
            return new NoDelaySslSocketFactory(ssl);
        }
        return new NoDelaySocketFactory(base == null ? SocketFactory.getDefault() : base);
    }

    static Socket configure(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    /**
     * Returns the socket this factory made last, for diagnostics and tests.
     *
     * @return the socket, or {@code null}
     */
    public Socket lastSocket() {
        return lastSocket;
    }

    private Socket remember(Socket socket) throws IOException {
        lastSocket = configure(socket);
        return socket;
    }

    @Override
    public Socket createSocket() throws IOException {
        return remember(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return remember(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return remember(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return remember(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return remember(delegate.createSocket(address, port, localAddress, localPort));
    }
}
