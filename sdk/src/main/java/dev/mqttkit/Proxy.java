package dev.mqttkit;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A proxy between the client and the broker: an HTTP proxy that opens a tunnel with {@code CONNECT}, or a SOCKS5
 * proxy, for every transport ({@code tcp://}, {@code ssl://}, {@code ws://}, {@code wss://}).
 *
 * <pre>{@code
 * MyMqtt mqtt = MyMqtt.builder()
 *         .serverUri("wss://broker.example.com:443/mqtt")
 *         .proxy(Proxy.http("proxy.example.com", 3128).withCredentials("alice", "secret"))
 *         .build();
 * }</pre>
 *
 * <p>The broker's host name goes to the proxy as it is written in the server URI, so the proxy resolves it (as
 * corporate networks want). TLS ({@code ssl://}, {@code wss://}) runs end to end through the tunnel: the proxy sees
 * only encrypted bytes. Without a {@code Proxy}, the JVM's standard proxy settings apply: {@code socksProxyHost}
 * for every transport, and {@code http.proxyHost} ({@code https.proxyHost} for {@code wss://}) for WebSockets,
 * as for any HTTP connection of the JVM.
 *
 * <p>Immutable. {@link #toString()} names the user, never the password; mqttkit never logs it.
 */
public final class Proxy {

    /** The proxy protocol. */
    public enum Type {
        /** An HTTP proxy: the client asks it for a tunnel with {@code CONNECT host:port}. */
        HTTP,
        /** A SOCKS version 5 proxy (RFC 1928), with user name and password authentication (RFC 1929) if given. */
        SOCKS5
    }

    private final Type type;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private Proxy(Type type, String host, int port, String user, String password) {
        this.type = type;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /**
     * An HTTP proxy ({@code CONNECT} tunnels), such as Squid or tinyproxy.
     *
     * @param host the proxy's host name or address
     * @param port the proxy's port, often 3128 or 8080
     * @return the proxy, without credentials
     */
    public static Proxy http(String host, int port) {
        return new Proxy(Type.HTTP, checkHost(host), checkPort(port), null, null);
    }

    /**
     * A SOCKS5 proxy, such as Dante or {@code ssh -D}.
     *
     * @param host the proxy's host name or address
     * @param port the proxy's port, usually 1080
     * @return the proxy, without credentials
     */
    public static Proxy socks5(String host, int port) {
        return new Proxy(Type.SOCKS5, checkHost(host), checkPort(port), null, null);
    }

    /**
     * The same proxy with credentials: HTTP Basic for an HTTP proxy, user name and password for SOCKS5.
     *
     * @param user the user name
     * @param password the password; never logged
     * @return a new proxy with the credentials
     */
    public Proxy withCredentials(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("Proxy user [] must not be empty; leave out withCredentials(...) for a "
                    + "proxy without credentials.");
        }
        if (type == Type.HTTP && user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("Proxy user [" + user + "] must not contain ':' (HTTP Basic "
                    + "authentication separates the user from the password with it).");
        }
        if (type == Type.SOCKS5 && (user.getBytes(StandardCharsets.UTF_8).length > 255
                || password.getBytes(StandardCharsets.UTF_8).length > 255)) {
            throw new IllegalArgumentException("Proxy user [" + user + "] or its password is longer than SOCKS5 "
                    + "allows (255 bytes each, RFC 1929).");
        }
        return new Proxy(type, host, port, user, password);
    }

    /**
     * Returns the proxy protocol.
     *
     * @return HTTP or SOCKS5
     */
    public Type type() {
        return type;
    }

    /**
     * Returns the proxy's host.
     *
     * @return the host name or address
     */
    public String host() {
        return host;
    }

    /**
     * Returns the proxy's port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * Returns the user name, if credentials were given.
     *
     * @return the user, or {@code null}
     */
    public String user() {
        return user;
    }

    /**
     * Returns the password, if credentials were given, for the transport that sends it to the proxy.
     *
     * @return the password, or {@code null}
     */
    public String password() {
        return password;
    }

    private static String checkHost(String host) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.contains("/") || host.contains(" ")) {
            throw new IllegalArgumentException("Proxy host [" + host + "] must be a host name or address, for "
                    + "example proxy.example.com or 127.0.0.1 (no scheme, no port).");
        }
        return host;
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Proxy port [" + port + "] must be between 1 and 65535.");
        }
        return port;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Proxy p && p.type == type && p.host.equals(host) && p.port == port
                && Objects.equals(p.user, user) && Objects.equals(p.password, password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, host, port, user);
    }

    /**
     * Describes the proxy without its password, for example {@code HTTP proxy 127.0.0.1:3128 (user alice)}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return type + " proxy " + hostPort(host, port) + (user == null ? "" : " (user " + user + ")");
    }

    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
