package dev.mqttkit.samples.cli;

import dev.mqttkit.samples.led.LightSwitch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "switch", mixinStandardHelpOptions = true,
        description = {"Exercise 1: sets the light of the led sample, and exits once the broker has the order.",
                "toggle reads the light's retained state on led/status first."})
final class SwitchCommand extends SampleCommand {

    enum Action { on, off, toggle }

    @Mixin
    TopicPrefix prefix;

    @Parameters(paramLabel = "on|off|toggle", description = "What to do with the light.")
    Action action;

    @Override
    int run(ConnectionOptions.Broker broker) {
        LightSwitch lightSwitch = new LightSwitch(client(broker, connection.clientId("switch")), prefix.value());
        switch (action) {
            case on, off -> {
                lightSwitch.turn(action == Action.on);
                display("Sent " + action + " to the light; the broker acknowledged it.");
            }
            case toggle -> {
                boolean on = lightSwitch.toggle();
                display("Sent " + (on ? "on" : "off") + " to the light; the broker acknowledged it.");
            }
        }
        return 0;
    }
}
