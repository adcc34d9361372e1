package dev.mqttkit.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a cluster of broker processes, one {@link Backend} per node, each with its MQTT port on
 * 127.0.0.1: all nodes start together; one node at a time can be killed and started again on its ports; close
 * leaves no process and no folder behind (also at JVM exit, through the {@link BrokerReaper}).
 */
final class BrokerCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCluster.class);

    private final String name;
    private final List<Integer> mqttPorts;
    private final BiFunction<Integer, Path, Backend> nodeFactory;
    private final Duration readyTimeout;
    private final List<Backend> nodes = new ArrayList<>();
    private final List<Boolean> running = new ArrayList<>();
    private Path directory;

    /**
     * @param mqttPorts each node's MQTT port, chosen before the nodes' configurations name each other
     * @param nodeFactory makes node {@code i}'s backend in its folder
     */
    BrokerCluster(String name, List<Integer> mqttPorts, BiFunction<Integer, Path, Backend> nodeFactory,
            Duration readyTimeout) {
        this.name = name;
        this.mqttPorts = List.copyOf(mqttPorts);
        this.nodeFactory = nodeFactory;
        this.readyTimeout = readyTimeout;
    }

    /** Starts every node that is not running; the first call creates them. */
    synchronized void start() {
        if (directory == null) {
            directory = TempDirectory.create();
            BrokerReaper.watch(this);
            for (int i = 0; i < mqttPorts.size(); i++) {
                nodes.add(nodeFactory.apply(i, directory.resolve("node-" + i)));
                running.add(false);
            }
        }
        long started = System.nanoTime();
        try {
            // all processes first, then the waits: the nodes start side by side
            for (int i = 0; i < nodes.size(); i++) {
                if (!running.get(i)) {
                    nodes.get(i).start();
                }
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (!running.get(i)) {
                    Backend node = nodes.get(i);
                    LoopbackPorts.awaitOpen(mqttPorts.get(i), readyTimeout, node::checkAlive);
                    running.set(i, true);
                }
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        LOG.info("Cluster {} is up on {} after {} ms", name, uris(), (System.nanoTime() - started) / 1_000_000);
    }

    synchronized void start(int node) {
        check(node);
        if (!running.get(node)) {
            nodes.get(node).start();
            LoopbackPorts.awaitOpen(mqttPorts.get(node), readyTimeout, nodes.get(node)::checkAlive);
            running.set(node, true);
            LOG.info("Cluster {}: node {} started on {}", name, node, uri(node));
        }
    }

    synchronized void kill(int node) {
        check(node);
        if (running.get(node)) {
            nodes.get(node).kill();
            LoopbackPorts.awaitClosed(mqttPorts.get(node), readyTimeout);
            running.set(node, false);
            LOG.info("Cluster {}: node {} on {} killed", name, node, uri(node));
        }
    }

    synchronized boolean isRunning(int node) {
        check(node);
        return running.get(node);
    }

    List<String> uris() {
        return mqttPorts.stream().map(port -> "tcp://127.0.0.1:" + port).toList();
    }

    String uri(int node) {
        return uris().get(node);
    }

    @Override
    public synchronized void close() {
        try {
            for (int i = 0; i < nodes.size(); i++) {
                try {
                    nodes.get(i).stop();
                    nodes.get(i).close();
                } catch (RuntimeException e) {
                    LOG.warn("Cluster {}: node {} did not stop: {}", name, i, e.toString());
                }
                running.set(i, false);
            }
        } finally {
            TempDirectory.delete(directory);
            BrokerReaper.release(this);
        }
    }

    @Override
    public String toString() {
        return name + uris();
    }

    private void check(int node) {
        Objects.checkIndex(node, mqttPorts.size());
    }
}
