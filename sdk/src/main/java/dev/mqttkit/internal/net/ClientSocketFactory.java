package dev.mqttkit.internal.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The sockets Paho connects with: {@code TCP_NODELAY} unless turned off, and input read through
 * {@link InboundTopicStream} (large buffered reads; topics Paho cannot decode get an alias from
 * {@link TopicAliases}).
 */
final class ClientSocketFactory extends SocketFactory {

    private final SocketFactory delegate;
    private final boolean tcpNoDelay;
    private final InboundHooks hooks;
    private volatile Socket lastSocket;

    ClientSocketFactory(SocketFactory delegate, boolean tcpNoDelay, InboundHooks hooks) {
        this.delegate = delegate;
        this.tcpNoDelay = tcpNoDelay;
        this.hooks = hooks;
    }

    /**
     * Returns the socket this factory made last, for diagnostics and tests.
     *
     * @return the socket, or {@code null}
     */
    Socket lastSocket() {
        return lastSocket;
    }

    private Socket framed(Socket socket) throws IOException {
        Socket framed = FramedSocket.wrap(socket, tcpNoDelay, hooks);
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
