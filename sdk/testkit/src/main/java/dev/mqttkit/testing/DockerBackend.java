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
 * Mosquitto in Docker through Testcontainers. By default the {@code eclipse-mosquitto:2} image, its 1883 bound to
 * the fixture's own 127.0.0.1 port so that it stays the same across stop, kill and start.
 *
 * <p>Three settings, as environment variables or system properties, for machines without a registry or with
 * rules of their own:
 * <ul>
 *   <li>{@code MQTTKIT_DOCKER_IMAGE} / {@code mqttkit.docker.image}: another Mosquitto image (a mirror, or one
 *       built locally);</li>
 *   <li>{@code MQTTKIT_DOCKER_NETWORK} / {@code mqttkit.docker.network}: {@code host} runs the container in the
 *       host's network, Mosquitto listening on 127.0.0.1 and the fixture's port (no bridge network);</li>
 *   <li>{@code MQTTKIT_DOCKER_PULL} / {@code mqttkit.docker.pull}: {@code never} fails with a clear message when
 *       the image is not there, instead of pulling it (default {@code missing}: pull it when absent).</li>
 * </ul>
 */
final class DockerBackend implements Backend {

    private static final String CONFIG_DIR = "/mqttkit";

    private final DockerImageName image;
    private final GenericContainer<?> container;
    private boolean created;

    DockerBackend(BrokerSettings settings, Path dir, int port) {
        image = DockerImageName.parse(setting("MQTTKIT_DOCKER_IMAGE", "mqttkit.docker.image", "eclipse-mosquitto:2"));
        boolean hostNetwork = setting("MQTTKIT_DOCKER_NETWORK", "mqttkit.docker.network", "bridge").equals("host");
        boolean neverPull = setting("MQTTKIT_DOCKER_PULL", "mqttkit.docker.pull", "missing").equals("never");
        if (!hostNetwork && settings.webSocketPort() > 0) {
            org.junit.jupiter.api.Assumptions.abort("This test needs a WebSocket listener, which the kit sets up in "
                    + "Docker only on the host's network (MQTTKIT_DOCKER_NETWORK=host).");
        }
        new MosquittoConfig(settings).write(dir, CONFIG_DIR, hostNetwork ? port : 1883, hostNetwork ? "127.0.0.1" : null,
                null, "/usr/lib/mosquitto_dynamic_security.so");
        // Mosquitto drops to its own user in the container before it reads the password, ACL, TLS and plugin
        // files and writes persistence: the folder must be open to it (a temp folder is private by default)
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        dir.toFile().setWritable(true, false);
        GenericContainer<?> container = new GenericContainer<>(image)
                .withFileSystemBind(dir.toString(), CONFIG_DIR, BindMode.READ_WRITE)
                .withCommand("mosquitto", "-c", CONFIG_DIR + "/mosquitto.conf");
        if (neverPull) {
            container = container.withImagePullPolicy(name -> false);
        }
        if (hostNetwork) {
            container = container.withNetworkMode("host");
        } else {
            container = container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                    new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), new ExposedPort(1883))));
        }
        this.container = container;
    }

    private static String setting(String env, String property, String fallback) {
        String value = System.getenv(env);
        if (value == null || value.isBlank()) {
            value = System.getProperty(property, fallback);
        }
        return value.strip();
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
        return "Mosquitto (Docker " + image + ")";
    }

    @Override
    public void start() {
        if (!created) {
            try {
                container.start();
            } catch (RuntimeException e) {
                throw new IllegalStateException("Docker could not start Mosquitto from the image [" + image + "]"
                        + (setting("MQTTKIT_DOCKER_PULL", "mqttkit.docker.pull", "missing").equals("never")
                        ? " (MQTTKIT_DOCKER_PULL=never: build or load the image first)" : "") + ": " + e.getMessage(), e);
            }
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
