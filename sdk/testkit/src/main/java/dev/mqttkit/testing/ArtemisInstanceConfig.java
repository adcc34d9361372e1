package dev.mqttkit.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ActiveMQ Artemis instance of the test's own: the {@code artemis create} command line (anonymous, no web
 * console, only the core acceptor, on 127.0.0.1) and the MQTT acceptor added to its {@code broker.xml}.
 *
 * @param name the broker's name
 * @param corePort the core protocol acceptor's port (cluster connections use it)
 * @param mqttPort the MQTT acceptor's port
 * @param clusterCorePorts the other nodes' core ports, empty for a single broker
 */
record ArtemisInstanceConfig(String name, int corePort, int mqttPort, List<Integer> clusterCorePorts) {

    ArtemisInstanceConfig {
        clusterCorePorts = List.copyOf(clusterCorePorts);
    }

    /** A single broker with a fresh free core port. */
    static ArtemisInstanceConfig single(int mqttPort) {
        return new ArtemisInstanceConfig("mqttkit-" + mqttPort, LoopbackPorts.free(), mqttPort, List.of());
    }

    /** The arguments of {@code bin/artemis} that create the instance in {@code instance}. */
    List<String> createArguments(Path instance) {
        List<String> args = new ArrayList<>(List.of("create", instance.toString(), "--silent", "--force",
                "--user", "mqttkit", "--password", "mqttkit", "--allow-anonymous", "--no-web",
                "--no-amqp-acceptor", "--no-hornetq-acceptor", "--no-stomp-acceptor", "--no-mqtt-acceptor",
                "--host", "127.0.0.1", "--default-port", Integer.toString(corePort), "--name", name,
                "--no-autotune", "--nio", "--java-memory", "512M"));
        if (!clusterCorePorts.isEmpty()) {
            args.addAll(List.of("--clustered", "--cluster-user", "mqttkit-cluster", "--cluster-password",
                    "mqttkit-cluster", "--message-load-balancing", "ON_DEMAND", "--max-hops", "1",
                    "--staticCluster", String.join(",", clusterCorePorts.stream()
                            .map(port -> "tcp://127.0.0.1:" + port).toList())));
        }
        return args;
    }

    /**
     * Adds the MQTT acceptor to {@code broker.xml} and narrows the core acceptor to the core protocol.
     *
     * @param brokerXml the file as {@code artemis create} wrote it
     * @return the changed file
     */
    String patchBrokerXml(String brokerXml) {
        String coreAll = "protocols=CORE,AMQP,STOMP,HORNETQ,MQTT,OPENWIRE";
        if (!brokerXml.contains("</acceptors>") || !brokerXml.contains(coreAll)) {
            throw new IllegalStateException("Unexpected broker.xml from artemis create: no </acceptors> or no ["
                    + coreAll + "]");
        }
        return brokerXml.replace(coreAll, "protocols=CORE").replace("</acceptors>",
                "   <acceptor name=\"mqtt\">tcp://127.0.0.1:" + mqttPort + "?protocols=MQTT</acceptor>\n"
                        + "      </acceptors>");
    }
}
