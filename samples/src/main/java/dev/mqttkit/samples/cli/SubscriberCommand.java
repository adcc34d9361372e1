package dev.mqttkit.samples.cli;

import dev.mqttkit.samples.subscriber.TopicSubscriber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "subscriber", mixinStandardHelpOptions = true,
        description = "Prints every message on a topic filter as: topic (qos Q, retained R) payload.")
final class SubscriberCommand extends SampleCommand {

    @Mixin
    TopicPrefix prefix;

    @Option(names = "--topic", paramLabel = "FILTER", defaultValue = "#",
            description = "What to receive; + and # wildcards allowed (default: ${DEFAULT-VALUE}, everything).")
    String topic;

    @Override
    int run(ConnectionOptions.Broker broker) {
        TopicSubscriber subscriber = new TopicSubscriber(client(broker, connection.clientId("subscriber")),
                this::display);
        try {
            subscriber.start(prefix.value() + topic);
            return awaitEnd();
        } finally {
            subscriber.stop();
        }
    }
}
