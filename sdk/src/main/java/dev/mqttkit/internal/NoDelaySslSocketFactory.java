package dev.mqttkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS twin of {@link ClientSocketFactory}: Paho insists on an {@link SSLSocketFactory} for ssl:// URIs.
 * {@code TCP_NODELAY} only; its input is not yet read through {@link InboundTopicStream}.
 */
final class NoDelaySslSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final boolean tcpNoDelay;

    NoDelaySslSocketFactory(SSLSocketFactory delegate, boolean tcpNoDelay) {
        this.delegate = delegate;
        this.tcpNoDelay = tcpNoDelay;
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
        return ClientSocketFactory.configure(delegate.createSocket(), tcpNoDelay);
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return ClientSocketFactory.configure(delegate.createSocket(socket, host, port, autoClose), tcpNoDelay);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return ClientSocketFactory.configure(delegate.createSocket(host, port), tcpNoDelay);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return ClientSocketFactory.configure(delegate.createSocket(host, port, localHost, localPort), tcpNoDelay);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return ClientSocketFactory.configure(delegate.createSocket(host, port), tcpNoDelay);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return ClientSocketFactory.configure(delegate.createSocket(address, port, localAddress, localPort), tcpNoDelay);
    }
}
