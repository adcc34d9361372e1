package dev.mqttkit.internal;

import dev.mqttkit.Proxy;
import java.util.Map;

/**
 * How the client reaches its brokers beyond the URI: a proxy, and the HTTP headers of a WebSocket upgrade.
 *
 * @param proxy the proxy, or {@code null} for the JVM's standard proxy settings
 * @param webSocketHeaders extra headers of the WebSocket upgrade request (an auth token, say), in order
 */
public record TransportSettings(Proxy proxy, Map<String, String> webSocketHeaders) {

    /** Headers the WebSocket handshake itself sets: the user may not replace them. */
    public static final java.util.Set<String> RESERVED_HEADERS = java.util.Set.of("host", "upgrade", "connection",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions");

    /** No proxy of our own, no extra headers. */
    public static final TransportSettings DEFAULT = new TransportSettings(null, Map.of());

    /** Copies the headers. */
    public TransportSettings {
        webSocketHeaders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(webSocketHeaders));
    }

    /**
     * Checks a WebSocket upgrade header the user adds.
     *
     * @param name the header name
     * @param value the value
     * @throws IllegalArgumentException naming the header and what is wrong
     */
    public static void checkHeader(String name, String value) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(value, "value");
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("WebSocket header name [" + name + "] must be an HTTP token (letters, "
                    + "digits and !#$%&'*+-.^_`|~, no spaces or colons).");
        }
        if (RESERVED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("WebSocket header [" + name + "] is set by the WebSocket handshake "
                    + "itself; it cannot be replaced.");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("The value of WebSocket header [" + name + "] must be one line "
                    + "(no CR or LF).");
        }
    }

    @Override
    public String toString() {
        // header values may be tokens: names only
        return "TransportSettings[proxy=" + (proxy == null ? "JVM settings" : proxy) + ", webSocketHeaders="
                + webSocketHeaders.keySet() + "]";
    }
}
