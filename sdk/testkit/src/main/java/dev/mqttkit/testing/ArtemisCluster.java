package dev.mqttkit.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two ActiveMQ Artemis brokers of the test's own, clustered through static connectors on 127.0.0.1 (no
 * multicast discovery), each with an MQTT acceptor on a free 127.0.0.1 port. A message published on one node
 * reaches subscribers on the other.
 * As a JUnit 5 extension it starts before the class's tests and stops after them; elsewhere call
 * {@link #start()} and {@link #close()}.
 *
 * <pre>{@code
 * class FailoverIT {
 *     @RegisterExtension
 *     static final ArtemisCluster CLUSTER = ArtemisCluster.create();
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
 * <p>The cluster bridge forms a moment after the nodes are up: until then a message reaches only the
 * subscribers of its own node, so wait for the first one to cross.
 */
public final class ArtemisCluster implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private static final int NODES = 2;

    private final BrokerCluster cluster;

    private ArtemisCluster() {
        List<Integer> mqtt = new ArrayList<>();
        List<Integer> core = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            mqtt.add(LoopbackPorts.free());
            core.add(LoopbackPorts.free());
        }
        cluster = new BrokerCluster("Artemis", mqtt, (node, directory) -> {
            List<Integer> others = new ArrayList<>(core);
            others.remove(node.intValue());
            return new ArtemisBackend(directory, new ArtemisInstanceConfig("mqttkit-artemis-" + node,
                    core.get(node), mqtt.get(node), others));
        }, Duration.ofSeconds(60));
    }

    /**
     * Returns a cluster of two nodes, not yet started.
     *
     * @return the cluster
     */
    public static ArtemisCluster create() {
        return new ArtemisCluster();
    }

    /** Starts every node not running; the first call creates the nodes' folders and configurations. */
    public void start() {
        cluster.start();
    }

    /**
     * Starts one node again, on its ports, after {@link #kill(int)}.
     *
     * @param node 0 or 1
     */
    public void start(int node) {
        cluster.start(node);
    }

    /**
     * Kills one node's process with SIGKILL.
     *
     * @param node 0 or 1
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

    @Override
    public String toString() {
        return "ArtemisCluster" + uris();
    }
}
