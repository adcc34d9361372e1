package dev.mqttkit.internal.net;

import dev.mqttkit.Proxy;
import dev.mqttkit.internal.TransportSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * Where each connection of mqttkit's own transport goes: Paho connects to {@code tcp://host:port}, and this tells,
 * by host and port, which URI the user wrote for it, through which proxy, and with which TLS settings.
 */
final class Routes {

    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final SSLSocketFactory tls;
    private final boolean verifyHostname;
    private final TransportSettings settings;

    /**
     * @param brokers the brokers, each host and port once
     * @param tls the TLS factory for ssl:// and wss://, or {@code null} for plain brokers
     * @param verifyHostname whether TLS checks the broker's host name
     * @param settings the proxy and the WebSocket headers
     */
    Routes(List<Endpoint> brokers, SSLSocketFactory tls, boolean verifyHostname, TransportSettings settings) {
        for (Endpoint broker : brokers) {
            if (endpoints.putIfAbsent(key(broker.host(), broker.port()), broker) != null) {
                throw new IllegalArgumentException("Server URIs " + brokers.stream().map(Endpoint::uri).toList()
                        + " name " + broker.hostPort() + " twice; give each broker once.");
            }
        }
        this.tls = tls;
        this.verifyHostname = verifyHostname;
        this.settings = settings;
    }

    private static String key(String host, int port) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return bare.toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The broker the user named for the host and port Paho connects to. */
    Endpoint endpoint(String host, int port) throws IOException {
        Endpoint endpoint = endpoints.get(key(host, port));
        if (endpoint == null) {
            throw new IOException("No server URI names " + host + ":" + port); // Paho only connects to ours
        }
        return endpoint;
    }

    /** The proxy for a broker: the one set, else for WebSockets the JVM's HTTP proxy for that host, if any. */
    Proxy proxyFor(Endpoint target) {
        if (settings.proxy() != null || !target.webSocket()) {
            return settings.proxy(); // a plain socket applies the JVM's socksProxyHost by itself
        }
        ProxySelector selector = ProxySelector.getDefault();
        if (selector == null) {
            return null;
        }
        URI uri = URI.create((target.secure() ? "https" : "http") + "://" + target.hostPort() + "/");
        for (java.net.Proxy proxy : selector.select(uri)) {
            if (proxy.type() == java.net.Proxy.Type.HTTP && proxy.address() instanceof InetSocketAddress address) {
                return Proxy.http(address.getHostString(), address.getPort());
            }
        }
        return null;
    }

    SSLSocketFactory tls() {
        return tls;
    }

    boolean verifyHostname() {
        return verifyHostname;
    }

    /** The extra headers of the WebSocket upgrade. */
    Map<String, String> webSocketHeaders() {
        return settings.webSocketHeaders();
    }
}
