package dev.mqttkit.samples.cli;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.samples.broker.EmbeddedBroker;
import dev.mqttkit.samples.demo.Demo;
import dev.mqttkit.samples.monitor.Monitor;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    TopicPrefix prefix;

    @Option(names = "--monitor",
            description = "Show the demo's traffic on the monitor page (see: monitor --help) while it runs, and keep "
                    + "the page and the broker up afterwards until Ctrl-C.")
    boolean monitor;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "The monitor page's port, with --monitor (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port;

    @Spec
    CommandSpec spec;

    private final CountDownLatch ctrlC = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        Thread hook = new Thread(this::interrupted, "mqttkit-samples-ctrl-c");
        if (monitor) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            if (broker != null) {
                out.println("mqttkit demo: the course's lab exercises on " + broker);
                int code = run(broker, out, started);
                if (!monitor) {
                    finished(out, started, "");
                }
                return code;
            }
            int code;
            try (EmbeddedBroker embedded = EmbeddedBroker.start(0)) {
                out.println("mqttkit demo: the course's lab exercises, on an embedded MQTT broker (HiveMQ CE) at "
                        + embedded.uri());
                code = run(embedded.uri(), out, started);
            }
            if (!monitor) {
                finished(out, started, "; the embedded broker is stopped");
            }
            return code;
        } finally {
            cleanedUp.countDown();
            if (monitor) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running and waits for this cleanup
                }
            }
        }
    }

    /** The demo; with {@code --monitor}, the page first, and then the wait for Ctrl-C with the page still up. */
    private int run(String serverUri, PrintWriter out, long started) throws InterruptedException {
        if (!monitor) {
            new Demo(serverUri, prefix.value(), out).run();
            return 0;
        }
        try (Monitor page = Monitor.builder(MyMqtt.builder().serverUri(serverUri).clientId("demo-monitor"))
                .port(port).start()) {
            out.println("The monitor shows it at " + page.url() + " (open it in a browser).");
            new Demo(serverUri, prefix.value(), out).run();
            finished(out, started, "");
            out.println("The monitor stays at " + page.url() + " on the broker at " + serverUri
                    + " until Ctrl-C: publish from another terminal and watch.");
            out.flush();
            ctrlC.await();
            return 130;
        }
    }

    private void interrupted() {
        ctrlC.countDown();
        try {
            cleanedUp.await(10, TimeUnit.SECONDS); // let the monitor and the broker stop before the JVM exits
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void finished(PrintWriter out, long started, String note) {
        double seconds = (System.nanoTime() - started) / 1e9;
        out.println();
        out.println(String.format(Locale.ROOT, "Demo finished in %.1f s%s.", seconds, note));
    }
}
