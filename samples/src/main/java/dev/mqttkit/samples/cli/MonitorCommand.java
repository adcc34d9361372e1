package dev.mqttkit.samples.cli;

import dev.mqttkit.samples.monitor.Monitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Serves a web page that shows the broker's traffic live: the topic tree with each topic's count, "
                + "rate, QoS, retained flag and last payload (JSON pretty-printed, numbers as a sparkline, binary as "
                + "hex), a filter box, and a form to publish.",
                "Open the address it prints in a browser; Ctrl-C stops it."})
final class MonitorCommand extends SampleCommand {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "The page's port (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address the page listens on (default: ${DEFAULT-VALUE}, this machine only). Anyone "
                    + "who can reach another address can read every message and publish.")
    String bind;

    @Option(names = "--max-topics", paramLabel = "N", defaultValue = "2000",
            description = "The most topics kept; past that the one idle the longest goes (default: ${DEFAULT-VALUE}).")
    int maxTopics;

    @Override
    int run(ConnectionOptions.Broker broker) {
        if (maxTopics < 1) {
            throw new IllegalArgumentException("--max-topics [" + maxTopics + "] must be at least 1.");
        }
        try (Monitor monitor = Monitor.builder(client(broker, connection.clientId("monitor")))
                .bind(bind).port(port).maxTopics(maxTopics).qos(connection.qos).start()) {
            display("Monitoring " + broker.uri() + " at " + monitor.url() + " (open it in a browser; Ctrl-C stops it).");
            return awaitEnd();
        }
    }
}
