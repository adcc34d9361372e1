package dev.mqttkit;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A client in a process of its own, for {@link ProcessCrashIT}: the test starts it, reads its progress from its
 * standard output, sends it commands on its standard input and kills it. Test code, not a sample.
 *
 * <p>Arguments are {@code key=value}: {@code mode} ({@code subscribe} or {@code publish}), {@code uri},
 * {@code id} (a durable session, {@code cleanSession(false)}), {@code topic}, {@code qos} (the subscription's,
 * {@code subscribe} only), {@code persistence} (a directory for the file store; absent: memory), {@code haltOn}
 * (a payload on which the listener halts the JVM, {@code subscribe} only), {@code showTopic} (print
 * {@code GOT <payload> ON <topic>} instead).
 *
 * <p>Lines it prints: {@code STARTED} once {@code start()} returned, {@code GOT <payload>} for each message
 * (printed and flushed before the listener returns, so before the message is acknowledged), {@code PUBLISHED
 * <n>} once {@code n} QoS 1 messages {@code 1..n} were handed to the client (their futures may still be
 * pending), {@code PROBED} once a QoS 1 message {@code probe} was acknowledged, {@code STOPPED}. Commands it
 * reads, one a line: {@code PUBLISH <n>}, {@code PROBE}, {@code STOP}; the end of its input also stops it, so it
 * never outlives a test JVM that died.
 */
final class CrashingClient {

    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
            StandardCharsets.UTF_8);

    private CrashingClient() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String mode = options.get("mode");
        String topic = options.get("topic");
        String haltOn = options.get("haltOn");
        boolean showTopic = options.containsKey("showTopic");
        MyMqtt.Builder builder = MyMqtt.builder()
                .serverUri(options.get("uri"))
                .clientId(options.get("id"))
                .cleanSession(false);
        if (options.containsKey("persistence")) {
            builder.persistence(Path.of(options.get("persistence")));
        }
        MyMqtt client = builder.build();
        if ("subscribe".equals(mode)) {
            client.subscribe(topic, Qos.of(Integer.parseInt(options.get("qos"))), message -> {
                String payload = message.payloadAsString();
                if (payload.equals(haltOn)) {
                    Runtime.getRuntime().halt(1); // dies inside the listener: the message is not acknowledged
                }
                print("GOT " + payload + (showTopic ? " ON " + message.topic() : ""));
            });
        }
        client.start();
        print("STARTED");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = readLine(commands)) != null && !command.equals("STOP")) {
            if (command.startsWith("PUBLISH ")) {
                int count = Integer.parseInt(command.substring("PUBLISH ".length()));
                for (int n = 1; n <= count; n++) {
                    client.publish(topic, Integer.toString(n), Qos.AT_LEAST_ONCE, false);
                }
                print("PUBLISHED " + count);
            } else if (command.equals("PROBE")) {
                client.publish(topic, "probe", Qos.AT_LEAST_ONCE, false).join();
                print("PROBED");
            }
        }
        client.stop();
        print("STOPPED");
        System.exit(0);
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return null; // the test JVM went away: stop like at the end of input
        }
    }

    private static void print(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }
}
