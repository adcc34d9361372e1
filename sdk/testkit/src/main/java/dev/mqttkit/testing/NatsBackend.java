package dev.mqttkit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NATS ({@code nats-server} 2.9 or later) with its MQTT listener, as a child process with a configuration,
 * JetStream folder and ports of its own. JetStream keeps sessions and retained messages on disk, so they
 * survive stop, kill and start.
 */
final class NatsBackend implements Backend {

    private static final List<String> WELL_KNOWN = List.of("/usr/sbin/nats-server", "/usr/local/bin/nats-server",
            "/usr/bin/nats-server", "/opt/homebrew/bin/nats-server");

    private static final Pattern VERSION = Pattern.compile("v(\\d+\\.\\d+\\.\\d+)");

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

    /**
     * Asks a {@code nats-server} binary for its version.
     *
     * @param binary the program
     * @return for example {@code 2.10.27}, or {@code null} when it did not say within 10 s
     */
    static String version(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return parseVersion(output);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** {@code nats-server: v2.9.10} gives {@code 2.9.10}; anything else {@code null}. */
    static String parseVersion(String output) {
        Matcher matcher = VERSION.matcher(output);
        return matcher.find() ? matcher.group(1) : null;
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
