package dev.mqttkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ActiveMQ Artemis: an instance created for the broker ({@link ArtemisInstanceConfig}) from the distribution
 * ({@link ArtemisDistribution}), run in the foreground as a child process. Its journal keeps sessions and
 * retained messages across stop, kill and start.
 */
final class ArtemisBackend implements Backend {

    private final ArtemisInstanceConfig config;
    private final ChildProcess process;

    ArtemisBackend(Path directory, int mqttPort) {
        this(directory, ArtemisInstanceConfig.single(mqttPort));
    }

    ArtemisBackend(Path directory, ArtemisInstanceConfig config) {
        this.config = config;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path instance = directory.resolve("instance");
        create(ArtemisDistribution.home(), instance, directory.resolve("artemis-create.log"));
        this.process = new ChildProcess("artemis", List.of(instance.resolve("bin/artemis").toString(), "run"),
                Map.of(), true, instance, directory.resolve("artemis.log"));
    }

    private void create(Path home, Path instance, Path log) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/artemis").toString());
        command.addAll(config.createArguments(instance));
        ChildProcess create = new ChildProcess("artemis create", command, Map.of(), true,
                instance.getParent(), log);
        create.start();
        if (!create.awaitExit(Duration.ofSeconds(120))) {
            create.kill();
            throw new IllegalStateException("artemis create did not finish in 120 s; its output:\n" + create.output());
        }
        Path brokerXml = instance.resolve("etc/broker.xml");
        if (!Files.isRegularFile(brokerXml)) {
            throw new IllegalStateException("artemis create made no " + brokerXml + "; its output:\n"
                    + create.output());
        }
        try {
            Files.writeString(brokerXml, config.patchBrokerXml(Files.readString(brokerXml)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public MosquittoBroker.Kind kind() {
        return MosquittoBroker.Kind.ARTEMIS;
    }

    @Override
    public String describe() {
        return "ActiveMQ Artemis " + ArtemisDistribution.VERSION + " (" + config.name() + ", MQTT)";
    }

    @Override
    public void start() {
        process.start();
    }

    @Override
    public void stop() {
        process.stop(Duration.ofSeconds(30));
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
