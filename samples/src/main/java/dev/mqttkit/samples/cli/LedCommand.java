package dev.mqttkit.samples.cli;

import dev.mqttkit.samples.led.LedLight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "led", mixinStandardHelpOptions = true,
        description = {"Exercise 1: a light with a status on/off.",
                "Takes on, off or {\"status\": \"on\"} on the topic led, and publishes its state as retained JSON "
                        + "to led/status."})
final class LedCommand extends SampleCommand {

    @Mixin
    TopicPrefix prefix;

    @Override
    int run(ConnectionOptions.Broker broker) {
        LedLight light = new LedLight(client(broker, connection.clientId("led")), prefix.value(), this::display);
        try {
            light.start();
            return awaitEnd();
        } finally {
            light.stop();
        }
    }
}
