package dev.mqttkit.samples.broker;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT broker inside this JVM (HiveMQ CE, embedded), so the samples and the demo run on a machine with no
 * broker installed.
 *
 * <p>It listens on 127.0.0.1 only, keeps everything in memory, sends no usage statistics and leaves the
 * application's logging configuration alone. {@link #close()} stops it and deletes its temporary folder.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {   // 0: any free port
 *     MyMqtt mqtt = new MyMqtt("demo", "127.0.0.1", broker.port(), notifier);
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final long START_TIMEOUT_SECONDS = 30;

    private final int port;
    private final Path directory;
    private final EmbeddedHiveMQ hivemq;

    private EmbeddedBroker(int port, Path directory, EmbeddedHiveMQ hivemq) {
        this.port = port;
        this.directory = directory;
        this.hivemq = hivemq;
    }

    /**
     * Starts a broker on {@code 127.0.0.1:port}.
     *
     * @param port the port to listen on, or 0 for any free port
     * @return the running broker
     * @throws IllegalStateException when the port is in use or the broker does not start within 30 s
     */
    public static EmbeddedBroker start(int port) {
        int chosen = port == 0 ? freePort() : port;
        if (port != 0) {
            checkFree(port);
        }
        Path directory;
        try {
            directory = Files.createTempDirectory("mqttkit-embedded-broker-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a folder for the embedded broker", e);
        }
        EmbeddedHiveMQ hivemq = null;
        // the in-memory persistence has nothing to flush: skip HiveMQ's 2 s grace period at shutdown
        InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(0);
        try {
            hivemq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(writeConfig(directory, chosen))
                    .withDataFolder(Files.createDirectories(directory.resolve("data")))
                    .withExtensionsFolder(Files.createDirectories(directory.resolve("extensions")))
                    .withoutLoggingBootstrap()
                    .build();
            hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new EmbeddedBroker(chosen, directory, hivemq);
        } catch (IOException e) {
            deleteQuietly(directory);
            throw new UncheckedIOException("Cannot write the embedded broker's configuration", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(hivemq);
            deleteQuietly(directory);
            throw new IllegalStateException("The embedded broker did not start on 127.0.0.1:" + chosen + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(hivemq);
            deleteQuietly(directory);
            throw new IllegalStateException("Interrupted while starting the embedded broker", e);
        }
    }

    /**
     * Returns the port the broker listens on.
     *
     * @return the TCP port on 127.0.0.1
     */
    public int port() {
        return port;
    }

    /**
     * Returns the broker's address as an MQTT URI.
     *
     * @return for example {@code tcp://127.0.0.1:41883}
     */
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Stops the broker and deletes its folder. Clients still connected lose their connection. */
    @Override
    public void close() {
        try {
            hivemq.stop().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The embedded broker on port " + port + " did not stop: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(hivemq);
            deleteQuietly(directory);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedBroker[" + uri() + "]";
    }

    /** The test kit's HiveMQ configuration, which this module's build copies from it: one file for both. */
    static final String CONFIG_TEMPLATE = "/META-INF/mqttkit/hivemq-config.xml";

    private static Path writeConfig(Path directory, int port) throws IOException {
        Path conf = Files.createDirectories(directory.resolve("conf"));
        // in-memory persistence; usage statistics off: nothing here may call out to the internet
        Files.writeString(conf.resolve("config.xml"), config(port));
        return conf;
    }

    static String config(int port) throws IOException {
        try (InputStream in = EmbeddedBroker.class.getResourceAsStream(CONFIG_TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("The samples' jar lacks " + CONFIG_TEMPLATE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{port}", Integer.toString(port))
                    .replace("{persistence-mode}", "in-memory");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }

    private static void checkFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (BindException e) {
            throw new IllegalStateException("Cannot start the embedded broker on 127.0.0.1:" + port
                    + ": the port is in use, probably by a broker that already runs there (then leave out --embedded)"
                    + " or pick another port with --broker tcp://localhost:<port>.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check port " + port + " on 127.0.0.1", e);
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq) {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.close();
        } catch (ExecutionException e) {
            // the broker failed while closing; the folder is deleted next, nothing else is left to free
            LOG.debug("Closing the embedded broker failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", directory,
                    e.getMessage());
        }
    }
}
