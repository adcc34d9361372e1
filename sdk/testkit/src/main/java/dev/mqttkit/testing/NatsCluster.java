package dev.mqttkit.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Three {@code nats-server} nodes of the test's own, clustered with routes on 127.0.0.1, each with JetStream and
 * an MQTT listener on a free 127.0.0.1 port. A message published on one node reaches subscribers on the others.
 * As a JUnit 5 extension it starts before the class's tests and stops after them; elsewhere call
 * {@link #start()} and {@link #close()}.
 *
 * <pre>{@code
 * class FailoverIT {
 *     @RegisterExtension
 *     static final NatsCluster CLUSTER = NatsCluster.create();
 *
 *     @Test
 *     void survivesANode() {
 *         String first = CLUSTER.uris().get(0);
 *         ...
 *         CLUSTER.kill(0);
 *         ...
 *         CLUSTER.start(0);
 *     }
 * }
 * }</pre>
 *
 * <p>JetStream needs a few seconds after the nodes are up to elect its leaders: the first MQTT connections may
 * be refused until then, so connect with a retry.
 */
public final class NatsCluster implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private static final int NODES = 3;

    private final BrokerCluster cluster;

    private NatsCluster() {
        List<Integer> mqtt = new ArrayList<>();
        List<Integer> client = new ArrayList<>();
        List<Integer> routes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            mqtt.add(LoopbackPorts.free());
            client.add(LoopbackPorts.free());
            routes.add(LoopbackPorts.free());
        }
        cluster = new BrokerCluster("NATS", mqtt, (node, directory) -> {
            List<Integer> others = new ArrayList<>(routes);
            others.remove(node.intValue());
            return new NatsBackend(directory, new NatsConfig("mqttkit-nats-" + node, client.get(node),
                    mqtt.get(node), directory.resolve("jetstream"), routes.get(node), others));
        }, Duration.ofSeconds(30));
    }

    /**
     * Returns a cluster of three nodes, not yet started.
     *
     * @return the cluster
     */
    public static NatsCluster create() {
        return new NatsCluster();
    }

    /** Starts every node not running; the first call creates the nodes' folders and configurations. */
    public void start() {
        cluster.start();
    }

    /**
     * Starts one node again, on its ports, after {@link #kill(int)}.
     *
     * @param node 0, 1 or 2
     */
    public void start(int node) {
        cluster.start(node);
    }

    /**
     * Kills one node's process with SIGKILL.
     *
     * @param node 0, 1 or 2
     */
    public void kill(int node) {
        cluster.kill(node);
    }

    /**
     * Returns the nodes' MQTT URIs.
     *
     * @return {@code tcp://127.0.0.1:<port>} for each node, in node order
     */
    public List<String> uris() {
        return cluster.uris();
    }

    /** Stops every node and deletes their files. */
    @Override
    public void close() {
        cluster.close();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * Returns the version of the {@code nats-server} the nodes run: the first on the {@code PATH}, else the one
     * Debian installs.
     *
     * @return for example {@code 2.10.27}, or {@code null} when there is none or it did not say
     */
    public String serverVersion() {
        Path binary = NatsBackend.findBinary();
        return binary == null ? null : NatsBackend.version(binary);
    }

    @Override
    public String toString() {
        return "NatsCluster" + uris();
    }
}
