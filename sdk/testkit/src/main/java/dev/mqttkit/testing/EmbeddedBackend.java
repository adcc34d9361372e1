package dev.mqttkit.testing;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The embedded HiveMQ CE broker, in this JVM: the fallback that lets a machine with only Java and Maven run the
 * tests. It has no password file, no ACL and no process to kill.
 */
final class EmbeddedBackend implements Backend {

    private final Path configFolder;
    private final Path dataFolder;
    private final Path extensionsFolder;
    private EmbeddedHiveMQ hivemq;

    EmbeddedBackend(BrokerSettings settings, Path directory, int port) {
        Path base = directory.resolve("hivemq");
        this.configFolder = base.resolve("conf");
        this.dataFolder = base.resolve("data");
        this.extensionsFolder = base.resolve("extensions");
        try {
            Files.createDirectories(dataFolder);
            Files.createDirectories(extensionsFolder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HiveMqConfig.write(configFolder, port, settings.persistence(), settings.webSocketPort());
    }

    @Override
    public MosquittoBroker.Kind kind() {
        return MosquittoBroker.Kind.EMBEDDED;
    }

    @Override
    public String describe() {
        return "HiveMQ CE (embedded, not Mosquitto)";
    }

    @Override
    public void start() {
        checkLoggingProvider(org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName());
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(configFolder)
                .withDataFolder(dataFolder)
                .withExtensionsFolder(extensionsFolder)
                .withoutLoggingBootstrap() // leave the test's logging configuration alone
                .build();
        join(hivemq.start(), "start");
    }

    @Override
    public void stop() {
        if (hivemq != null) {
            join(hivemq.stop(), "stop");
            close();
        }
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException("The embedded broker cannot be killed");
    }

    @Override
    public void close() {
        if (hivemq != null) {
            try {
                hivemq.close();
            } catch (Exception e) {
                throw new IllegalStateException("Closing the embedded HiveMQ failed", e);
            }
            hivemq = null;
        }
    }

    /** HiveMQ CE casts the SLF4J factory to logback's: say so before it fails with a ClassCastException. */
    static void checkLoggingProvider(String loggerFactoryClass) {
        if (!loggerFactoryClass.startsWith("ch.qos.logback.")) {
            throw new IllegalStateException("The embedded HiveMQ CE broker runs only with logback as the SLF4J "
                    + "provider, and these tests use " + loggerFactoryClass + ": add ch.qos.logback:logback-classic in "
                    + "test scope instead, or install mosquitto or Docker so that the tests use real Mosquitto.");
        }
    }

    private static void join(java.util.concurrent.CompletableFuture<Void> future, String what) {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Embedded HiveMQ did not " + what, e);
        }
    }
}
