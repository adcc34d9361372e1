package dev.mqttkit.samples.demo;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.Qos;
import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.samples.average.AverageTemperature;
import dev.mqttkit.samples.chat.Chat;
import dev.mqttkit.samples.cylinders.Cylinder;
import dev.mqttkit.samples.cylinders.CylinderChain;
import dev.mqttkit.samples.led.LedLight;
import dev.mqttkit.samples.led.LightSwitch;
import dev.mqttkit.samples.publisher.TemperaturePublisher;
import dev.mqttkit.samples.subscriber.TopicSubscriber;
import dev.mqttkit.topic.TopicTemplate;
import dev.mqttkit.topic.TypedTopic;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.DoubleStream;

/**
 * Runs every exercise once against one broker and writes what each component does: the LED and its switch, a
 * publisher with a wildcard subscriber, the average, the cylinder chain, and a chat between John and Yoko.
 *
 * <p>Each step waits for the line that shows it worked (with a timeout) before the next begins, so the
 * transcript reads in order although every component runs on its own client.
 */
public final class Demo {

    private final String serverUri;
    private final String prefix;
    private final Transcript transcript;

    /**
     * Creates the demo.
     *
     * @param serverUri the broker, for example {@code tcp://127.0.0.1:1883}
     * @param out where the transcript goes
     */
    public Demo(String serverUri, PrintWriter out) {
        this(serverUri, "", out);
    }

    /**
     * Creates the demo on topics under a prefix, for a broker that others use too.
     *
     * @param serverUri the broker, for example {@code tcp://127.0.0.1:1883}
     * @param topicPrefix put before each topic, for example {@code "alice/"}; {@code ""} for the course's topics
     * @param out where the transcript goes
     */
    public Demo(String serverUri, String topicPrefix, PrintWriter out) {
        this.serverUri = serverUri;
        this.prefix = topicPrefix;
        this.transcript = new Transcript(out);
    }

    /**
     * Runs all the steps.
     *
     * @throws InterruptedException when interrupted while waiting for a step
     * @throws IllegalStateException when a step does not show its outcome within 10 s
     */
    public void run() throws InterruptedException {
        ledAndSwitch();
        publisherAndSubscriber();
        average();
        cylinders();
        chat();
    }

    private void ledAndSwitch() throws InterruptedException {
        transcript.say("");
        transcript.say("== Exercise 1: a LED light and its switch (topics led and led/status) ==");
        LedLight light = new LedLight(client("demo-led"), prefix, transcript.as("led"));
        try {
            light.start();
            Consumer<String> switchSays = transcript.as("switch");
            int mark = transcript.mark();
            switchSays.accept("switch on: publishes {\"status\":\"on\"} to led at QoS 2");
            new LightSwitch(client("demo-switch"), prefix).turn(true);
            transcript.awaitSince(mark, "LED is now ON");

            mark = transcript.mark();
            TopicSubscriber dashboard = new TopicSubscriber(client("demo-dashboard"), transcript.as("dashboard"));
            transcript.as("dashboard").accept("subscribes to led/status after the change, and still gets the state:");
            dashboard.start(prefix + LedLight.STATUS_TOPIC);
            transcript.awaitSince(mark, prefix + LedLight.STATUS_TOPIC + " (qos 2, retained 1) {\"status\":\"on\"}");
            dashboard.stop();

            mark = transcript.mark();
            switchSays.accept("switch toggle: reads the retained led/status, then sends the opposite");
            boolean on = new LightSwitch(client("demo-switch"), prefix).toggle();
            transcript.awaitSince(mark, "LED is now " + (on ? "ON" : "OFF"));
        } finally {
            light.stop();
        }
    }

    private void publisherAndSubscriber() throws InterruptedException {
        transcript.say("");
        transcript.say("== A publisher and a wildcard subscriber (" + prefix + "robotcell1/#) ==");
        // the subscriber may have a reading before the publisher has the broker's acknowledgement: its lines wait
        // here, so that the transcript shows each reading published, then received
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        TopicSubscriber subscriber = new TopicSubscriber(client("demo-subscriber"), received::add);
        PrimitiveIterator.OfDouble readings = DoubleStream.of(21.5, 22.0, 22.75).iterator();
        TemperaturePublisher publisher = new TemperaturePublisher(client("demo-publisher"),
                prefix + TemperaturePublisher.DEFAULT_TOPIC, false, readings::nextDouble, transcript.as("publisher"));
        try {
            subscriber.start(prefix + "robotcell1/#");
            publisher.start();
            for (int i = 0; i < 3; i++) {
                double value = publisher.publishReading();
                showUntil(received, prefix + TemperaturePublisher.DEFAULT_TOPIC + " (qos 2, retained 0) " + value);
            }
        } finally {
            publisher.stop();
            subscriber.stop();
        }
    }

    /** Shows the subscriber's lines (retained ones from earlier runs included) up to the one expected. */
    private void showUntil(BlockingQueue<String> received, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String line;
        do {
            line = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("The demo waited 10 s for the line [" + expected + "] and it did "
                        + "not come.");
            }
            transcript.as("subscriber").accept(line);
        } while (!line.equals(expected));
    }

    private void average() throws InterruptedException {
        transcript.say("");
        transcript.say("== The average of two temperatures (" + prefix + "robotcell1/avgtemperature) ==");
        MyMqtt sensors = client("demo-sensors").build();
        Consumer<String> sensorsSay = transcript.as("sensors");
        AverageTemperature average = new AverageTemperature(client("demo-average"), prefix, false,
                transcript.as("average"));
        String temperature1 = prefix + AverageTemperature.TEMPERATURE1;
        String temperature2 = prefix + AverageTemperature.TEMPERATURE2;
        try {
            sensors.start();
            // retained, as the notebook "creates the structure in the broker": the average gets both at once
            sensors.publish(temperature1, "21", Qos.EXACTLY_ONCE, true).join();
            sensors.publish(temperature2, "26", Qos.EXACTLY_ONCE, true).join();
            sensorsSay.accept(temperature1 + "=21 and " + temperature2
                    + "=26, retained; then the average starts");
            int mark = transcript.mark();
            average.start();
            transcript.awaitSince(mark, prefix + AverageTemperature.AVERAGE + " = 23.5");

            mark = transcript.mark();
            sensorsSay.accept(temperature2 + "=28");
            sensors.publish(temperature2, "28").join();
            transcript.awaitSince(mark, prefix + AverageTemperature.AVERAGE + " = 24.5");
        } finally {
            average.stop();
            sensors.stop();
        }
    }

    private void cylinders() throws InterruptedException {
        transcript.say("");
        transcript.say("== Three cylinders (" + prefix + "systemcomponent{1,2,3}/cylinderOn) ==");
        CylinderChain chain = new CylinderChain(n -> client("demo-cylinder-" + n), prefix, transcript.as("cylinders"));
        MyMqtt observer = client("demo-observer").build();
        Map<Integer, Boolean> positions = new ConcurrentHashMap<>();
        Consumer<String> observerSays = transcript.as("observer");
        try {
            chain.start();
            observer.start();
            int mark = transcript.mark();
            TypedTopic<Boolean> cylinder = TopicTemplate.of(prefix + Cylinder.CYLINDER_ON).typed(PayloadCodecs.booleans());
            observer.subscribeWith(cylinder).listen(message -> {
                positions.put(Integer.valueOf(message.parameter("n")), message.value());
                observerSays.accept(message.topic() + " = " + (message.value() ? "True" : "False"));
            });
            for (int n = 1; n <= 3; n++) {
                transcript.awaitSince(mark, prefix + "systemcomponent" + n + "/cylinderOn = False");
            }
            mark = transcript.mark();
            transcript.as("trigger").accept(prefix + "systemcomponent1/cylinderOn := True");
            chain.trigger();
            transcript.awaitSince(mark, "component 1: component 3 is True");
            transcript.awaitSince(mark, prefix + "systemcomponent1/cylinderOn = False");
            if (!chain.awaitPosition(1, false, Duration.ofSeconds(10))) {
                throw new IllegalStateException("The cylinders did not all see systemcomponent1/cylinderOn = False.");
            }
            transcript.say("end state: 1=" + position(positions, 1) + ", 2=" + position(positions, 2) + ", 3="
                    + position(positions, 3));
        } finally {
            observer.stop();
            chain.stop();
        }
    }

    private static String position(Map<Integer, Boolean> positions, int n) {
        Boolean on = positions.get(n);
        return on == null ? "unknown" : on ? "True" : "False";
    }

    private void chat() throws InterruptedException {
        transcript.say("");
        transcript.say("== Exercise 2: a chat where nobody writes twice in a row (topic chat) ==");
        clearRetainedChat();
        Chat john = new Chat("John", client("demo-john"), prefix, transcript.as("John"));
        Chat yoko = new Chat("Yoko", client("demo-yoko"), prefix, transcript.as("Yoko"));
        try {
            john.start();
            yoko.start();
            say(john, "John", "Hi", yoko, "Yoko");
            say(yoko, "Yoko", "Hi, how are you?", john, "John");
            say(john, "John", "Good", yoko, "Yoko");
            transcript.as("John").accept("types: Let");
            john.send("Let"); // refused: the last message on chat is John's own
        } finally {
            john.stop();
            yoko.stop();
            clearRetainedChat();
        }
    }

    private void say(Chat from, String fromName, String text, Chat to, String toName) throws InterruptedException {
        int mark = transcript.mark();
        transcript.as(fromName).accept("types: " + text);
        from.send(text);
        transcript.awaitSince(mark, Transcript.prefix(toName) + fromName + ": " + text);
    }

    /** The chat keeps its last message retained; start from an empty chat, and leave one. */
    private void clearRetainedChat() {
        try (MyMqtt cleaner = client("demo-chat-cleaner").build()) {
            cleaner.start();
            cleaner.publish(prefix + Chat.TOPIC, "", Qos.EXACTLY_ONCE, true).join(); // empty and retained: clears it
        }
    }

    private MyMqtt.Builder client(String clientId) {
        return MyMqtt.builder().serverUri(serverUri).clientId(clientId);
    }
}
