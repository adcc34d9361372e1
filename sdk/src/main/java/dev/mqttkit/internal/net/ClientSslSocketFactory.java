package dev.mqttkit.internal.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS twin of the plain socket factory, for Paho insists on an {@link SSLSocketFactory} for ssl:// URIs:
 * TLS 1.2 or newer, {@code TCP_NODELAY} unless turned off, and input read through {@link InboundTopicStream}.
 */
final class ClientSslSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final boolean tcpNoDelay;
    private final InboundHooks hooks;
    private volatile Socket lastSocket;

    ClientSslSocketFactory(SSLSocketFactory delegate, boolean tcpNoDelay, InboundHooks hooks) {
        this.delegate = delegate;
        this.tcpNoDelay = tcpNoDelay;
        this.hooks = hooks;
    }

    /** The socket this factory made last, for diagnostics and tests. */
    Socket lastSocket() {
        return lastSocket;
    }

    /** TLS 1.2 or newer only, then framed (and TCP_NODELAY as configured). */
    private Socket secure(Socket socket, boolean tcpNoDelay) throws IOException {
        if (socket instanceof SSLSocket ssl) {
            ssl.setEnabledProtocols(TlsContexts.modernProtocols(ssl));
        }
        Socket framed = FramedSocket.wrap(socket, tcpNoDelay, hooks);
        lastSocket = framed;
        return framed;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return secure(delegate.createSocket(), tcpNoDelay);
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return secure(delegate.createSocket(socket, host, port, autoClose), tcpNoDelay);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return secure(delegate.createSocket(host, port), tcpNoDelay);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return secure(delegate.createSocket(host, port, localHost, localPort), tcpNoDelay);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return secure(delegate.createSocket(host, port), tcpNoDelay);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return secure(delegate.createSocket(address, port, localAddress, localPort), tcpNoDelay);
    }
}
