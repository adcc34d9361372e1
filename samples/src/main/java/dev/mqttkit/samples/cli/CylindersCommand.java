package dev.mqttkit.samples.cli;

import dev.mqttkit.samples.cylinders.CylinderChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cylinders", mixinStandardHelpOptions = true,
        description = {"The three system components pushing cylinders, on systemcomponent{1,2,3}/cylinderOn "
                + "with True/False.",
                "Publish True to systemcomponent1/cylinderOn (or pass --trigger) and the end state is 1=False, "
                        + "2=True, 3=True. The three clients' ids end in -1, -2 and -3."})
final class CylindersCommand extends SampleCommand {

    @Mixin
    TopicPrefix prefix;

    @Option(names = "--trigger", description = "Publish True to systemcomponent1/cylinderOn once all are ready.")
    boolean trigger;

    @Override
    int run(ConnectionOptions.Broker broker) {
        String base = connection.clientId("cylinders");
        CylinderChain chain = new CylinderChain(n -> client(broker, base + "-" + n), prefix.value(), this::display);
        String first = prefix.value() + "systemcomponent1/cylinderOn";
        try {
            chain.start();
            display("Cylinders 1, 2 and 3 are False. Publish True to " + first + " to run the chain.");
            if (trigger) {
                display(first + " := True");
                chain.trigger();
            }
            return awaitEnd();
        } finally {
            chain.stop();
        }
    }
}
