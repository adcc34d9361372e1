package dev.mqttkit.internal.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The socket factory for connections mqttkit opens itself ({@link TransportSocket}): WebSockets, proxies, and TLS
 * through a proxy. Paho is given {@code tcp://host:port} for each broker; {@link Routes} knows which URI the user
 * wrote for it.
 */
final class TransportSocketFactory extends SocketFactory {

    private final Routes routes;
    private final boolean tcpNoDelay;
    private final InboundHooks hooks;
    private volatile Socket lastSocket;

    TransportSocketFactory(Routes routes, boolean tcpNoDelay, InboundHooks hooks) {
        this.routes = routes;
        this.tcpNoDelay = tcpNoDelay;
        this.hooks = hooks;
    }

    /** The socket this factory made last, for diagnostics and tests. */
    Socket lastSocket() {
        return lastSocket;
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket framed = FramedSocket.wrap(new TransportSocket(routes), tcpNoDelay, hooks);
        lastSocket = framed;
        return framed;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return createSocket(address.getHostAddress(), port);
    }
}
