package dev.mqttkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ (3.10 or later) with its MQTT plugin, as a child process in the foreground: a node of its own
 * ({@link RabbitMqConfig}), with its own epmd as a second child process, started first and stopped last.
 */
final class RabbitMqBackend implements Backend {

    private static final List<String> SERVER = List.of("/usr/lib/rabbitmq/bin/rabbitmq-server",
            "/usr/local/opt/rabbitmq/sbin/rabbitmq-server", "/opt/homebrew/opt/rabbitmq/sbin/rabbitmq-server");
    private static final List<String> EPMD = List.of("/usr/bin/epmd", "/usr/lib/erlang/bin/epmd",
            "/usr/local/bin/epmd", "/opt/homebrew/bin/epmd");

    private final RabbitMqConfig config;
    private final Duration readyTimeout;
    private final ChildProcess epmd;
    private final ChildProcess server;

    RabbitMqBackend(Path directory, int mqttPort, Duration readyTimeout) {
        this.config = RabbitMqConfig.of(directory, mqttPort);
        this.readyTimeout = readyTimeout;
        Path serverScript = SERVER.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElseThrow(() ->
                new IllegalStateException("No rabbitmq-server in " + SERVER
                        + ": install it (apt-get install -y rabbitmq-server)."));
        Path epmdBinary = Executables.find("epmd", EPMD);
        if (epmdBinary == null) {
            throw new IllegalStateException("No epmd (Erlang) on the PATH or in " + EPMD
                    + ": install rabbitmq-server (apt-get install -y rabbitmq-server).");
        }
        try {
            for (String folder : List.of("home", "mnesia", "log")) {
                Files.createDirectories(directory.resolve(folder));
            }
            Files.writeString(directory.resolve("rabbitmq.conf"), config.rabbitmqConf());
            Files.writeString(directory.resolve("enabled_plugins"), config.enabledPlugins());
            Files.writeString(directory.resolve("rabbitmq-env.conf"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.epmd = new ChildProcess("epmd", List.of(epmdBinary.toString(), "-port",
                Integer.toString(config.epmdPort()), "-address", "127.0.0.1"), Map.of(), true, directory,
                directory.resolve("epmd.log"));
        this.server = new ChildProcess("rabbitmq-server", List.of(serverScript.toString()), config.environment(),
                true, directory, directory.resolve("rabbitmq.log"));
    }

    @Override
    public MosquittoBroker.Kind kind() {
        return MosquittoBroker.Kind.RABBITMQ;
    }

    @Override
    public String describe() {
        return "RabbitMQ (node " + config.nodeName() + ", MQTT plugin)";
    }

    @Override
    public void start() {
        if (!epmd.isAlive()) {
            epmd.start();
            LoopbackPorts.awaitOpen(config.epmdPort(), readyTimeout, epmd::checkAlive);
        }
        server.start();
    }

    @Override
    public void stop() {
        server.stop(Duration.ofSeconds(30));
    }

    @Override
    public void kill() {
        server.kill();
    }

    @Override
    public boolean mayBeUp() {
        return server.isAlive() || epmd.isAlive();
    }

    @Override
    public void checkAlive() {
        server.checkAlive();
    }

    @Override
    public void close() {
        server.kill();
        epmd.stop(Duration.ofSeconds(5));
    }
}
