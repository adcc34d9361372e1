package dev.mqttkit.internal.net;

import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factories Paho connects with: {@code TCP_NODELAY} unless turned off, TLS 1.2 or newer, and input
 * read through {@link InboundTopicStream} (large buffered reads, aliased topics, backpressure).
 */
public final class SocketFactories {

    private SocketFactories() {
    }

    /**
     * Returns the plain or TLS factory for a server URI.
     *
     * @param serverUri {@code tcp://...} or {@code ssl://...}
     * @param base the TLS factory to wrap for {@code ssl://} ({@code null}: the JVM's default), or a plain factory
     * @param tcpNoDelay whether to set {@code TCP_NODELAY}
     * @param hooks what the socket reader works with
     * @return the factory to give Paho
     */
    public static SocketFactory forUri(String serverUri, SocketFactory base, boolean tcpNoDelay, InboundHooks hooks) {
        if (serverUri.startsWith("ssl://")) {
            SSLSocketFactory ssl = base instanceof SSLSocketFactory s ? s : TlsContexts.jvmDefault();
            return new ClientSslSocketFactory(ssl, tcpNoDelay, hooks);
        }
        return new ClientSocketFactory(base == null ? SocketFactory.getDefault() : base, tcpNoDelay, hooks);
    }

    /**
     * Tells whether the server presented its certificate on a TLS socket of ours, to tell a port that does not speak
     * TLS from a broker that refused the client's certificate: both end the connection during the handshake.
     *
     * @param socket a socket from {@link #lastSocket}, or {@code null}
     * @return {@code null} when unknown (no socket, a plain one, not one of ours)
     */
    public static Boolean tlsServerAnswered(Socket socket) {
        return socket instanceof FramedSocket framed && framed.unwrap() instanceof javax.net.ssl.SSLSocket tls
                ? ServerCertificates.presented(tls) : null;
    }

    /**
     * Returns the socket a factory of {@link #forUri} made last, for diagnostics and tests.
     *
     * @param factory the factory
     * @return the socket, or {@code null} when it made none or is not one of ours
     */
    public static Socket lastSocket(SocketFactory factory) {
        if (factory instanceof ClientSslSocketFactory tls) {
            return tls.lastSocket();
        }
        return factory instanceof ClientSocketFactory plain ? plain.lastSocket() : null;
    }
}
