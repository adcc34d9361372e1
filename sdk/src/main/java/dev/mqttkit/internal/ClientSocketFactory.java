package dev.mqttkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The sockets Paho connects with: {@code TCP_NODELAY} unless turned off, and input read through
 * {@link InboundTopicStream} (large buffered reads; topics Paho cannot decode get an alias from
 * {@link TopicAliases}).
 */
public final class ClientSocketFactory extends SocketFactory {

    private final SocketFactory delegate;
    private final boolean tcpNoDelay;
    private final TopicAliases aliases;
    private final ReceiveGate gate;
    private volatile Socket lastSocket;

    ClientSocketFactory(SocketFactory delegate, boolean tcpNoDelay, TopicAliases aliases, ReceiveGate gate) {
        this.delegate = delegate;
        this.tcpNoDelay = tcpNoDelay;
        this.aliases = aliases;
        this.gate = gate;
    }

    /**
     * Returns the plain or TLS factory for a server URI.
     *
     * @param serverUri the broker URI; {@code ssl://} gives a TLS factory
     * @param base the factory to wrap, or {@code null} for the JVM default
     * @param tcpNoDelay whether to turn Nagle's algorithm off
     * @param aliases where inbound topics that Paho cannot decode are registered
     * @param gate where the reader waits before a PUBLISH until the listeners have room
     * @return a factory Paho accepts for that scheme
     */
    public static SocketFactory forUri(String serverUri, SocketFactory base, boolean tcpNoDelay, TopicAliases aliases,
            ReceiveGate gate) {
        if (serverUri.startsWith("ssl://")) {
            SSLSocketFactory ssl = base instanceof SSLSocketFactory s ? s : (SSLSocketFactory) SSLSocketFactory.getDefault();
            return new ClientSslSocketFactory(ssl, tcpNoDelay, aliases, gate);
        }
        return new ClientSocketFactory(base == null ? SocketFactory.getDefault() : base, tcpNoDelay, aliases, gate);
    }

    static Socket configure(Socket socket, boolean tcpNoDelay) throws IOException {
        if (tcpNoDelay) {
            socket.setTcpNoDelay(true);
        }
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

    private Socket framed(Socket socket) throws IOException {
        Socket framed = new FramedSocket(configure(socket, tcpNoDelay), aliases, gate);
        lastSocket = framed;
        return framed;
    }

    @Override
    public Socket createSocket() throws IOException {
        return framed(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return framed(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return framed(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return framed(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return framed(delegate.createSocket(address, port, localAddress, localPort));
    }
}
