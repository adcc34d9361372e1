package dev.mqttkit.samples.cli;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.samples.average.AverageTemperature;
import dev.mqttkit.samples.chat.Chat;
import dev.mqttkit.samples.cylinders.Cylinder;
import dev.mqttkit.samples.led.LedLight;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "clear", mixinStandardHelpOptions = true,
        description = {"Removes the retained messages the samples leave on the broker (the LED's status, the chat's "
                + "last line, the temperatures and their average, the cylinders), or those of the topics given, so "
                + "that the next run starts afresh.",
                "An empty retained message makes the broker forget a topic's retained message; "
                        + "mosquitto_pub -r -n -t TOPIC does the same."})
final class ClearCommand extends SampleCommand {

    /** The topics the samples publish retained. */
    static final List<String> RETAINED = Stream.concat(
            Stream.of(LedLight.STATUS_TOPIC, Chat.TOPIC, AverageTemperature.TEMPERATURE1,
                    AverageTemperature.TEMPERATURE2, AverageTemperature.AVERAGE),
            Stream.of("1", "2", "3").map(n -> Cylinder.CYLINDER_ON.with("n", n).toString())).toList();

    @Mixin
    TopicPrefix prefix;

    @Parameters(paramLabel = "TOPIC", arity = "0..*",
            description = "The topics to clear (default: the samples' retained topics, under --prefix).")
    List<String> topics;

    @Override
    int run(ConnectionOptions.Broker broker) {
        String levels = prefix.value();
        List<String> cleared = (topics == null || topics.isEmpty() ? RETAINED : topics).stream()
                .map(topic -> levels + topic).toList();
        try (MyMqtt client = client(broker, connection.clientId("clear")).build()) {
            client.start();
            for (String topic : cleared) {
                client.publishWith().topic(topic).payload(new byte[0]).retain(true).send().join();
            }
        }
        display("Cleared the retained messages of " + String.join(", ", cleared) + ".");
        return 0;
    }
}
