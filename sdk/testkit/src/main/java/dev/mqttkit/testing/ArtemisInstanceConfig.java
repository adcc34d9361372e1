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
 * @param webSocketPort a second MQTT acceptor's port, for MQTT over WebSockets (Artemis's acceptors take the
 *     WebSocket upgrade themselves), or 0
 */
record ArtemisInstanceConfig(String name, int corePort, int mqttPort, List<Integer> clusterCorePorts,
        int webSocketPort) {

    ArtemisInstanceConfig {
        clusterCorePorts = List.copyOf(clusterCorePorts);
    }

    ArtemisInstanceConfig(String name, int corePort, int mqttPort, List<Integer> clusterCorePorts) {
        this(name, corePort, mqttPort, clusterCorePorts, 0);
    }

    /** A single broker with a fresh free core port and a WebSocket acceptor on {@code webSocketPort} unless 0. */
    static ArtemisInstanceConfig single(int mqttPort, int webSocketPort) {
        return new ArtemisInstanceConfig("mqttkit-" + mqttPort, LoopbackPorts.free(), mqttPort, List.of(),
                webSocketPort);
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
        String webSockets = webSocketPort == 0 ? "" : "   <acceptor name=\"mqtt-ws\">tcp://127.0.0.1:"
                + webSocketPort + "?protocols=MQTT</acceptor>\n      ";
        return brokerXml.replace(coreAll, "protocols=CORE").replace("</acceptors>",
                "   <acceptor name=\"mqtt\">tcp://127.0.0.1:" + mqttPort + "?protocols=MQTT</acceptor>\n"
                        + "      " + webSockets + "</acceptors>");
    }
}
