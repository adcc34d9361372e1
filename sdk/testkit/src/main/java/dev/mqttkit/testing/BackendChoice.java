package dev.mqttkit.testing;

import dev.mqttkit.testing.MosquittoBroker.Kind;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which broker runs: chosen once per JVM from {@code MQTTKIT_BROKER} or {@code -Dmqttkit.broker} ({@code auto},
 * {@code mosquitto}, {@code docker}, {@code local}, {@code embedded} or {@code hivemq}, {@code nats},
 * {@code rabbitmq}, {@code artemis}), and the
 * {@link Backend} that runs it.
 */
final class BackendChoice {

    private static final Logger LOG = LoggerFactory.getLogger(BackendChoice.class);
    private static volatile Kind chosenKind;

    private BackendChoice() {
    }

    /** The JVM-wide kind, chosen on first use and logged once. */
    static synchronized Kind chosenKind() {
        if (chosenKind != null) {
            return chosenKind;
        }
        String mode = mode();
        Kind kind = parse(mode, BackendChoice::realMosquitto);
        LOG.info("Test broker: {} (MQTTKIT_BROKER / mqttkit.broker = {})", kind, mode);
        if (kind == Kind.EMBEDDED && mode.equals("auto")) {
            LOG.warn("Neither Docker nor a mosquitto binary found: tests run on the embedded HiveMQ CE broker; "
                    + "tests that need a real Mosquitto are skipped.");
        }
        chosenKind = kind;
        return kind;
    }

    private static String mode() {
        String env = System.getenv("MQTTKIT_BROKER");
        String mode = env != null && !env.isBlank() ? env : System.getProperty("mqttkit.broker", "auto");
        return mode.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Turns a setting into a kind.
     *
     * @param mode the lower-case setting
     * @param realMosquitto Docker or the local binary, or {@code null} when neither is there
     */
    static Kind parse(String mode, Supplier<Kind> realMosquitto) {
        return switch (mode) {
            case "docker" -> Kind.DOCKER;
            case "local" -> Kind.LOCAL;
            case "embedded", "hivemq" -> Kind.EMBEDDED;
            case "nats" -> Kind.NATS;
            case "rabbitmq" -> Kind.RABBITMQ;
            case "artemis" -> Kind.ARTEMIS;
            case "mosquitto" -> {
                Kind real = realMosquitto.get();
                if (real == null) {
                    throw new IllegalStateException("MQTTKIT_BROKER=mosquitto but neither Docker nor a mosquitto binary "
                            + "is available: install mosquitto (apt-get install -y mosquitto) or start Docker.");
                }
                yield real;
            }
            case "auto" -> {
                Kind real = realMosquitto.get();
                yield real != null ? real : Kind.EMBEDDED;
            }
            default -> throw new IllegalStateException("MQTTKIT_BROKER / mqttkit.broker [" + mode
                    + "] must be one of auto, mosquitto, docker, local, embedded (or hivemq), nats, rabbitmq, artemis.");
        };
    }

    /**
     * Creates the backend of {@code kind}, or skips the test when the kind cannot do what the settings ask.
     */
    static Backend create(Kind kind, BrokerSettings settings, Path directory, int port) {
        if (kind == Kind.EMBEDDED && settings.tls() != null) {
            Assumptions.abort("This test needs Mosquitto's TLS listener; the embedded HiveMQ CE broker is not "
                    + "set up for it. Install mosquitto or Docker to run it.");
        }
        if (kind == Kind.EMBEDDED && settings.needsMosquittoSecurity()) {
            Assumptions.abort("This test needs Mosquitto's password file, ACL file or security plugin; the "
                    + "embedded HiveMQ CE broker has none of them. Install mosquitto or Docker to run it.");
        }
        if (kind != Kind.EMBEDDED && !BrokerCapabilities.isMosquitto(kind)) {
            String name = BrokerCapabilities.displayName(kind);
            if (settings.tls() != null) {
                Assumptions.abort("This test needs Mosquitto's TLS listener; the kit does not set one up on " + name
                        + ". Run it on Mosquitto.");
            }
            if (settings.needsMosquittoSecurity()) {
                Assumptions.abort("This test needs Mosquitto's password file, ACL file or security plugin; the kit "
                        + "sets up none of them on " + name + ". Run it on Mosquitto.");
            }
            if (settings.webSocketPort() > 0 && kind != Kind.ARTEMIS) {
                Assumptions.abort("This test needs a WebSocket listener; the kit sets one up on Mosquitto, the "
                        + "embedded HiveMQ broker and Artemis, not on " + name + ". Run it on Mosquitto.");
            }
        }
        if (kind == Kind.EMBEDDED && !embeddedBrokerPresent()) {
            throw new IllegalStateException("No broker for the test: neither Docker nor a mosquitto binary was "
                    + "found, and the embedded broker is not on the test classpath. Install mosquitto "
                    + "(apt-get install -y mosquitto), start Docker, or add "
                    + "com.hivemq:hivemq-community-edition-embedded in test scope.");
        }
        return switch (kind) {
            case DOCKER -> new DockerBackend(settings, directory, port);
            case LOCAL -> new LocalBackend(settings, directory, port);
            case EMBEDDED -> new EmbeddedBackend(settings, directory, port);
            case NATS -> new NatsBackend(directory, port);
            case RABBITMQ -> new RabbitMqBackend(directory, port, settings.readyTimeoutFor(kind));
            case ARTEMIS -> new ArtemisBackend(directory, ArtemisInstanceConfig.single(port, settings.webSocketPort()));
        };
    }

    private static boolean embeddedBrokerPresent() {
        try {
            Class.forName("com.hivemq.embedded.EmbeddedHiveMQ", false, BackendChoice.class.getClassLoader());
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
}
