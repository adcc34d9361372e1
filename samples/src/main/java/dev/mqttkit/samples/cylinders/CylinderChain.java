package dev.mqttkit.samples.cylinders;

import dev.mqttkit.MyMqtt;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * In-class exercise: three system components pushing cylinders, each a client of its own.
 *
 * <ul>
 *   <li>component 2 sets {@code systemcomponent2/cylinderOn=True} once {@code systemcomponent1/cylinderOn=True};</li>
 *   <li>component 3 sets {@code systemcomponent3/cylinderOn=True} once {@code systemcomponent2/cylinderOn=True};</li>
 *   <li>component 1 sets {@code systemcomponent1/cylinderOn=False} once {@code systemcomponent3/cylinderOn=True}.</li>
 * </ul>
 *
 * <p>All start {@code False}. Publish {@code True} to {@code systemcomponent1/cylinderOn} and the chain runs:
 * the end state is 1 = False, 2 = True, 3 = True.
 *
 * <pre>{@code
 * CylinderChain chain = new CylinderChain("localhost", 1883);
 * chain.start();      // three clients; every start topic is False
 * chain.trigger();    // publishes True to systemcomponent1/cylinderOn
 * }</pre>
 *
 * <p>Run it with {@link #main(String[])}: {@code CylinderChain [host [port]]}; or run each component on its own,
 * as three lab machines would, with {@link Cylinder#main(String[])}.
 */
public final class CylinderChain {

    private final List<Cylinder> cylinders;

    /**
     * Runs the three components until Ctrl-C: {@code CylinderChain [host [port]]}. Publish {@code True} to
     * {@code systemcomponent1/cylinderOn} (for example {@code mosquitto_pub -t systemcomponent1/cylinderOn -m True})
     * to run the chain.
     *
     * @param args the broker's host (default {@code localhost}) and port (default 1883)
     * @throws InterruptedException never: the components run until the program is stopped
     */
    public static void main(String[] args) throws InterruptedException {
        String broker = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 1883;
        CylinderChain chain = new CylinderChain(broker, port);
        chain.start();
        System.out.println("Cylinders 1, 2 and 3 are False. Publish True to systemcomponent1/cylinderOn to run "
                + "the chain.");
        // Ctrl-C: disconnect properly (an MQTT DISCONNECT) before the program ends
        Runtime.getRuntime().addShutdownHook(new Thread(chain::stop));
        // Like Python paho's loop_start() thread, mqttkit's network threads do not keep a program alive: when
        // main returns, the program ends. The components must keep listening, so main waits here until Ctrl-C.
        Thread.currentThread().join();
    }

    /**
     * Creates the three components, each with its own client, the way the lab creates {@code MyMQTT}; they print
     * to the console.
     *
     * @param broker the broker's host, for example {@code localhost}
     * @param port the broker's port, usually 1883
     */
    public CylinderChain(String broker, int port) {
        // each client needs an id of its own on the broker: a random part keeps two students' chains apart
        String id = "cylinder-" + (int) (Math.random() * 100_000) + "-";
        this.cylinders = List.of(
                new Cylinder(1, 3, false, id + 1, broker, port),
                new Cylinder(2, 1, true, id + 2, broker, port),
                new Cylinder(3, 2, true, id + 3, broker, port));
    }

    /**
     * Creates the three components with clients configured by a builder.
     *
     * @param connections the settings of component {@code n}'s client, for {@code n} = 1, 2, 3
     * @param display where the components write what they do
     */
    public CylinderChain(IntFunction<MyMqtt.Builder> connections, Consumer<String> display) {
        this(connections, "", display);
    }

    /**
     * Creates the three components with clients configured by a builder, on topics under a prefix.
     *
     * @param connections the settings of component {@code n}'s client, for {@code n} = 1, 2, 3
     * @param topicPrefix put before each topic, for example {@code "alice/"} for
     *     {@code alice/systemcomponent1/cylinderOn}; {@code ""} for the course's topics
     * @param display where the components write what they do
     */
    public CylinderChain(IntFunction<MyMqtt.Builder> connections, String topicPrefix, Consumer<String> display) {
        this.cylinders = List.of(
                new Cylinder(1, 3, false, connections.apply(1), topicPrefix, display),
                new Cylinder(2, 1, true, connections.apply(2), topicPrefix, display),
                new Cylinder(3, 2, true, connections.apply(3), topicPrefix, display));
    }

    /** Connects the components and publishes the start topics ({@code False}), then lets them follow. */
    public void start() {
        // every start topic first, so that no component reacts to an old True left from an earlier run
        cylinders.forEach(Cylinder::start);
        cylinders.forEach(Cylinder::follow);
    }

    /** Publishes {@code True} to {@code systemcomponent1/cylinderOn}, as the exercise's test does. */
    public void trigger() {
        cylinders.get(0).move(true);
    }

    /**
     * Waits until every component has seen a cylinder in a position: then no message of the chain is on its way.
     *
     * @param n the cylinder's component
     * @param on the position
     * @param timeout how long to wait at most, for each component
     * @return {@code true} when all saw it, {@code false} when the time ran out
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitPosition(int n, boolean on, Duration timeout) throws InterruptedException {
        for (Cylinder cylinder : cylinders) {
            if (!cylinder.awaitPosition(n, on, timeout)) {
                return false;
            }
        }
        return true;
    }

    /** Disconnects the components. */
    public void stop() {
        cylinders.forEach(Cylinder::stop);
    }
}
