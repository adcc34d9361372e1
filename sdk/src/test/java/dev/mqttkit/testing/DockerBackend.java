package dev.mqttkit.testing;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Mosquitto in Docker ({@code eclipse-mosquitto:2}) through Testcontainers, with the container's 1883 bound to
 * the fixture's own 127.0.0.1 port so that it stays the same across stop, kill and start.
 */
final class DockerBackend implements MosquittoBroker.Backend {

    private static final DockerImageName IMAGE = DockerImageName.parse("eclipse-mosquitto:2");
    private static final String CONFIG_DIR = "/mqttkit";

    private final GenericContainer<?> container;
    private boolean created;

    DockerBackend(MosquittoBroker broker) {
        Path dir = broker.directory();
        broker.writeMosquittoConfig(dir, CONFIG_DIR, 1883, null, null, "/usr/lib/mosquitto_dynamic_security.so");
        dir.toFile().setWritable(true, false);
        int port = broker.port();
        container = new GenericContainer<>(IMAGE)
                .withFileSystemBind(dir.toString(), CONFIG_DIR, BindMode.READ_WRITE)
                .withCommand("mosquitto", "-c", CONFIG_DIR + "/mosquitto.conf")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), new ExposedPort(1883))));
    }

    static boolean dockerAvailable() {
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!configured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public MosquittoBroker.Kind kind() {
        return MosquittoBroker.Kind.DOCKER;
    }

    @Override
    public String describe() {
        return "Mosquitto (Docker " + IMAGE + ")";
    }

    @Override
    public void start() {
        if (!created) {
            container.start();
            created = true;
        } else {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        }
    }

    @Override
    public void stop() {
        container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(10).exec();
    }

    @Override
    public void kill() {
        container.getDockerClient().killContainerCmd(container.getContainerId()).withSignal("SIGKILL").exec();
    }

    @Override
    public void close() {
        container.stop();
    }
}
