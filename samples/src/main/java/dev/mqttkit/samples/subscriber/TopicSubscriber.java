package dev.mqttkit.samples.subscriber;

import dev.mqttkit.Message;
import dev.mqttkit.MyMqtt;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The notebook's subscriber: one line per message, {@code topic (qos Q, retained R) payload}, like its
 * {@code on_message}.
 *
 * <pre>{@code
 * # the notebook, in Python
 * def on_message(client, userdata, msg):
 *     print(msg.topic + " " + str(msg.qos) + " " + str(msg.payload) + " retained: " + str(msg.retain))
 * }</pre>
 *
 * <pre>{@code
 * TopicSubscriber subscriber = new TopicSubscriber("subscriber", "localhost", 1883);
 * subscriber.start("robotcell1/#");   // robotcell1/temperature (qos 2, retained 0) 75.27719645201488
 * }</pre>
 *
 * <p>Run it with {@link #main(String[])}: {@code TopicSubscriber [filter [host [port]]]}.
 *
 * <p>{@code retained} is 1 for a message the broker kept and sends because we just subscribed, 0 for a live one.
 * The payload is shown as it is, JSON included; only line breaks, other control characters and bytes that are
 * not UTF-8 are escaped ({@code \n}, {@code \xff}) the way Python prints bytes, so every message stays on one line.
 */
public final class TopicSubscriber {

    private final MyMqtt client;
    private final Consumer<String> display;

    /**
     * Prints every message on a filter until Ctrl-C: {@code TopicSubscriber [filter [host [port]]]}.
     *
     * @param args the topic filter (default {@code #}, everything), the broker's host (default
     *     {@code localhost}) and port (default 1883)
     * @throws InterruptedException never: the subscriber runs until the program is stopped
     */
    public static void main(String[] args) throws InterruptedException {
        String filter = args.length > 0 ? args[0] : "#";
        String broker = args.length > 1 ? args[1] : "localhost";
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 1883;
        // an id of its own: a second client with the same id makes the broker drop the first
        TopicSubscriber subscriber = new TopicSubscriber("subscriber-" + (int) (Math.random() * 100_000), broker,
                port);
        subscriber.start(filter);
        // Ctrl-C: disconnect properly (an MQTT DISCONNECT) before the program ends
        Runtime.getRuntime().addShutdownHook(new Thread(subscriber::stop));
        // Like Python paho's loop_start() thread, mqttkit's network threads do not keep a program alive: when
        // main returns, the program ends. A subscriber must keep listening, so main waits here until Ctrl-C.
        Thread.currentThread().join();
    }

    /**
     * Creates the subscriber the way the lab creates {@code MyMQTT(clientID, broker, port, notifier)}; it prints
     * to the console.
     *
     * @param clientId the MQTT client id, unique on the broker
     * @param broker the broker's host, for example {@code localhost}
     * @param port the broker's port, usually 1883
     */
    public TopicSubscriber(String clientId, String broker, int port) {
        this.client = new MyMqtt(clientId, broker, port, null); // a listener below gets qos and retained too
        this.display = System.out::println;
    }

    /**
     * Creates the subscriber with a client configured by a builder (URI, credentials, QoS, ...).
     *
     * @param connection the client's settings
     * @param display where it writes one line per message
     */
    public TopicSubscriber(MyMqtt.Builder connection, Consumer<String> display) {
        this.client = connection.build();
        this.display = display;
    }

    /**
     * Connects and subscribes.
     *
     * @param topicFilter what to receive; {@code +} and {@code #} wildcards allowed, for example {@code #}
     */
    public void start(String topicFilter) {
        client.start();
        client.subscribe(topicFilter, message -> display.accept(line(message)));
    }

    /** Disconnects. */
    public void stop() {
        client.stop();
    }

    /**
     * Formats a message as {@code topic (qos Q, retained R) payload}.
     *
     * @param message the message
     * @return for example {@code robotcell1/temperature (qos 0, retained 1) 21.5}
     */
    public static String line(Message message) {
        return message.topic() + " (qos " + message.qos().value() + ", retained " + (message.retained() ? 1 : 0)
                + ") " + printable(message.payload());
    }

    /** The payload as text on one line: UTF-8 as it is, with control characters and other bytes escaped. */
    static String printable(byte[] payload) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            StringBuilder bytes = new StringBuilder();
            for (byte b : payload) {
                int unsigned = b & 0xff;
                if (unsigned >= 0x20 && unsigned < 0x7f) {
                    bytes.append((char) unsigned);
                } else {
                    bytes.append(escape(unsigned));
                }
            }
            return bytes.toString();
        }
        StringBuilder line = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                line.append(escape(c));
            } else {
                line.appendCodePoint(c);
            }
        });
        return line.toString();
    }

    private static String escape(int c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                return c < 0x100 ? String.format("\\x%02x", c) : String.format("\\u%04x", c);
        }
    }
}
