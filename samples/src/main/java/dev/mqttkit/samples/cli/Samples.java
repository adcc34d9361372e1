package dev.mqttkit.samples.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar mqttkit-samples.jar <sample> [options]}: the lab exercises and the demo from the command line.
 *
 * <p>This layer only reads options and wires them to the exercise classes; the MQTT code is in those classes.
 */
@Command(name = "mqttkit-samples", mixinStandardHelpOptions = true, versionProvider = Samples.Version.class,
        description = "The course's MQTT lab exercises, written with mqttkit.",
        subcommands = {
                DemoCommand.class,
                PublisherCommand.class,
                SubscriberCommand.class,
                LedCommand.class,
                SwitchCommand.class,
                ChatCommand.class,
                AverageCommand.class,
                CylindersCommand.class,
                MonitorCommand.class,
                ClearCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {"", "Every sample connects to --broker (default tcp://localhost:1883); add --embedded to run a broker "
                + "inside the sample instead. Try: demo"})
public final class Samples implements Runnable {

    private final InputStream in;

    @Spec
    CommandSpec spec;

    Samples(InputStream in) {
        this.in = in;
    }

    /** What {@code chat} reads its lines from. */
    InputStream input() {
        return in;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a sample, for example: demo");
    }

    /**
     * Runs the samples' command line.
     *
     * @param args the sample's name and its options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs one sample to its end.
     *
     * @param args the sample's name and its options
     * @param in the standard input (the chat reads it)
     * @param out where the sample writes what it does
     * @param err where errors go, one sentence each
     * @return the exit code: 0 when done, 1 when the broker could not be used, 2 for wrong options
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new Samples(in));
        commandLine.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        commandLine.setExecutionExceptionHandler(new Errors());
        return commandLine.execute(args);
    }

    /** The version of the jar, from its manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Samples.class.getPackage().getImplementationVersion();
            return new String[] {"mqttkit samples " + (version == null ? "(development build)" : version)};
        }
    }
}
