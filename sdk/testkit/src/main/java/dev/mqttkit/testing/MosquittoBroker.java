package dev.mqttkit.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *   <li>{@code docker}, {@code local}, {@code embedded} (or {@code hivemq}): exactly that one;</li>
 *   <li>{@code nats}, {@code rabbitmq}, {@code artemis}: NATS, RabbitMQ or ActiveMQ Artemis with MQTT, each as a
 *       child process of the kit's own (configuration, data folder, free 127.0.0.1 ports), never a broker the
 *       machine already runs.</li>
 * </ul>
 * The generated Mosquitto configuration listens on the chosen port only, sets {@code set_tcp_nodelay true},
 * allows anonymous clients unless told otherwise, and adds a password file, an ACL file and a persistence
 * directory when configured. On the embedded broker, tests that need what only a real Mosquitto has (killing
 * the process, passwords, ACLs) are skipped with a message saying why. What the other kinds have is told by
 * {@link #supports(BrokerFeature)}, and {@link #assumeSupports(BrokerFeature, String)} skips a test that needs
 * what the broker lacks.
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
        EMBEDDED,
        /** NATS ({@code nats-server}) with its MQTT listener and JetStream, as a child process. */
        NATS,
        /** RabbitMQ with its MQTT plugin, a node of its own, as a child process. */
        RABBITMQ,
        /** ActiveMQ Artemis, an instance of its own, as a child process. */
        ARTEMIS
    }

    private static final Logger LOG = LoggerFactory.getLogger(MosquittoBroker.class);
    private static final String EMBEDDED_NOT_KILLABLE = "This test kills the broker process; the embedded HiveMQ CE "
            + "broker runs inside the test JVM and cannot be killed. Install mosquitto or Docker to run it.";

    private final BrokerLifecycle lifecycle;
    private String skipReason;

    private MosquittoBroker(BrokerSettings settings) {
        this.lifecycle = new BrokerLifecycle(settings);
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
    public void start() {
        lifecycle.start();
    }

    /** Stops the broker gracefully (Mosquitto saves its persistence file); {@link #start()} brings it back. */
    public void stop() {
        lifecycle.stop();
    }

    /**
     * Kills the broker process with SIGKILL, and every process it started: no clean shutdown, nothing saved since
     * the last autosave. Skips the calling test (with a message) on the embedded broker, which has no process of
     * its own.
     */
    public void kill() {
        Assumptions.assumeTrue(lifecycle.effectiveKind() != Kind.EMBEDDED, EMBEDDED_NOT_KILLABLE);
        lifecycle.kill();
    }

    /** Stops and starts the broker on the same port. */
    public void restart() {
        lifecycle.restart();
    }

    /**
     * Skips the calling test unless the broker process can be killed and is real Mosquitto (the tests that kill
     * it rely on what Mosquitto does then). {@link #kill()} itself works on every kind with a process.
     */
    public void assumeKillable() {
        Kind kind = lifecycle.effectiveKind();
        Assumptions.assumeTrue(kind != Kind.EMBEDDED, EMBEDDED_NOT_KILLABLE);
        Assumptions.assumeTrue(BrokerCapabilities.isMosquitto(kind), () -> "This test kills the broker process and "
                + "relies on what Mosquitto does then; skipped on " + BrokerCapabilities.displayName(kind) + ".");
    }

    /**
     * Skips the calling test unless the broker is real Mosquitto.
     *
     * @param why what the test relies on that only Mosquitto does
     */
    public void assumeMosquitto(String why) {
        Kind kind = lifecycle.effectiveKind();
        Assumptions.assumeTrue(BrokerCapabilities.isMosquitto(kind),
                () -> "Skipped on " + BrokerCapabilities.displayName(kind) + ": " + why);
    }

    /**
     * Tells whether the broker has a feature, as the kit runs it. Before {@link #start()} it answers for the
     * kind that will run.
     *
     * @param feature the feature
     * @return whether this kind of broker has it
     */
    public boolean supports(BrokerFeature feature) {
        return BrokerCapabilities.of(lifecycle.effectiveKind()).contains(feature);
    }

    /**
     * Skips the calling test, with the reason on the console, unless the broker has a feature.
     *
     * @param feature what the test needs
     * @param why what the test does with it, for the skip message
     */
    public void assumeSupports(BrokerFeature feature, String why) {
        Kind kind = lifecycle.effectiveKind();
        Assumptions.assumeTrue(supports(feature), () -> "Skipped on " + BrokerCapabilities.displayName(kind)
                + ", which lacks " + feature + ": " + why);
    }

    /**
     * Returns the broker's URI.
     *
     * @return {@code tcp://127.0.0.1:<port>}
     */
    public String uri() {
        return lifecycle.uri();
    }

    /**
     * Returns the URI of the broker's WebSocket listener ({@link Builder#webSockets()}).
     *
     * @return {@code ws://127.0.0.1:<port>/mqtt}, or {@code wss://...} with TLS
     * @throws IllegalStateException when the broker has no WebSocket listener
     */
    public String webSocketUri() {
        return lifecycle.webSocketUri();
    }

    /**
     * Returns the broker's port on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return lifecycle.port();
    }

    /**
     * Returns which kind of broker runs.
     *
     * @return the kind, once started
     */
    public Kind kind() {
        return lifecycle.kind();
    }

    /**
     * Tells whether the broker is running.
     *
     * @return {@code true} between {@link #start()} and {@link #stop()} / {@link #kill()}
     */
    public boolean isRunning() {
        return lifecycle.isRunning();
    }

    /** Stops the broker for good and deletes its files. */
    @Override
    public void close() {
        lifecycle.close();
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
        return lifecycle.toString();
    }

    /** The broker's folder, for the kit's own tests. */
    Path directory() {
        return lifecycle.directory();
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
        private Duration readyTimeout;
        private boolean webSockets;

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
         * Sets how long {@link MosquittoBroker#start()} waits for the broker's port (default 30 s; 60 s for
         * Artemis, 90 s for RabbitMQ, which take longer to start). A broker that
         * is not up by then is stopped, its files deleted, and {@code start()} fails.
         *
         * @param readyTimeout the wait
         * @return this builder
         */
        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = Objects.requireNonNull(readyTimeout, "readyTimeout");
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
        /**
         * Adds a WebSocket listener beside the MQTT one, on a port of its own ({@link #webSocketUri()}), with TLS
         * when {@link #tls} is set: Mosquitto ({@code protocol websockets}), the embedded HiveMQ broker (path
         * {@code /mqtt}) and Artemis (a second MQTT acceptor) have one; on NATS and RabbitMQ the test is skipped
         * with the reason.
         *
         * @return this builder
         */
        public Builder webSockets() {
            this.webSockets = true;
            return this;
        }

        public MosquittoBroker build() {
            return new MosquittoBroker(new BrokerSettings(users, acl, subscribeDenials, allowAnonymous, persistence,
                    tls, kind, readyTimeout, webSockets ? LoopbackPorts.free() : 0));
        }
    }
}
