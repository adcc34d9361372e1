package dev.mqttkit.internal.net;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server URI, parsed: {@code tcp://host:port}, {@code ssl://host:port}, {@code ws://host[:port][/path]} or
 * {@code wss://host[:port][/path]} (WebSockets: port 80 or 443 and path {@value #DEFAULT_PATH} by default, as HiveMQ,
 * EMQX and AWS IoT expect; Mosquitto takes any path).
 *
 * @param uri the URI as the user wrote it
 * @param scheme {@code tcp}, {@code ssl}, {@code ws} or {@code wss}
 * @param host the host, without brackets around an IPv6 address
 * @param port the port
 * @param path the WebSocket path (starts with {@code /}); empty for tcp and ssl
 */
public record Endpoint(String uri, String scheme, String host, int port, String path) {

    /** The path of a WebSocket URI that names none. */
    public static final String DEFAULT_PATH = "/mqtt";

    private static final Pattern PLAIN = Pattern.compile("(tcp|ssl)://(\\[[^\\]/]+\\]|[^/:\\[\\]]+):(\\d{1,5})");
    private static final Pattern WEB = Pattern.compile(
            "(ws|wss)://(\\[[^\\]/]+\\]|[^/:\\[\\]?#]+)(?::(\\d{1,5}))?(/[^\\s#]*)?");

    /** What the user is told when a URI has none of the four forms. */
    public static final String FORMS = "tcp://host:port, ssl://host:port, ws://host:port/path or wss://host:port/path";

    /**
     * Parses a server URI.
     *
     * @param uri the URI
     * @return the endpoint
     * @throws IllegalArgumentException naming the URI and the forms it may take
     */
    public static Endpoint parse(String uri) {
        Matcher plain = PLAIN.matcher(uri);
        if (plain.matches()) {
            return new Endpoint(uri, plain.group(1), unbracket(plain.group(2)), port(uri, plain.group(3)), "");
        }
        Matcher web = WEB.matcher(uri);
        if (web.matches()) {
            boolean secure = web.group(1).equals("wss");
            int port = web.group(3) == null ? (secure ? 443 : 80) : port(uri, web.group(3));
            String path = web.group(4) == null ? DEFAULT_PATH : web.group(4);
            return new Endpoint(uri, web.group(1), unbracket(web.group(2)), port, path);
        }
        throw new IllegalArgumentException("Server URI [" + uri + "] must look like " + FORMS + ".");
    }

    /**
     * Parses failover URIs: all of one scheme.
     *
     * @param uris one or more URIs
     * @return the endpoints, in order
     */
    public static List<Endpoint> parseAll(List<String> uris) {
        List<Endpoint> endpoints = uris.stream().map(Endpoint::parse).toList();
        String scheme = endpoints.get(0).scheme();
        if (endpoints.stream().anyMatch(e -> !e.scheme().equals(scheme))) {
            throw new IllegalArgumentException("Server URIs " + uris + " must all have the same scheme (all tcp://, "
                    + "all ssl://, all ws:// or all wss://).");
        }
        return endpoints;
    }

    private static int port(String uri, String digits) {
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Server URI [" + uri + "] has port " + port
                    + ", which must be between 1 and 65535.");
        }
        return port;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether TLS runs on this connection: {@code ssl://} and {@code wss://}. */
    public boolean secure() {
        return scheme.equals("ssl") || scheme.equals("wss");
    }

    /** Whether MQTT goes in WebSocket frames: {@code ws://} and {@code wss://}. */
    public boolean webSocket() {
        return scheme.startsWith("ws");
    }

    /** {@code host:port}, with brackets around an IPv6 address: the HTTP {@code Host} and CONNECT form. */
    public String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The same broker without TLS, for advice: {@code ssl://} becomes {@code tcp://}, {@code wss://} {@code ws://}. */
    public String plainUri() {
        return switch (scheme) {
            case "ssl" -> "tcp://" + uri.substring("ssl://".length());
            case "wss" -> "ws://" + uri.substring("wss://".length());
            default -> uri;
        };
    }

    /** The same broker with TLS, for advice: {@code tcp://} becomes {@code ssl://}, {@code ws://} {@code wss://}. */
    public String secureUri() {
        return switch (scheme) {
            case "tcp" -> "ssl://" + uri.substring("tcp://".length());
            case "ws" -> "wss://" + uri.substring("ws://".length());
            default -> uri;
        };
    }

    /** The URI Paho connects to when mqttkit's transport makes the connection: plain TCP to the same host and port. */
    String pahoTcpUri() {
        return "tcp://" + hostPort();
    }
}
