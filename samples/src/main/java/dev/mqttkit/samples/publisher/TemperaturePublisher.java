package dev.mqttkit.samples.publisher;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.json.JsonCodecs;
import dev.mqttkit.topic.Topic;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The notebook's publisher: a temperature reading on {@code robotcell1/temperature} every second.
 *
 * <pre>{@code
 * # the notebook, in Python
 * while(True):
 *     mqtt_client_1.publish("robotcell1/temperature", random.random()*100)
 *     time.sleep(2)
 * }</pre>
 *
 * <pre>{@code
 * TemperaturePublisher publisher = new TemperaturePublisher("publisher", "localhost", 1883);
 * publisher.start();
 * publisher.publishEvery(Duration.ofSeconds(1), 10);   // ten readings, one a second
 * publisher.stop();
 * }</pre>
 *
 * <p>Run it with {@link #main(String[])}: {@code TemperaturePublisher [host [port]]}.
 *
 * <p>Each reading is a number as text ({@code 75.27719645201488}), exactly what the Python client sends, or with
 * {@code json} a {@link Reading}: {@code {"sensor": "publisher", "value": 75.27, "time": 1732270530.5}}.
 */
public final class TemperaturePublisher {

    /** The notebook's topic. */
    public static final String DEFAULT_TOPIC = "robotcell1/temperature";

    /**
     * A reading as JSON.
     *
     * @param sensor who measured it
     * @param value the temperature
     * @param time when, in seconds since 1970 (Python's {@code time.time()})
     */
    public record Reading(String sensor, double value, double time) {
    }

    private static final PayloadCodec<Reading> READING_JSON = JsonCodecs.of(Reading.class);

    private final MyMqtt client;
    private final String topic;
    private final boolean json;
    private final DoubleSupplier sensor;
    private final Consumer<String> display;
    private volatile boolean running;

    /**
     * Publishes a reading every second until Ctrl-C, like the notebook's loop: {@code TemperaturePublisher [host
     * [port]]}.
     *
     * @param args the broker's host (default {@code localhost}) and port (default 1883)
     * @throws InterruptedException when interrupted between two readings
     */
    public static void main(String[] args) throws InterruptedException {
        String broker = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 1883;
        // an id of its own: a second client with the same id makes the broker drop the first
        TemperaturePublisher publisher = new TemperaturePublisher("publisher-" + (int) (Math.random() * 100_000),
                broker, port);
        publisher.start();
        // Ctrl-C: disconnect properly (an MQTT DISCONNECT) before the program ends
        Runtime.getRuntime().addShutdownHook(new Thread(publisher::stop));
        publisher.publishEvery(Duration.ofSeconds(1), 0); // like while True: ...; time.sleep(1)
    }

    /**
     * Creates the publisher the way the lab creates {@code MyMQTT(clientID, broker, port, notifier)}: random
     * readings from 0 to 100, as text, to {@code robotcell1/temperature}, printed to the console.
     *
     * @param clientId the MQTT client id, unique on the broker
     * @param broker the broker's host, for example {@code localhost}
     * @param port the broker's port, usually 1883
     */
    public TemperaturePublisher(String clientId, String broker, int port) {
        Random random = new Random();
        this.client = new MyMqtt(clientId, broker, port, null); // a publisher needs no notifier
        this.topic = DEFAULT_TOPIC;
        this.json = false;
        this.sensor = () -> random.nextDouble() * 100;
        this.display = System.out::println;
    }

    /**
     * Creates the publisher with a client configured by a builder (URI, credentials, QoS, ...).
     *
     * @param connection the client's settings
     * @param topic where to publish
     * @param json {@code true} for a JSON {@link Reading}, {@code false} for the number as text
     * @param sensor where the readings come from
     * @param display where it writes each reading it published
     * @throws dev.mqttkit.InvalidTopicException when the topic is not one a client may publish to
     */
    public TemperaturePublisher(MyMqtt.Builder connection, String topic, boolean json, DoubleSupplier sensor,
            Consumer<String> display) {
        this.client = connection.build();
        this.topic = Topic.of(topic).toString(); // a bad topic fails here, before anything is sent
        this.json = json;
        this.sensor = sensor;
        this.display = display;
    }

    /** Connects. */
    public void start() {
        client.start();
        running = true;
    }

    /** Ends {@link #publishEvery} after its current reading, and disconnects. */
    public void stop() {
        running = false;
        client.stop();
    }

    /**
     * Publishes one reading and waits until the broker has it.
     *
     * @return the value published
     */
    public double publishReading() {
        double value = sensor.getAsDouble();
        if (json) {
            double now = System.currentTimeMillis() / 1000.0;
            client.publish(topic, new Reading(client.clientId(), value, now), READING_JSON).join();
        } else {
            client.publish(topic, value, PayloadCodecs.doubles()).join(); // "75.27719645201488", as Python sends it
        }
        display.accept("published " + value + " to " + topic);
        return value;
    }

    /**
     * Publishes readings, one per interval, until {@link #stop()} or {@code count} readings. A reading that
     * {@link #stop()} cuts short ends the loop quietly.
     *
     * @param interval the time between two readings
     * @param count how many readings; 0 for no limit
     * @throws InterruptedException when interrupted while waiting for the next reading
     */
    public void publishEvery(Duration interval, long count) throws InterruptedException {
        for (long sent = 0; running && (count == 0 || sent < count); sent++) {
            if (sent > 0) {
                Thread.sleep(interval.toMillis()); // the pace of the readings, like the notebook's time.sleep
            }
            try {
                publishReading();
            } catch (RuntimeException e) {
                if (running) {
                    throw e;
                }
                return; // stop() ended the publish that was on its way: the loop is over
            }
        }
    }
}
