package dev.mqttkit.samples.average;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.TypedMessage;
import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.json.JsonCodecs;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * In-class exercise: the average of {@code robotcell1/temperature1} and {@code robotcell1/temperature2}, published
 * to {@code robotcell1/avgtemperature} whenever a reading arrives.
 *
 * <p>The readings are numbers as text ({@code 21}, {@code 26.5}), the way the notebook's Python client publishes
 * them; {@link PayloadCodecs#doubles()} reads them. Readings published retained (as the notebook does to "create
 * the structure in the broker") arrive as soon as the average subscribes. The average itself is published
 * retained too, so a dashboard that starts later shows it at once.
 *
 * <pre>{@code
 * AverageTemperature average = new AverageTemperature("average", "localhost", 1883);
 * average.start();
 * // mosquitto_pub -t robotcell1/temperature1 -m 21 -r
 * // mosquitto_pub -t robotcell1/temperature2 -m 26 -r      -> robotcell1/avgtemperature: 23.5
 * }</pre>
 *
 * <p>Run it with {@link #main(String[])}: {@code AverageTemperature [host [port]]}.
 */
public final class AverageTemperature {

    /** The first sensor's topic. */
    public static final String TEMPERATURE1 = "robotcell1/temperature1";
    /** The second sensor's topic. */
    public static final String TEMPERATURE2 = "robotcell1/temperature2";
    /** Where the average goes. */
    public static final String AVERAGE = "robotcell1/avgtemperature";

    /** The average as JSON, with {@code --json}: {@code {"value": 23.5}}. */
    public record Average(double value) {
    }

    private static final PayloadCodec<Average> AVERAGE_JSON = JsonCodecs.of(Average.class);

    private final MyMqtt client;
    private final String temperature1;
    private final String temperature2;
    private final String averageTopic;
    private final boolean json;
    private final Consumer<String> display;
    private final Map<String, Double> latest = new ConcurrentHashMap<>();
    private volatile Double average;

    /**
     * Publishes the average until Ctrl-C: {@code AverageTemperature [host [port]]}.
     *
     * @param args the broker's host (default {@code localhost}) and port (default 1883)
     * @throws InterruptedException never: the average runs until the program is stopped
     */
    public static void main(String[] args) throws InterruptedException {
        String broker = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 1883;
        // an id of its own: a second client with the same id makes the broker drop the first
        AverageTemperature average = new AverageTemperature("average-" + (int) (Math.random() * 100_000), broker,
                port);
        average.start();
        // Ctrl-C: disconnect properly (an MQTT DISCONNECT) before the program ends
        Runtime.getRuntime().addShutdownHook(new Thread(average::stop));
        // Like Python paho's loop_start() thread, mqttkit's network threads do not keep a program alive: when
        // main returns, the program ends. The average must keep listening, so main waits here until Ctrl-C.
        Thread.currentThread().join();
    }

    /**
     * Creates the average the way the lab creates {@code MyMQTT(clientID, broker, port, notifier)}; it publishes
     * plain text and prints to the console.
     *
     * @param clientId the MQTT client id, unique on the broker
     * @param broker the broker's host, for example {@code localhost}
     * @param port the broker's port, usually 1883
     */
    public AverageTemperature(String clientId, String broker, int port) {
        this.client = new MyMqtt(clientId, broker, port, null); // typed listeners below, no notifier needed
        this.temperature1 = TEMPERATURE1;
        this.temperature2 = TEMPERATURE2;
        this.averageTopic = AVERAGE;
        this.json = false;
        this.display = System.out::println;
    }

    /**
     * Creates the average with a client configured by a builder (URI, credentials, QoS, ...).
     *
     * @param connection the client's settings
     * @param json {@code true} to publish {@code {"value": 23.5}}, {@code false} for {@code 23.5}
     * @param display where it writes each new average
     */
    public AverageTemperature(MyMqtt.Builder connection, boolean json, Consumer<String> display) {
        this(connection, "", json, display);
    }

    /**
     * Creates the average with a client configured by a builder, on topics under a prefix.
     *
     * @param connection the client's settings
     * @param topicPrefix put before each topic, for example {@code "alice/"} for
     *     {@code alice/robotcell1/temperature1}; {@code ""} for the course's topics
     * @param json {@code true} to publish {@code {"value": 23.5}}, {@code false} for {@code 23.5}
     * @param display where it writes each new average
     */
    public AverageTemperature(MyMqtt.Builder connection, String topicPrefix, boolean json, Consumer<String> display) {
        this.client = connection.build();
        this.temperature1 = topicPrefix + TEMPERATURE1;
        this.temperature2 = topicPrefix + TEMPERATURE2;
        this.averageTopic = topicPrefix + AVERAGE;
        this.json = json;
        this.display = display;
    }

    /** Connects and subscribes to both temperatures; retained readings arrive right after. */
    public void start() {
        client.start();
        display.accept("Waiting for " + temperature1 + " and " + temperature2 + " (numbers as text).");
        client.subscribeWith().filter(temperature1).decode(PayloadCodecs.doubles()).listen(this::onReading);
        client.subscribeWith().filter(temperature2).decode(PayloadCodecs.doubles()).listen(this::onReading);
    }

    /** Disconnects. */
    public void stop() {
        client.stop();
    }

    /**
     * Returns the last average published.
     *
     * @return the average, empty until both temperatures are known
     */
    public OptionalDouble average() {
        Double current = average;
        return current == null ? OptionalDouble.empty() : OptionalDouble.of(current);
    }

    private void onReading(TypedMessage<Double> reading) {
        latest.put(reading.topic(), reading.value());
        Double t1 = latest.get(temperature1);
        Double t2 = latest.get(temperature2);
        if (t1 == null || t2 == null) {
            display.accept(reading.topic() + " = " + reading.value() + "; waiting for the other temperature");
            return;
        }
        double mean = (t1 + t2) / 2;
        // retained: a dashboard that subscribes later gets the current average at once
        if (json) {
            client.publishWith().topic(averageTopic).value(new Average(mean), AVERAGE_JSON).retain(true).send().join();
        } else {
            client.publishWith().topic(averageTopic).value(mean, PayloadCodecs.doubles()).retain(true).send().join();
        }
        average = mean;
        display.accept(averageTopic + " = " + mean + " (average of " + t1 + " and " + t2 + ")");
    }
}
