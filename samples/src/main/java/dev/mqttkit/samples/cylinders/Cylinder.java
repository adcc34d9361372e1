package dev.mqttkit.samples.cylinders;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.TypedMessage;
import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.topic.TopicTemplate;
import dev.mqttkit.topic.TypedTopic;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One system component of the cylinder exercise: it watches another component's cylinder and moves its own.
 *
 * <p>Each component owns the topic {@code systemcomponent<n>/cylinderOn}, with {@code True} or {@code False} as
 * text, the way Python's {@code str(True)} writes it. One template declares all three topics, and the typed topic
 * reads the payload as a boolean and the component number from the topic.
 *
 * <pre>{@code
 * Cylinder second = new Cylinder(2, 1, true, "cylinder-2", "localhost", 1883);  // 2 := True when 1 is True
 * second.start();     // publishes systemcomponent2/cylinderOn = False (retained): the start topic
 * second.follow();    // subscribes to the cylinders and reacts to component 1
 * }</pre>
 *
 * <p>Run one component with {@link #main(String[])}: {@code Cylinder n [host [port]]}.
 */
public final class Cylinder {

    /** {@code systemcomponent1/cylinderOn}, {@code systemcomponent2/cylinderOn}, ... */
    public static final TopicTemplate CYLINDER_ON = TopicTemplate.of("systemcomponent{n}/cylinderOn");
    /** The same topics, their payload read and written as {@code True}/{@code False}. */
    public static final TypedTopic<Boolean> CYLINDER = CYLINDER_ON.typed(PayloadCodecs.booleans());

    private final int number;
    private final int watched;
    private final boolean setTo;
    private final TypedTopic<Boolean> cylinder;
    private final MyMqtt client;
    private final Consumer<String> display;
    private final Map<Integer, Boolean> seen = new HashMap<>(); // the last position of each cylinder, as seen here

    /**
     * Runs component 1, 2 or 3 of the chain until Ctrl-C, as one lab machine would: {@code Cylinder n [host
     * [port]]}. Component 2 follows 1, 3 follows 2 (both set themselves {@code True}), and 1 follows 3 (it sets
     * itself {@code False}).
     *
     * @param args the component (default 1), the broker's host (default {@code localhost}) and port (default 1883)
     * @throws InterruptedException never: the component runs until the program is stopped
     */
    public static void main(String[] args) throws InterruptedException {
        int number = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        String broker = args.length > 1 ? args[1] : "localhost";
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 1883;
        if (number < 1 || number > 3) {
            throw new IllegalArgumentException("Component [" + number + "] must be 1, 2 or 3.");
        }
        int watched = number == 1 ? 3 : number - 1;
        // an id of its own: a second client with the same id makes the broker drop the first
        Cylinder cylinder = new Cylinder(number, watched, number != 1, "cylinder-" + number + "-"
                + (int) (Math.random() * 100_000), broker, port);
        cylinder.start();
        cylinder.follow();
        // Ctrl-C: disconnect properly (an MQTT DISCONNECT) before the program ends
        Runtime.getRuntime().addShutdownHook(new Thread(cylinder::stop));
        // Like Python paho's loop_start() thread, mqttkit's network threads do not keep a program alive: when
        // main returns, the program ends. A component must keep listening, so main waits here until Ctrl-C.
        Thread.currentThread().join();
    }

    /**
     * Creates a component the way the lab creates {@code MyMQTT(clientID, broker, port, notifier)}; it prints
     * to the console.
     *
     * @param number this component's number
     * @param watched the component it watches
     * @param setTo the value it gives its own cylinder once the watched one is {@code True}
     * @param clientId the MQTT client id, unique on the broker
     * @param broker the broker's host, for example {@code localhost}
     * @param port the broker's port, usually 1883
     */
    public Cylinder(int number, int watched, boolean setTo, String clientId, String broker, int port) {
        this.number = number;
        this.watched = watched;
        this.setTo = setTo;
        this.cylinder = CYLINDER;
        this.client = new MyMqtt(clientId, broker, port, null); // a typed listener below, no notifier needed
        this.display = System.out::println;
    }

    /**
     * Creates a component with a client configured by a builder (URI, credentials, QoS, ...).
     *
     * @param number this component's number
     * @param watched the component it watches
     * @param setTo the value it gives its own cylinder once the watched one is {@code True}
     * @param connection the client's settings
     * @param display where it writes what it does
     */
    public Cylinder(int number, int watched, boolean setTo, MyMqtt.Builder connection, Consumer<String> display) {
        this(number, watched, setTo, connection, "", display);
    }

    /**
     * Creates a component with a client configured by a builder, on topics under a prefix.
     *
     * @param number this component's number
     * @param watched the component it watches
     * @param setTo the value it gives its own cylinder once the watched one is {@code True}
     * @param connection the client's settings
     * @param topicPrefix put before each topic, for example {@code "alice/"} for
     *     {@code alice/systemcomponent1/cylinderOn}; {@code ""} for the course's topics
     * @param display where it writes what it does
     */
    public Cylinder(int number, int watched, boolean setTo, MyMqtt.Builder connection, String topicPrefix,
            Consumer<String> display) {
        this.number = number;
        this.watched = watched;
        this.setTo = setTo;
        this.cylinder = TopicTemplate.of(topicPrefix + CYLINDER_ON).typed(PayloadCodecs.booleans());
        this.client = connection.build();
        this.display = display;
    }

    /** Connects and publishes the start topic: this cylinder is {@code False}. */
    public void start() {
        client.start();
        move(false);
    }

    /** Subscribes to the cylinders' topics: from now on this component reacts to the one it watches. */
    public void follow() {
        client.subscribeWith(cylinder).listen(this::onCylinder);
    }

    /** Disconnects. The retained positions stay on the broker. */
    public void stop() {
        client.stop();
    }

    /**
     * Publishes a position for this component's cylinder.
     *
     * @param on the position
     */
    public void move(boolean on) {
        // retained: the topic holds the cylinder's position, and a component that starts later reads it at once
        client.publishWith(cylinder).parameter("n", String.valueOf(number)).retain(true).send(on).join();
    }

    /**
     * Waits until this component has seen a cylinder in a position.
     *
     * @param n the cylinder's component
     * @param on the position
     * @param timeout how long to wait at most
     * @return {@code true} when seen, {@code false} when the time ran out
     * @throws InterruptedException when interrupted while waiting
     */
    public synchronized boolean awaitPosition(int n, boolean on, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Boolean.valueOf(on).equals(seen.get(n))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private void onCylinder(TypedMessage<Boolean> message) {
        int n = Integer.parseInt(message.parameter("n"));
        synchronized (this) {
            seen.put(n, message.value());
            notifyAll();
        }
        if (n == watched && message.value()) {
            display.accept("component " + number + ": component " + watched + " is True, so cylinder " + number
                    + " := " + (setTo ? "True" : "False"));
            move(setTo);
        }
    }
}
