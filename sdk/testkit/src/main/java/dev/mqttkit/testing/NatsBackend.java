package dev.mqttkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * NATS ({@code nats-server} 2.9 or later) with its MQTT listener, as a child process with a configuration,
 * JetStream folder and ports of its own. JetStream keeps sessions and retained messages on disk, so they
 * survive stop, kill and start.
 */
final class NatsBackend implements Backend {

    private static final List<String> WELL_KNOWN = List.of("/usr/sbin/nats-server", "/usr/local/bin/nats-server",
            "/usr/bin/nats-server", "/opt/homebrew/bin/nats-server");

    private final Path binary;
    private final ChildProcess process;

    NatsBackend(Path directory, int mqttPort) {
        this(directory, NatsConfig.single("mqttkit-" + mqttPort, LoopbackPorts.free(), mqttPort,
                directory.resolve("jetstream")));
    }

    NatsBackend(Path directory, NatsConfig config) {
        this.binary = findBinary();
        if (binary == null) {
            throw new IllegalStateException("No nats-server binary on the PATH or in " + WELL_KNOWN
                    + ": install it (apt-get install -y nats-server).");
        }
        try {
            Files.createDirectories(directory);
            Files.createDirectories(config.storeDirectory());
            Path file = directory.resolve("nats.conf");
            Files.writeString(file, config.render());
            this.process = new ChildProcess("nats-server", List.of(binary.toString(), "-c", file.toString()),
                    Map.of(), false, directory, directory.resolve("nats.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path findBinary() {
        return Executables.find("nats-server", WELL_KNOWN);
    }

    @Override
    public MosquittoBroker.Kind kind() {
        return MosquittoBroker.Kind.NATS;
    }

    @Override
    public String describe() {
        return "NATS (" + binary + ", MQTT)";
    }

    @Override
    public void start() {
        process.start();
    }

    @Override
    public void stop() {
        process.stop(Duration.ofSeconds(15));
    }

    @Override
    public void kill() {
        process.kill();
    }

    @Override
    public boolean mayBeUp() {
        return process.isAlive();
    }

    @Override
    public void checkAlive() {
        process.checkAlive();
    }
}
