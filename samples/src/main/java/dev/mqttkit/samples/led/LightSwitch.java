package dev.mqttkit.samples.led;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Subscription;
import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.json.JsonCodecs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Exercise 1, the other half: a switch that sets the {@link LedLight} through MQTT.
 *
 * <pre>{@code
 * LightSwitch lightSwitch = new LightSwitch("light-switch", "localhost", 1883);
 * lightSwitch.turn(true);     // publishes {"status": "on"} to "led", returns once the broker has it
 * lightSwitch.toggle();       // reads the light's retained state on "led/status" and sends the opposite
 * }</pre>
 *
 * <p>Run it with {@link #main(String[])}: {@code LightSwitch [on|off|toggle [host [port]]]}.
 */
public final class LightSwitch {

    private static final PayloadCodec<LedStatus> STATUS_JSON = JsonCodecs.of(LedStatus.class);
    private static final Duration STATUS_WAIT = Duration.ofSeconds(3);

    private final MyMqtt client;
    private final String commandTopic;
    private final String statusTopic;

    /**
     * Sends one order to the light and ends: {@code LightSwitch [on|off|toggle [host [port]]]}.
     *
     * @param args the order (default {@code on}), the broker's host (default {@code localhost}) and port
     *     (default 1883)
     */
    public static void main(String[] args) {
        String order = args.length > 0 ? args[0] : "on";
        String broker = args.length > 1 ? args[1] : "localhost";
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 1883;
        // an id of its own, as every client on a broker needs
        LightSwitch lightSwitch = new LightSwitch("light-switch-" + (int) (Math.random() * 100_000), broker, port);
        boolean on;
        if (order.equals("toggle")) {
            on = lightSwitch.toggle(); // reads the light's retained status first
        } else if (order.equals("on") || order.equals("off")) {
            on = order.equals("on");
            lightSwitch.turn(on);
        } else {
            throw new IllegalArgumentException("Order [" + order + "] must be on, off or toggle.");
        }
        System.out.println("Sent " + (on ? "on" : "off") + " to the light; the broker acknowledged it.");
    }

    /**
     * Creates the switch the way the lab creates {@code MyMQTT(clientID, broker, port, notifier)}.
     *
     * @param clientId the MQTT client id, unique on the broker
     * @param broker the broker's host, for example {@code localhost}
     * @param port the broker's port, usually 1883
     */
    public LightSwitch(String clientId, String broker, int port) {
        this.client = new MyMqtt(clientId, broker, port, null); // a switch only publishes: no notifier
        this.commandTopic = LedLight.COMMAND_TOPIC;
        this.statusTopic = LedLight.STATUS_TOPIC;
    }

    /**
     * Creates the switch with a client configured by a builder (URI, credentials, QoS, ...).
     *
     * @param connection the client's settings
     */
    public LightSwitch(MyMqtt.Builder connection) {
        this(connection, "");
    }

    /**
     * Creates the switch with a client configured by a builder, for a light whose topics are under a prefix.
     *
     * @param connection the client's settings
     * @param topicPrefix put before each topic, for example {@code "alice/"} for {@code alice/led}; {@code ""} for
     *     the course's topics
     */
    public LightSwitch(MyMqtt.Builder connection, String topicPrefix) {
        this.client = connection.build();
        this.commandTopic = topicPrefix + LedLight.COMMAND_TOPIC;
        this.statusTopic = topicPrefix + LedLight.STATUS_TOPIC;
    }

    /**
     * Turns the light on or off: connects, publishes the order and disconnects.
     *
     * <p>Returns once the broker acknowledged the order. At QoS 2 (the default) that is the end of the
     * PUBLISH, PUBREC, PUBREL, PUBCOMP exchange: the broker has the order exactly once and will pass it on.
     *
     * @param on the state to set
     */
    public void turn(boolean on) {
        client.start();
        try {
            client.publish(commandTopic, LedStatus.of(on), STATUS_JSON).join();
        } finally {
            client.stop();
        }
    }

    /**
     * Turns the light to the opposite of its state on {@code led/status}.
     *
     * @return the state it set
     * @throws IllegalStateException when no light published its state within 3 seconds
     */
    public boolean toggle() {
        client.start();
        try {
            boolean wasOn = currentState();
            client.publish(commandTopic, LedStatus.of(!wasOn), STATUS_JSON).join();
            return !wasOn;
        } finally {
            client.stop();
        }
    }

    /** The light's state, from its retained status: the broker sends it right after we subscribe. */
    private boolean currentState() {
        CompletableFuture<LedStatus> status = new CompletableFuture<>();
        Subscription subscription = client.subscribeWith().filter(statusTopic).decode(STATUS_JSON)
                .listen(message -> status.complete(message.value()));
        try {
            return "on".equalsIgnoreCase(status.get(STATUS_WAIT.toMillis(), TimeUnit.MILLISECONDS).status());
        } catch (TimeoutException e) {
            throw new IllegalStateException("No LED state on [" + statusTopic + "] within "
                    + STATUS_WAIT.toSeconds() + " s, so there is nothing to toggle: start the led sample first, or "
                    + "use switch on or switch off.", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not read the LED state: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the LED state", e);
        } finally {
            subscription.close();
        }
    }
}
