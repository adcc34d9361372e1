package dev.mqttkit.samples.led;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Notifier;
import dev.mqttkit.PayloadCodecException;
import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.json.JsonCodecs;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Exercise 1: a light with a status that is on or off, switched through the topic {@code led}.
 *
 * <p>It accepts {@code on} and {@code off} as text, and {@code {"status": "on"}} as JSON. It publishes its state
 * to {@code led/status} as <b>retained</b> JSON, so whoever subscribes later (a dashboard, the
 * {@link LightSwitch}'s toggle) gets the current state at once instead of waiting for the next change.
 *
 * <pre>{@code
 * LedLight light = new LedLight("led-light", "localhost", 1883);
 * light.start();      // connects, publishes {"status": "off"}, subscribes to "led"
 * ...                 // mosquitto_pub -t led -m on
 * light.stop();
 * }</pre>
 *
 * <p>Run it with {@link #main(String[])}: {@code LedLight [host [port]]}, by default {@code localhost 1883}.
 */
public final class LedLight implements Notifier {

    /** Where the light takes its orders. */
    public static final String COMMAND_TOPIC = "led";
    /** Where the light tells its state, retained. */
    public static final String STATUS_TOPIC = "led/status";

    private static final PayloadCodec<LedStatus> STATUS_JSON = JsonCodecs.of(LedStatus.class);

    private final MyMqtt client;
    private final Consumer<String> display;
    private final String commandTopic;
    private final String statusTopic;
    private volatile boolean on; // a light starts off

    /**
     * Runs a light until Ctrl-C, like the notebook's script: {@code LedLight [host [port]]}.
     *
     * @param args the broker's host (default {@code localhost}) and port (default 1883)
     * @throws InterruptedException never: the light runs until the program is stopped
     */
    public static void main(String[] args) throws InterruptedException {
        String broker = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 1883;
        // every client on a broker needs an id of its own: a second client with the same id makes the broker
        // drop the first, so a random ending keeps two students' lights apart
        LedLight light = new LedLight("led-light-" + (int) (Math.random() * 100_000), broker, port);
        light.start();
        // Ctrl-C: disconnect properly (an MQTT DISCONNECT) before the program ends. The broker then knows the
        // light left on purpose; its retained status stays on led/status for the next subscriber.
        Runtime.getRuntime().addShutdownHook(new Thread(light::stop));
        // Like Python paho's loop_start() thread, mqttkit's network threads do not keep a program alive: when
        // main returns, the program ends. A light must keep listening, so main waits here until Ctrl-C.
        Thread.currentThread().join();
    }

    /**
     * Creates the light the way the lab creates {@code MyMQTT(clientID, broker, port, notifier)}; it prints to
     * the console.
     *
     * @param clientId the MQTT client id, unique on the broker
     * @param broker the broker's host, for example {@code localhost}
     * @param port the broker's port, usually 1883
     */
    public LedLight(String clientId, String broker, int port) {
        this.display = System.out::println;
        this.commandTopic = COMMAND_TOPIC;
        this.statusTopic = STATUS_TOPIC;
        // the light is its own notifier: messages on "led" arrive in notify() below
        this.client = new MyMqtt(clientId, broker, port, this);
    }

    /**
     * Creates the light with a client configured by a builder (URI, credentials, QoS, ...).
     *
     * @param connection the client's settings; the light sets itself as the notifier
     * @param display where the light writes what it does, one line at a time
     */
    public LedLight(MyMqtt.Builder connection, Consumer<String> display) {
        this(connection, "", display);
    }

    /**
     * Creates the light with a client configured by a builder, on topics under a prefix: on a broker that a
     * class shares, each student's light then listens to its own switch only.
     *
     * @param connection the client's settings; the light sets itself as the notifier
     * @param topicPrefix put before each topic, for example {@code "alice/"} for {@code alice/led}; {@code ""} for
     *     the course's topics
     * @param display where the light writes what it does, one line at a time
     */
    public LedLight(MyMqtt.Builder connection, String topicPrefix, Consumer<String> display) {
        this.display = display;
        this.commandTopic = topicPrefix + COMMAND_TOPIC;
        this.statusTopic = topicPrefix + STATUS_TOPIC;
        this.client = connection.notifier(this).build();
    }

    /** Connects, tells its state ({@code off}) and starts listening on {@code led}. */
    public void start() {
        client.start();
        publishStatus();
        client.subscribe(commandTopic); // QoS 2 by default, as in the course: each order arrives exactly once
        display.accept("LED is OFF; switch it with on/off on [" + commandTopic + "]");
    }

    /** Disconnects. The retained status stays on the broker. */
    public void stop() {
        client.stop();
    }

    /**
     * Tells whether the light is on.
     *
     * @return the current state
     */
    public boolean isOn() {
        return on;
    }

    /** Called by mqttkit for each message on {@code led}, one at a time. */
    @Override
    public void notify(String topic, byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        Boolean wanted = parse(text);
        if (wanted == null) {
            display.accept("Ignored [" + text + "] on [" + topic + "]: send on, off or {\"status\": \"on\"}");
        } else if (wanted == on) {
            display.accept("LED is already " + (on ? "ON" : "OFF"));
        } else {
            on = wanted;
            publishStatus(); // first, so that whoever reads the line below can count on the status being out
            display.accept("LED is now " + (on ? "ON" : "OFF"));
        }
    }

    private void publishStatus() {
        // retained: the broker keeps the last status and hands it to every new subscriber of led/status
        client.publishWith().topic(statusTopic).value(LedStatus.of(on), STATUS_JSON).retain(true).send().join();
    }

    /** Reads {@code on}, {@code off} or {@code {"status": "on"}}; {@code null} for anything else. */
    static Boolean parse(String text) {
        String command = text;
        if (text.startsWith("{")) {
            try {
                LedStatus status = STATUS_JSON.decode(text.getBytes(StandardCharsets.UTF_8));
                command = status.status() == null ? "" : status.status();
            } catch (PayloadCodecException notJson) {
                return null;
            }
        } else if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            command = text.substring(1, text.length() - 1); // json.dumps("on") sends "on" with its quotes
        }
        switch (command.strip().toLowerCase(Locale.ROOT)) {
            case "on":
                return Boolean.TRUE;
            case "off":
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
