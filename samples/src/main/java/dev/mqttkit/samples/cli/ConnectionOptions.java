package dev.mqttkit.samples.cli;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Proxy;
import dev.mqttkit.Qos;
import dev.mqttkit.Tls;
import dev.mqttkit.samples.broker.EmbeddedBroker;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options every sample takes: where the broker is, who we are, which QoS. */
final class ConnectionOptions {

    static final String DEFAULT_BROKER = "tcp://localhost:1883";

    @Option(names = "--broker", paramLabel = "URI", defaultValue = DEFAULT_BROKER,
            description = "The broker, as tcp://host:port, ssl://host:port, or MQTT over WebSockets as "
                    + "ws://host:port/path or wss://host:port/path (default: ${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--embedded",
            description = "Start an MQTT broker inside this program, on 127.0.0.1 and the port of --broker, "
                    + "instead of using one that runs already.")
    boolean embedded;

    @Option(names = "--client-id", paramLabel = "ID",
            description = "The MQTT client id; each client on a broker needs its own (default: a random one).")
    String clientId;

    @Option(names = "--qos", paramLabel = "0|1|2", defaultValue = "2", converter = QosConverter.class,
            description = "The QoS of publishes and subscriptions (default: ${DEFAULT-VALUE}, as in the course).")
    Qos qos;

    @Option(names = "--username", paramLabel = "NAME", description = "The user name, if the broker wants one.")
    String username;

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            description = "The password; --password alone asks for it without showing it.")
    char[] password;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "TLS: the CA certificate (PEM) that signed the broker's certificate, with an ssl:// or wss:// "
                    + "--broker "
                    + "(default: the CAs Java trusts).")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "TLS: this client's certificate (PEM), for a broker that wants one; with --key.")
    Path certificate;

    @Option(names = "--key", paramLabel = "FILE",
            description = "TLS: the private key of --cert (PEM, PKCS#8, unencrypted).")
    Path key;

    @Option(names = "--proxy", paramLabel = "URI",
            description = "Connect through a proxy: http://host:port (an HTTP proxy's CONNECT) or socks5://host:port.")
    String proxy;

    @Option(names = "--proxy-user", paramLabel = "NAME", description = "The proxy's user name, if it wants one.")
    String proxyUser;

    @Option(names = "--proxy-password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            description = "The proxy's password; --proxy-password alone asks for it without showing it.")
    char[] proxyPassword;

    /** The broker this sample talks to: {@link #broker}, or an embedded one started on its port. */
    Broker open() {
        if (embedded && !broker.startsWith("tcp://")) {
            throw new IllegalArgumentException("The embedded broker speaks MQTT over plain TCP: leave out --embedded, "
                    + "or use a tcp:// --broker.");
        }
        if (!embedded) {
            return new Broker(broker, null);
        }
        EmbeddedBroker started = EmbeddedBroker.start(port());
        return new Broker(started.uri(), started);
    }

    /**
     * The client id: {@code --client-id}, or a random one naming the sample ({@code mqttkit-led-3f2a}).
     *
     * @param role the sample's name
     */
    String clientId(String role) {
        return clientId != null ? clientId
                : "mqttkit-" + role + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    /** A client builder for this broker and client id, with the QoS and credentials of the options. */
    MyMqtt.Builder client(String uri, String id) {
        MyMqtt.Builder builder = MyMqtt.builder()
                .serverUri(uri)
                .clientId(id)
                .defaultQos(qos)
                .connectTimeout(Duration.ofSeconds(5));
        if (username != null) {
            builder.credentials(username, password == null ? new char[0] : password);
        }
        if (ca != null || certificate != null || key != null) {
            builder.tls(tls(uri));
        }
        if (proxy != null) {
            builder.proxy(proxy());
        } else if (proxyUser != null) {
            throw new IllegalArgumentException("--proxy-user goes with --proxy, for example --proxy "
                    + "http://proxy:3128.");
        }
        return builder;
    }

    /** TLS from {@code --ca}, {@code --cert} and {@code --key}: the broker is checked, this client shows who it is. */
    private Tls tls(String uri) {
        if (!uri.startsWith("ssl://") && !uri.startsWith("wss://")) {
            throw new IllegalArgumentException("--ca, --cert and --key are for TLS: use an ssl:// or wss:// --broker, "
                    + "for example ssl://localhost:8883.");
        }
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("--cert and --key go together: this client's certificate and its "
                    + "private key.");
        }
        Tls tls = ca != null ? Tls.trusting(ca) : Tls.jvmTrustStore();
        return certificate != null ? tls.withClientCertificate(certificate, key) : tls;
    }

    /** The proxy of {@code --proxy}, with {@code --proxy-user} and {@code --proxy-password}. */
    private Proxy proxy() {
        URI uri;
        try {
            uri = new URI(proxy);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getPort() < 0
                || !("http".equals(uri.getScheme()) || "socks5".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("--proxy [" + proxy + "] must look like http://host:port or "
                    + "socks5://host:port; give a user with --proxy-user.");
        }
        Proxy chosen = "http".equals(uri.getScheme()) ? Proxy.http(uri.getHost(), uri.getPort())
                : Proxy.socks5(uri.getHost(), uri.getPort());
        return proxyUser == null ? chosen
                : chosen.withCredentials(proxyUser, proxyPassword == null ? "" : new String(proxyPassword));
    }

    String describeBroker() {
        return embedded ? "an embedded broker on 127.0.0.1:" + port() : broker;
    }

    private int port() {
        try {
            int port = new URI(broker).getPort();
            return port == -1 ? 1883 : port;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--broker [" + broker + "] is not a URI like tcp://localhost:1883.", e);
        }
    }

    /** A broker in use, and the embedded one to stop afterwards, if any. */
    record Broker(String uri, EmbeddedBroker embedded) implements AutoCloseable {
        @Override
        public void close() {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Reads {@code 0}, {@code 1} or {@code 2}. */
    static final class QosConverter implements ITypeConverter<Qos> {
        @Override
        public Qos convert(String value) {
            switch (value.strip()) {
                case "0":
                    return Qos.AT_MOST_ONCE;
                case "1":
                    return Qos.AT_LEAST_ONCE;
                case "2":
                    return Qos.EXACTLY_ONCE;
                default:
                    throw new TypeConversionException("QoS [" + value + "] must be 0, 1 or 2");
            }
        }
    }
}
