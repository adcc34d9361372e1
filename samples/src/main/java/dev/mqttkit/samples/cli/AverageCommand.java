package dev.mqttkit.samples.cli;

import dev.mqttkit.samples.average.AverageTemperature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "average", mixinStandardHelpOptions = true,
        description = "Publishes the average of robotcell1/temperature1 and robotcell1/temperature2 to "
                + "robotcell1/avgtemperature whenever a reading arrives.")
final class AverageCommand extends SampleCommand {

    @Mixin
    TopicPrefix prefix;

    @Option(names = "--json", description = "Publish {\"value\": 23.5} instead of 23.5.")
    boolean json;

    @Override
    int run(ConnectionOptions.Broker broker) {
        AverageTemperature average = new AverageTemperature(client(broker, connection.clientId("average")), prefix.value(), json,
                this::display);
        try {
            average.start();
            return awaitEnd();
        } finally {
            average.stop();
        }
    }
}
