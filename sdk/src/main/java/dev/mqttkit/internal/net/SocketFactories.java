package dev.mqttkit.internal.net;

import dev.mqttkit.internal.TransportSettings;
import java.io.IOException;
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
     * Returns the factory for a client's brokers: mqttkit's own transport ({@link TransportSocketFactory}) for
     * WebSockets or a proxy, else the plain or TLS factory of {@link #forUri}.
     *
     * @param serverUris the brokers, all of one scheme
     * @param tls the TLS settings ({@code null}: the JVM's)
     * @param verifyHostname whether TLS checks the broker's host name
     * @param transport the proxy and WebSocket headers
     * @param tcpNoDelay whether to set {@code TCP_NODELAY}
     * @param hooks what the socket reader works with
     * @return the factory to give Paho, with {@link #pahoUri} for each broker
     */
    public static SocketFactory forServers(java.util.List<String> serverUris, SSLSocketFactory tls,
            boolean verifyHostname, TransportSettings transport, boolean tcpNoDelay, InboundHooks hooks) {
        java.util.List<Endpoint> endpoints = Endpoint.parseAll(serverUris);
        if (ownTransport(endpoints.get(0), transport)) {
            SSLSocketFactory secure = !endpoints.get(0).secure() ? null : tls != null ? tls : TlsContexts.jvmDefault();
            return new TransportSocketFactory(new Routes(endpoints, secure, verifyHostname, transport), tcpNoDelay,
                    hooks);
        }
        return forUri(serverUris.get(0), tls, tcpNoDelay, hooks);
    }

    /**
     * The URI Paho connects to for a broker: the user's own, or {@code tcp://host:port} when mqttkit's transport
     * opens the connection (WebSockets, a proxy).
     *
     * @param serverUri the user's URI
     * @param transport the proxy and WebSocket headers
     * @return the URI for Paho
     */
    public static String pahoUri(String serverUri, TransportSettings transport) {
        Endpoint endpoint = Endpoint.parse(serverUri);
        return ownTransport(endpoint, transport) ? endpoint.pahoTcpUri() : serverUri;
    }

    private static boolean ownTransport(Endpoint endpoint, TransportSettings transport) {
        return endpoint.webSocket() || transport.proxy() != null;
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
        if (!(socket instanceof FramedSocket framed)) {
            return null;
        }
        javax.net.ssl.SSLSocket tls = framed.unwrap() instanceof TransportSocket transport ? transport.tlsSocket()
                : framed.unwrap() instanceof javax.net.ssl.SSLSocket ssl ? ssl : null;
        return tls == null ? null : ServerCertificates.presented(tls);
    }

    /**
     * Sends a QoS 0 message past Paho, on a socket of mqttkit's factories, between Paho's own packets.
     *
     * @param socket a socket from {@link #lastSocket}, or {@code null}
     * @param topic the topic name, checked by the caller
     * @param payload the payload
     * @param retain the retain flag
     * @return {@code false}, with nothing sent, when the socket is not one of ours, Paho has not connected on it
     *     yet or is disconnecting: Paho sends the message instead
     * @throws IOException when the connection is gone (the message may have been partly sent)
     */
    public static boolean publishAtMostOnce(Socket socket, String topic, byte[] payload, boolean retain)
            throws IOException {
        return socket instanceof FramedSocket framed && framed.publishAtMostOnce(topic, payload, retain);
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
        if (factory instanceof TransportSocketFactory transport) {
            return transport.lastSocket();
        }
        return factory instanceof ClientSocketFactory plain ? plain.lastSocket() : null;
    }
}
