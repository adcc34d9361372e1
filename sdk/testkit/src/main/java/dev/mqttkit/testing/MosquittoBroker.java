package dev.mqttkit.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker of the test's own, on a free 127.0.0.1 port, that a test can stop, kill and restart on the same port.
 *
 * <p>Which broker runs is chosen once per JVM, by the environment variable {@code MQTTKIT_BROKER} or else the
 * system property {@code mqttkit.broker}:
 * <ul>
 *   <li>{@code auto} (default): Mosquitto in Docker ({@code eclipse-mosquitto:2}, through Testcontainers) when
 *       Docker runs, else the local {@code mosquitto} binary, else the embedded HiveMQ CE broker, so a machine
 *       with only Java and Maven still runs the tests;</li>
 *   <li>{@code mosquitto}: real Mosquitto, Docker or local, never the embedded fallback (CI uses this);</li>
 *   <li>{@code docker}, {@code local}, {@code embedded}: exactly that one.</li>
 * </ul>
 * The generated Mosquitto configuration listens on the chosen port only, sets {@code set_tcp_nodelay true},
 * allows anonymous clients unless told otherwise, and adds a password file, an ACL file and a persistence
 * directory when configured. On the embedded broker, tests that need what only a real Mosquitto has (killing
 * the process, passwords, ACLs) are skipped with a message saying why.
 *
 * <pre>{@code
 * class DurableIT {
 *     @RegisterExtension
 *     static final MosquittoBroker BROKER = MosquittoBroker.builder()
 *             .user("alice", "secret")
 *             .acl("user alice", "topic readwrite lab/#")
 *             .persistence(true)
 *             .build();
 *
 *     @Test
 *     void survivesRestart() {
 *         MyMqtt mqtt = MyMqtt.builder().serverUri(BROKER.uri()).credentials("alice", "secret".toCharArray()).build();
 *         ...
 *         BROKER.restart();
 *     }
 * }
 * }</pre>
 */
public final class MosquittoBroker implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback,
        ParameterResolver, AutoCloseable {

    /** The kind of broker process behind a {@link MosquittoBroker}. */
    public enum Kind {
        /** Mosquitto in a Docker container, through Testcontainers. */
        DOCKER,
        /** The local {@code mosquitto} binary, as a child process. */
        LOCAL,
        /** The embedded HiveMQ CE broker, in this JVM: not Mosquitto. */
        EMBEDDED
    }

    private static final Logger LOG = LoggerFactory.getLogger(MosquittoBroker.class);
    private static volatile Kind chosenKind;
    /** Brokers started and not yet closed: stopped by a shutdown hook if a test run ends without closing them. */
    private static final Set<MosquittoBroker> LIVE = ConcurrentHashMap.newKeySet();
    private static final Thread REAPER = new Thread(() -> List.copyOf(LIVE).forEach(MosquittoBroker::close),
            "mqttkit-broker-reaper");

    static {
        Runtime.getRuntime().addShutdownHook(REAPER);
    }

    private final Map<String, String> users;
    private final List<String> acl;
    private final List<String> subscribeDenials;
    private final boolean allowAnonymous;
    private final boolean persistence;
    private final TlsFiles tls;
    private final Kind requestedKind;
    private final Duration readyTimeout;

    private Path directory;
    private int port;
    private Backend backend;
    private boolean running;
    private String skipReason;

    private MosquittoBroker(Builder builder) {
        this.users = Map.copyOf(builder.users);
        this.acl = List.copyOf(builder.acl);
        this.subscribeDenials = List.copyOf(builder.subscribeDenials);
        if (!subscribeDenials.isEmpty() && !users.isEmpty()) {
            throw new IllegalStateException("MosquittoBroker: denySubscribe(...) uses Mosquitto's dynamic security "
                    + "plugin for anonymous clients and cannot be combined with user(...).");
        }
        this.allowAnonymous = builder.allowAnonymous;
        this.persistence = builder.persistence;
        this.tls = builder.tls;
        this.requestedKind = builder.kind;
        this.readyTimeout = builder.readyTimeout;
    }

    /**
     * Returns a builder; the default broker is anonymous, without ACL or persistence.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker: on first call it chooses the port and the broker kind; later calls restart it on the
     * same port after {@link #stop()} or {@link #kill()}. Does nothing when already running.
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        if (backend == null) {
            try {
                directory = Files.createTempDirectory("mqttkit-broker-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            port = freePort();
            Kind kind = requestedKind != null ? requestedKind : chooseKind();
            if (kind == Kind.EMBEDDED && tls != null) {
                Assumptions.abort("This test needs Mosquitto's TLS listener; the embedded HiveMQ CE broker is not "
                        + "set up for it. Install mosquitto or Docker to run it.");
            }
            if (kind == Kind.EMBEDDED && (!users.isEmpty() || !acl.isEmpty() || !subscribeDenials.isEmpty())) {
                Assumptions.abort("This test needs Mosquitto's password file, ACL file or security plugin; the "
                        + "embedded HiveMQ CE broker has none of them. Install mosquitto or Docker to run it.");
            }
            if (kind == Kind.EMBEDDED && !embeddedBrokerPresent()) {
                throw new IllegalStateException("No broker for the test: neither Docker nor a mosquitto binary was "
                        + "found, and the embedded broker is not on the test classpath. Install mosquitto "
                        + "(apt-get install -y mosquitto), start Docker, or add "
                        + "com.hivemq:hivemq-community-edition-embedded in test scope.");
            }
            backend = switch (kind) {
                case DOCKER -> new DockerBackend(this);
                case LOCAL -> new LocalBackend(this);
                case EMBEDDED -> new EmbeddedBackend(this);
            };
        }
        LIVE.add(this);
        try {
            backend.start();
            awaitPort(true);
        } catch (RuntimeException | Error e) {
            // the process may be up already (a slow start): never leave it behind
            try {
                backend.stop();
            } catch (RuntimeException stopFailed) {
                e.addSuppressed(stopFailed);
            }
            throw e;
        }
        running = true;
        LOG.info("Broker {} is up on {}", backend.describe(), uri());
    }

    /** Stops the broker gracefully (Mosquitto saves its persistence file); {@link #start()} brings it back. */
    public synchronized void stop() {
        if (backend != null && running) {
            backend.stop();
            awaitPort(false);
            running = false;
            LOG.info("Broker {} on {} stopped", backend.describe(), uri());
        }
    }

    /**
     * Kills the broker process with SIGKILL: no clean shutdown, nothing saved since the last autosave.
     * Skips the calling test (with a message) on the embedded broker, which has no process of its own.
     */
    public synchronized void kill() {
        assumeKillable();
        if (running) {
            backend.kill();
            awaitPort(false);
            running = false;
            LOG.info("Broker {} on {} killed", backend.describe(), uri());
        }
    }

    /** Stops and starts the broker on the same port. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Skips the calling test unless the broker process can be killed (that is, it is real Mosquitto). */
    public void assumeKillable() {
        Assumptions.assumeTrue(kind() != Kind.EMBEDDED, "This test kills the broker process; the embedded HiveMQ CE "
                + "broker runs inside the test JVM and cannot be killed. Install mosquitto or Docker to run it.");
    }

    /**
     * Skips the calling test unless the broker is real Mosquitto.
     *
     * @param why what the test relies on that only Mosquitto does
     */
    public void assumeMosquitto(String why) {
        Assumptions.assumeTrue(kind() != Kind.EMBEDDED, "Skipped on the embedded HiveMQ CE broker: " + why);
    }

    /**
     * Returns the broker's URI.
     *
     * @return {@code tcp://127.0.0.1:<port>}
     */
    public String uri() {
        return (tls == null ? "tcp" : "ssl") + "://127.0.0.1:" + port;
    }

    /**
     * Returns the broker's port on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * Returns which kind of broker runs.
     *
     * @return the kind, once started
     */
    public Kind kind() {
        return backend == null ? null : backend.kind();
    }

    /**
     * Tells whether the broker is running.
     *
     * @return {@code true} between {@link #start()} and {@link #stop()} / {@link #kill()}
     */
    public synchronized boolean isRunning() {
        return running;
    }

    /** Stops the broker for good and deletes its files. */
    @Override
    public synchronized void close() {
        try {
            if (backend != null) {
                if (running || backend.mayBeUp()) {
                    backend.stop();
                    running = false;
                }
                backend.close();
            }
        } finally {
            deleteDirectory();
            LIVE.remove(this);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            start();
        } catch (org.opentest4j.TestAbortedException abort) {
            // skip each test with the reason rather than the class, so the skips are counted and say why
            skipReason = abort.getMessage();
            LOG.warn("Skipping the tests of {}: {}", context.getDisplayName(), skipReason);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MosquittoBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return this;
    }

    @Override
    public String toString() {
        return "MosquittoBroker[" + (backend == null ? "not started" : backend.describe() + " on " + uri()) + "]";
    }

    Path directory() {
        return directory;
    }

    boolean persistence() {
        return persistence;
    }

    Map<String, String> users() {
        return users;
    }

    /**
     * Writes mosquitto.conf (and the password and ACL files) into {@code into}, with paths as the broker sees
     * them under {@code seenAs}.
     */
    Path writeMosquittoConfig(Path into, String seenAs, int listenPort, String bindAddress, String runAsUser,
            String securityPlugin) {
        List<String> lines = new ArrayList<>();
        lines.add("# generated by mqttkit's MosquittoBroker test fixture");
        lines.add("listener " + listenPort + (bindAddress == null ? "" : " " + bindAddress));
        if (tls != null) {
            try {
                Files.copy(tls.caCertificate(), into.resolve("ca.pem"));
                Files.copy(tls.certificate(), into.resolve("server.pem"));
                Files.copy(tls.privateKey(), into.resolve("server.key"));
                into.resolve("server.key").toFile().setReadable(true, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines.add("cafile " + seenAs + "/ca.pem");
            lines.add("certfile " + seenAs + "/server.pem");
            lines.add("keyfile " + seenAs + "/server.key");
            lines.add("require_certificate " + tls.requireClientCertificate());
        }
        lines.add("allow_anonymous " + allowAnonymous);
        lines.add("set_tcp_nodelay true");
        lines.add("max_queued_messages 100000");
        // Mosquitto 2.0.11 (Debian 12) miscounts its in-flight quota when a durable client reconnects with QoS 2
        // messages in flight, or after restoring them from its persistence file, and then stops sending to that
        // client for good (fixed in 2.0.13): with no quota there is nothing to miscount
        lines.add("max_inflight_messages 0");
        lines.add("log_dest stdout");
        lines.add("log_type error");
        lines.add("log_type warning");
        lines.add("log_type notice");
        lines.add("log_type information");
        lines.add("connection_messages true");
        if (runAsUser != null) {
            // as root, Mosquitto would otherwise drop to the "mosquitto" user, who cannot write our temp files
            lines.add("user " + runAsUser);
        }
        try {
            if (!users.isEmpty()) {
                List<String> entries = new ArrayList<>();
                users.forEach((user, password) -> entries.add(user + ":" + PasswordHash.sha512(password)));
                Files.write(into.resolve("passwd"), entries);
                lines.add("password_file " + seenAs + "/passwd");
            }
            if (!acl.isEmpty()) {
                Files.write(into.resolve("acl"), acl);
                lines.add("acl_file " + seenAs + "/acl");
            }
            if (!subscribeDenials.isEmpty()) {
                if (securityPlugin == null) {
                    Assumptions.abort("denySubscribe(...) needs Mosquitto's dynamic security plugin "
                            + "(mosquitto_dynamic_security.so), which this machine's Mosquitto lacks.");
                }
                Files.writeString(into.resolve("dynamic-security.json"), dynamicSecurityJson());
                lines.add("plugin " + securityPlugin);
                lines.add("plugin_opt_config_file " + seenAs + "/dynamic-security.json");
            }
            if (persistence) {
                Path data = into.resolve("data");
                Files.createDirectories(data);
                data.toFile().setWritable(true, false);
                lines.add("persistence true");
                lines.add("persistence_location " + seenAs + "/data/");
                lines.add("autosave_interval 1");
            } else {
                lines.add("persistence false");
            }
            Path config = into.resolve("mosquitto.conf");
            Files.write(config, lines);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Mosquitto's file ACL never refuses a SUBSCRIBE (it filters at delivery); its dynamic security plugin does,
     * with SUBACK 0x80. Anonymous clients get a role that denies the configured patterns and allows the rest.
     */
    private String dynamicSecurityJson() {
        StringBuilder acls = new StringBuilder();
        for (String pattern : subscribeDenials) {
            if (acls.length() > 0) {
                acls.append(',');
            }
            acls.append("{\"acltype\":\"subscribePattern\",\"topic\":\"").append(pattern.replace("\"", "\\\""))
                    .append("\",\"priority\":0,\"allow\":false}");
        }
        return "{\"defaultACLAccess\":{\"publishClientSend\":true,\"publishClientReceive\":true,"
                + "\"subscribe\":true,\"unsubscribe\":true},"
                + "\"clients\":[],"
                + "\"groups\":[{\"groupname\":\"anonymous\",\"roles\":[{\"rolename\":\"restricted\"}]}],"
                + "\"anonymousGroup\":\"anonymous\","
                + "\"roles\":[{\"rolename\":\"restricted\",\"acls\":[" + acls + "]}]}";
    }

    private void awaitPort(boolean open) {
        await("broker port " + port + (open ? " to open" : " to close"))
                .atMost(readyTimeout)
                .pollInterval(Duration.ofMillis(25))
                .until(() -> {
                    if (open) {
                        backend.checkAlive();
                    }
                    return portOpen() == open;
                });
    }

    private boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Kind chooseKind() {
        if (chosenKind != null) {
            return chosenKind;
        }
        String env = System.getenv("MQTTKIT_BROKER");
        String mode = env != null && !env.isBlank() ? env : System.getProperty("mqttkit.broker", "auto");
        mode = mode.trim().toLowerCase(Locale.ROOT);
        Kind kind = switch (mode) {
            case "docker" -> Kind.DOCKER;
            case "local" -> Kind.LOCAL;
            case "embedded" -> Kind.EMBEDDED;
            case "mosquitto" -> {
                Kind real = realMosquitto();
                if (real == null) {
                    throw new IllegalStateException("MQTTKIT_BROKER=mosquitto but neither Docker nor a mosquitto binary "
                            + "is available: install mosquitto (apt-get install -y mosquitto) or start Docker.");
                }
                yield real;
            }
            case "auto" -> {
                Kind real = realMosquitto();
                yield real != null ? real : Kind.EMBEDDED;
            }
            default -> throw new IllegalStateException("MQTTKIT_BROKER / mqttkit.broker [" + mode
                    + "] must be one of auto, mosquitto, docker, local, embedded.");
        };
        LOG.info("Test broker: {} (MQTTKIT_BROKER / mqttkit.broker = {})", kind, mode);
        if (kind == Kind.EMBEDDED && mode.equals("auto")) {
            LOG.warn("Neither Docker nor a mosquitto binary found: tests run on the embedded HiveMQ CE broker; "
                    + "tests that need a real Mosquitto are skipped.");
        }
        chosenKind = kind;
        return kind;
    }

    private static boolean embeddedBrokerPresent() {
        try {
            Class.forName("com.hivemq.embedded.EmbeddedHiveMQ", false, MosquittoBroker.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }

    private static Kind realMosquitto() {
        if (DockerBackend.dockerAvailable()) {
            return Kind.DOCKER;
        }
        if (LocalBackend.findBinary() != null) {
            return Kind.LOCAL;
        }
        return null;
    }

    private void deleteDirectory() {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not delete {}: {}", directory, e.getMessage());
        }
    }

    /** The broker's TLS listener: the CA that signs client certificates, its own certificate and key. */
    record TlsFiles(Path caCertificate, Path certificate, Path privateKey, boolean requireClientCertificate) {
    }

    /** What runs the broker: a container, a child process or an in-JVM broker. */
    interface Backend {
        Kind kind();

        String describe();

        void start();

        void stop();

        void kill();

        /** Tells whether a broker process may be up although start() did not finish. */
        default boolean mayBeUp() {
            return false;
        }

        /** Throws, with the broker's output, when the broker died while starting. */
        default void checkAlive() {
        }

        default void close() {
        }
    }

    /** Configures a {@link MosquittoBroker}. */
    public static final class Builder {
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> acl = new ArrayList<>();
        private final List<String> subscribeDenials = new ArrayList<>();
        private boolean allowAnonymous = true;
        private boolean persistence;
        private TlsFiles tls;
        private Kind kind;
        private Duration readyTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Adds a user to the password file. Once a user is added, anonymous clients are refused unless
         * {@link #allowAnonymous(boolean)} says otherwise.
         *
         * @param name the user name
         * @param password the password
         * @return this builder
         */
        public Builder user(String name, String password) {
            users.put(name, password);
            allowAnonymous = false;
            return this;
        }

        /**
         * Allows or refuses clients without credentials.
         *
         * @param allow whether anonymous clients may connect
         * @return this builder
         */
        public Builder allowAnonymous(boolean allow) {
            this.allowAnonymous = allow;
            return this;
        }

        /**
         * Adds lines to the ACL file, in Mosquitto's syntax ({@code user alice}, {@code topic read a/#}, ...).
         *
         * @param lines ACL lines
         * @return this builder
         */
        public Builder acl(String... lines) {
            acl.addAll(List.of(lines));
            return this;
        }

        /**
         * Makes the broker refuse (SUBACK 0x80) subscriptions matching a pattern, through Mosquitto's dynamic
         * security plugin. Only for anonymous clients: not combinable with {@link #user(String, String)}.
         *
         * @param pattern a subscription pattern, for example {@code secret/#}
         * @return this builder
         */
        public Builder denySubscribe(String pattern) {
            subscribeDenials.add(pattern);
            return this;
        }

        /**
         * Keeps sessions and retained messages on disk, so they survive {@link MosquittoBroker#restart()}.
         *
         * @param persistence whether to persist
         * @return this builder
         */
        public Builder persistence(boolean persistence) {
            this.persistence = persistence;
            return this;
        }

        /**
         * Makes the listener TLS-only ({@link #uri()} is then {@code ssl://127.0.0.1:<port>}), with PEM files.
         *
         * @param caCertificate the CA that client certificates must be signed by
         * @param certificate the broker's certificate
         * @param privateKey the broker's private key
         * @param requireClientCertificate Mosquitto's {@code require_certificate}: mutual TLS
         * @return this builder
         */
        public Builder tls(Path caCertificate, Path certificate, Path privateKey, boolean requireClientCertificate) {
            this.tls = new TlsFiles(caCertificate, certificate, privateKey, requireClientCertificate);
            return this;
        }

        /**
         * Sets how long {@link MosquittoBroker#start()} waits for the broker's port (default 30 s). A broker that
         * is not up by then is stopped, its files deleted, and {@code start()} fails.
         *
         * @param readyTimeout the wait
         * @return this builder
         */
        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = java.util.Objects.requireNonNull(readyTimeout, "readyTimeout");
            return this;
        }

        /**
         * Forces a broker kind instead of the JVM-wide choice.
         *
         * @param kind the kind
         * @return this builder
         */
        public Builder kind(Kind kind) {
            this.kind = kind;
            return this;
        }

        /**
         * Builds the broker; it starts in {@code beforeAll} or on {@link MosquittoBroker#start()}.
         *
         * @return the broker
         */
        public MosquittoBroker build() {
            return new MosquittoBroker(this);
        }
    }
}
