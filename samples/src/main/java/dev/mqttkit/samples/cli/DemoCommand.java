package dev.mqttkit.samples.cli;

import dev.mqttkit.samples.broker.EmbeddedBroker;
import dev.mqttkit.samples.demo.Demo;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs every lab exercise once on an MQTT broker inside this program and prints what each "
                + "component does: the LED and its switch, a publisher with a wildcard subscriber, the average, "
                + "the cylinder chain and a chat.",
                "No broker needs to be installed."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--broker", paramLabel = "URI",
            description = "Run the demo on this broker instead, for example tcp://localhost:1883.")
    String broker;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        if (broker != null) {
            out.println("mqttkit demo: the course's lab exercises on " + broker);
            new Demo(broker, out).run();
            finished(out, started, "");
            return 0;
        }
        try (EmbeddedBroker embedded = EmbeddedBroker.start(0)) {
            out.println("mqttkit demo: the course's lab exercises, on an embedded MQTT broker (HiveMQ CE) at "
                    + embedded.uri());
            new Demo(embedded.uri(), out).run();
        }
        finished(out, started, "; the embedded broker is stopped");
        return 0;
    }

    private static void finished(PrintWriter out, long started, String note) {
        double seconds = (System.nanoTime() - started) / 1e9;
        out.println();
        out.println(String.format(Locale.ROOT, "Demo finished in %.1f s%s.", seconds, note));
    }
}
