package dev.mqttkit;

import dev.mqttkit.testing.MosquittoBroker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * End-to-end harness: messages per second received through a real Mosquitto on 127.0.0.1, with 1 and with
 * 10,000 subscribed filters, for mqttkit and for raw Paho (per-filter listeners), all in one run so that the
 * figures compare as ratios. Also the QoS 1 request/response round trip with and without {@code TCP_NODELAY}.
 *
 * <p>Run with {@code mvn -pl sdk -Pbench verify}; only 127.0.0.1 is contacted. Settings (system properties):
 * {@code bench.parts} (default {@code filters,qos,roundtrip}; {@code qos} is the QoS 0, 1 and 2 receive rates of
 * mqttkit, raw Paho and the HiveMQ client, and mqttkit's QoS 0 and 1 publish rates; {@code transport} is the QoS 0
 * receive rate over TCP and over WebSockets, of mqttkit and of raw Paho's own WebSocket module, from Mosquitto's
 * WebSocket listener), {@code bench.broker} (a
 * broker URI to use instead of starting the kit's Mosquitto: the way to run two builds of mqttkit against one
 * broker), {@code bench.messages}, {@code bench.rounds}. Each figure is also printed on a line of its own,
 * {@code RESULT <name> <value>}.
 */
public final class EndToEndThroughput {

    static final String TOPIC = "building/7/sensor/42/temperature";
    private static final int FAST_MESSAGES = Integer.getInteger("bench.messages", 50_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    private EndToEndThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String external = System.getProperty("bench.broker");
        List<String> parts = List.of(System.getProperty("bench.parts", "filters,qos,roundtrip").split(","));
        MosquittoBroker broker = null;
        if (external == null) {
            broker = parts.contains("transport") ? MosquittoBroker.builder().webSockets().build()
                    : MosquittoBroker.builder().build();
            broker.start();
        }
        String uri = external == null ? broker.uri() : external;
        try {
            if (parts.contains("filters")) {
                filterCounts(uri);
            }
            if (parts.contains("qos")) {
                qosRates(uri);
            }
            if (parts.contains("roundtrip")) {
                roundTrips(uri);
            }
            if (parts.contains("transport") && broker != null) {
                transportRates(uri, broker.webSocketUri());
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static void filterCounts(String broker) throws Exception {
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int filters : new int[] {1, 10_000}) {
                results.computeIfAbsent("mqttkit, " + filters + " filters", k -> new ArrayList<>())
                        .add(mqttkit(broker, filters, FAST_MESSAGES));
                // raw Paho is slow with many listeners: fewer messages keep the run short
                int pahoMessages = filters == 1 ? FAST_MESSAGES : Math.max(1_000, FAST_MESSAGES / 50);
                results.computeIfAbsent("raw Paho, " + filters + " filters", k -> new ArrayList<>())
                        .add(paho(broker, filters, pahoMessages));
            }
        }
        System.out.println();
        System.out.println("Received msg/s through " + broker + ", best of " + ROUNDS + ":");
        Map<String, Double> best = new LinkedHashMap<>();
        results.forEach((name, values) -> best.put(name, values.stream().mapToDouble(v -> v).max().orElse(0)));
        best.forEach((name, value) -> System.out.printf(Locale.ROOT, "  %-28s %,12.0f msg/s   (all: %s)%n", name,
                value, format(results.get(name))));
        System.out.printf(Locale.ROOT, "  mqttkit  10,000 vs 1 filter: %.1f%%%n",
                100 * best.get("mqttkit, 10000 filters") / best.get("mqttkit, 1 filters"));
        System.out.printf(Locale.ROOT, "  raw Paho 10,000 vs 1 filter: %.1f%%%n",
                100 * best.get("raw Paho, 10000 filters") / best.get("raw Paho, 1 filters"));
        best.forEach((name, value) -> result(name, value));
    }

    /**
     * QoS 0, 1 and 2: the rate an mqttkit, a raw Paho and a HiveMQ client subscriber receive a raw Paho flood at,
     * interleaved in each round, and the rate an mqttkit publisher sends at (QoS 0 and 1). Medians, every round's
     * figure, and the ratios of the medians.
     */
    private static void qosRates(String broker) throws Exception {
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int qos : new int[] {0, 1, 2}) {
                results.computeIfAbsent("mqttkit receive QoS " + qos, k -> new ArrayList<>())
                        .add(mqttkitReceive(broker, qos, FAST_MESSAGES));
                results.computeIfAbsent("raw Paho receive QoS " + qos, k -> new ArrayList<>())
                        .add(pahoReceive(broker, qos, FAST_MESSAGES));
                results.computeIfAbsent("HiveMQ receive QoS " + qos, k -> new ArrayList<>())
                        .add(HiveMqReceive.rate(broker, qos, FAST_MESSAGES, EndToEndThroughput::flood));
                if (qos < 2) {
                    results.computeIfAbsent("mqttkit publish QoS " + qos, k -> new ArrayList<>())
                            .add(mqttkitPublish(broker, qos, FAST_MESSAGES));
                }
            }
        }
        System.out.println();
        System.out.println("msg/s through " + broker + ", median of " + ROUNDS + " interleaved rounds:");
        Map<String, Double> medians = printMedians(results);
        for (int qos = 0; qos <= 2; qos++) {
            double ours = medians.get("mqttkit receive QoS " + qos);
            double paho = ours / medians.get("raw Paho receive QoS " + qos);
            double hivemq = ours / medians.get("HiveMQ receive QoS " + qos);
            System.out.printf(Locale.ROOT, "  receive QoS %d: mqttkit / raw Paho %.2f, mqttkit / HiveMQ %.2f%n", qos,
                    paho, hivemq);
            result("ratio receive QoS " + qos + " mqttkit/paho", paho);
            result("ratio receive QoS " + qos + " mqttkit/hivemq", hivemq);
        }
    }

    /**
     * QoS 0 over TCP and over WebSockets, interleaved in each round: an mqttkit subscriber on {@code tcp://} and on
     * {@code ws://}, and a raw Paho subscriber on {@code ws://} (Paho's own WebSocket module), each receiving a raw
     * Paho flood published over TCP. Medians, every round's figure, and the ratios.
     */
    private static void transportRates(String tcp, String ws) throws Exception {
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            results.computeIfAbsent("mqttkit receive QoS 0 tcp", k -> new ArrayList<>())
                    .add(mqttkitReceive(tcp, tcp, 0, FAST_MESSAGES));
            results.computeIfAbsent("mqttkit receive QoS 0 ws", k -> new ArrayList<>())
                    .add(mqttkitReceive(ws, tcp, 0, FAST_MESSAGES));
            results.computeIfAbsent("raw Paho receive QoS 0 ws", k -> new ArrayList<>())
                    .add(pahoReceive(ws, tcp, 0, FAST_MESSAGES));
        }
        System.out.println();
        System.out.println("QoS 0 msg/s over TCP (" + tcp + ") and WebSockets (" + ws + "), median of " + ROUNDS
                + " interleaved rounds:");
        Map<String, Double> medians = printMedians(results);
        double wsVsTcp = medians.get("mqttkit receive QoS 0 ws") / medians.get("mqttkit receive QoS 0 tcp");
        double oursVsPaho = medians.get("mqttkit receive QoS 0 ws") / medians.get("raw Paho receive QoS 0 ws");
        System.out.printf(Locale.ROOT, "  mqttkit ws / mqttkit tcp %.2f, mqttkit ws / raw Paho ws %.2f%n", wsVsTcp,
                oursVsPaho);
        result("ratio receive QoS 0 mqttkit ws/tcp", wsVsTcp);
        result("ratio receive QoS 0 ws mqttkit/paho", oursVsPaho);
    }

    /** Prints each figure's median with every round's, and returns the medians by name. */
    private static Map<String, Double> printMedians(Map<String, List<Double>> results) {
        Map<String, Double> medians = new LinkedHashMap<>();
        results.forEach((name, values) -> {
            double median = median(values);
            medians.put(name, median);
            System.out.printf(Locale.ROOT, "  %-28s %,12.0f msg/s   (all: %s)%n", name, median, format(values));
            result(name, median);
        });
        return medians;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static void result(String name, double value) {
        System.out.printf(Locale.ROOT, "RESULT %s %.3f%n", name.replace(' ', '_').replace(",", ""), value);
    }

    private static void roundTrips(String broker) throws Exception {
        System.out.println();
        System.out.println("QoS 1 request/response round trip (mqttkit both sides), median of 200:");
        double on = roundTrip(broker, true);
        double off = roundTrip(broker, false);
        System.out.printf(Locale.ROOT, "  TCP_NODELAY on : %8.3f ms%n  TCP_NODELAY off: %8.3f ms  (%.0fx slower)%n",
                on, off, off / on);
        result("round trip ms TCP_NODELAY on", on);
        result("round trip ms TCP_NODELAY off", off);
    }

    private static double mqttkitReceive(String broker, int qos, int messages) throws Exception {
        return mqttkitReceive(broker, broker, qos, messages);
    }

    /** An mqttkit subscriber on {@code broker}, a raw Paho flood published to {@code publishTo}: received msg/s. */
    private static double mqttkitReceive(String broker, String publishTo, int qos, int messages) throws Exception {
        CountDownLatch received = new CountDownLatch(messages);
        long[] first = new long[1];
        MyMqtt subscriber = MyMqtt.builder().serverUri(broker).clientId("bench-sub").build();
        subscriber.subscribe(TOPIC, Qos.values()[qos], message -> {
            if (first[0] == 0) {
                first[0] = System.nanoTime();
            }
            received.countDown();
        });
        subscriber.start();
        try {
            return flood(publishTo, messages, received, first, qos);
        } finally {
            subscriber.stop();
        }
    }

    private static double pahoReceive(String broker, int qos, int messages) throws Exception {
        return pahoReceive(broker, broker, qos, messages);
    }

    private static double pahoReceive(String broker, String publishTo, int qos, int messages) throws Exception {
        CountDownLatch received = new CountDownLatch(messages);
        long[] first = new long[1];
        MqttAsyncClient subscriber = pahoSubscriber(broker, qos, received, first);
        try {
            return flood(publishTo, messages, received, first, qos);
        } finally {
            subscriber.disconnect().waitForCompletion(10_000);
            subscriber.close();
        }
    }

    private static MqttAsyncClient pahoSubscriber(String broker, int qos, CountDownLatch received, long[] first)
            throws Exception {
        MqttAsyncClient subscriber = new MqttAsyncClient(broker, "bench-paho", new MemoryPersistence());
        subscriber.connect(new MqttConnectOptions()).waitForCompletion(10_000);
        subscriber.subscribe(TOPIC, qos, (topic, message) -> {
            if (first[0] == 0) {
                first[0] = System.nanoTime();
            }
            received.countDown();
        }).waitForCompletion(10_000);
        return subscriber;
    }

    /** An mqttkit publisher sending as fast as its window lets it, received by raw Paho: sent msg/s. */
    private static double mqttkitPublish(String broker, int qos, int messages) throws Exception {
        CountDownLatch received = new CountDownLatch(messages);
        long[] first = new long[1];
        MqttAsyncClient subscriber = pahoSubscriber(broker, qos, received, first);
        MyMqtt publisher = MyMqtt.builder().serverUri(broker).clientId("bench-kit-pub").build();
        publisher.start();
        try {
            long start = System.nanoTime();
            java.util.concurrent.CompletableFuture<Void> last = null;
            for (int i = 0; i < messages; i++) {
                last = publisher.publish(TOPIC, "21.5", Qos.values()[qos], false);
            }
            last.get(300, TimeUnit.SECONDS);
            if (!received.await(300, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (messages - received.getCount()) + " of " + messages
                        + " messages arrived");
            }
            return messages / ((System.nanoTime() - start) / 1e9);
        } finally {
            publisher.stop();
            subscriber.disconnect().waitForCompletion(10_000);
            subscriber.close();
        }
    }

    private static String format(List<Double> values) {
        StringBuilder out = new StringBuilder();
        for (double value : values) {
            out.append(String.format(Locale.ROOT, "%,.0f ", value));
        }
        return out.toString().trim();
    }

    private static List<String> filters(int count) {
        List<String> filters = new ArrayList<>();
        filters.add("building/+/sensor/+/temperature");
        for (int i = 1; filters.size() < count; i++) {
            filters.add("building/" + (i % 50) + "/sensor/" + (1000 + i) + "/humidity");
        }
        return filters;
    }

    private static double mqttkit(String broker, int filterCount, int messages) throws Exception {
        CountDownLatch received = new CountDownLatch(messages);
        long[] first = new long[1];
        MyMqtt subscriber = MyMqtt.builder().serverUri(broker).clientId("bench-sub")
                .operationTimeout(java.time.Duration.ofSeconds(60)).build();
        for (String filter : filters(filterCount)) {
            subscriber.subscribe(filter, Qos.AT_MOST_ONCE, message -> {
                if (first[0] == 0) {
                    first[0] = System.nanoTime();
                }
                received.countDown();
            });
        }
        subscriber.start();
        try {
            return flood(broker, messages, received, first);
        } finally {
            subscriber.stop();
        }
    }

    private static double paho(String broker, int filterCount, int messages) throws Exception {
        CountDownLatch received = new CountDownLatch(messages);
        long[] first = new long[1];
        MqttAsyncClient subscriber = new MqttAsyncClient(broker, "bench-paho", new MemoryPersistence());
        subscriber.connect(new MqttConnectOptions()).waitForCompletion(10_000);
        List<String> filters = filters(filterCount);
        IMqttMessageListener listener = (topic, message) -> {
            if (first[0] == 0) {
                first[0] = System.nanoTime();
            }
            received.countDown();
        };
        IMqttMessageListener[] listeners = new IMqttMessageListener[filters.size()];
        java.util.Arrays.fill(listeners, listener);
        subscriber.subscribe(filters.toArray(new String[0]), new int[filters.size()], null, null, listeners)
                .waitForCompletion(60_000);
        try {
            return flood(broker, messages, received, first);
        } finally {
            subscriber.disconnect().waitForCompletion(10_000);
            subscriber.close();
        }
    }

    private static double flood(String broker, int messages, CountDownLatch received, long[] first)
            throws Exception {
        return flood(broker, messages, received, first, 0);
    }

    /** Publishes messages at a QoS from a raw Paho client and returns the subscriber's receive rate. */
    static double flood(String broker, int messages, CountDownLatch received, long[] first, int qos)
            throws Exception {
        MqttAsyncClient publisher = new MqttAsyncClient(broker, "bench-pub", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMaxInflight(65_000);
        publisher.connect(options).waitForCompletion(10_000);
        try {
            byte[] payload = "21.5".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < messages; i++) {
                MqttMessage message = new MqttMessage(payload);
                message.setQos(qos);
                while (true) {
                    try {
                        publisher.publish(TOPIC, message);
                        break;
                    } catch (org.eclipse.paho.client.mqttv3.MqttException full) {
                        // the harness's own publisher: wait for Paho's window to drain (not mqttkit code)
                        Thread.onSpinWait();
                    }
                }
            }
            if (!received.await(300, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (messages - received.getCount()) + " of " + messages
                        + " messages arrived");
            }
            long last = System.nanoTime();
            return (messages - 1) / ((last - first[0]) / 1e9);
        } finally {
            publisher.disconnect().waitForCompletion(10_000);
            publisher.close();
        }
    }

    private static double roundTrip(String broker, boolean noDelay) throws Exception {
        MyMqtt responder = MyMqtt.builder().serverUri(broker).clientId("bench-responder").tcpNoDelay(noDelay)
                .build();
        MyMqtt requester = MyMqtt.builder().serverUri(broker).clientId("bench-requester").tcpNoDelay(noDelay)
                .build();
        responder.subscribe("rpc/request", Qos.AT_LEAST_ONCE,
                message -> responder.publishWith().topic("rpc/response").payload(message.payload()).qos(Qos.AT_LEAST_ONCE).send());
        java.util.concurrent.BlockingQueue<Long> responses = new java.util.concurrent.LinkedBlockingQueue<>();
        requester.subscribe("rpc/response", Qos.AT_LEAST_ONCE, message -> responses.add(System.nanoTime()));
        responder.start();
        requester.start();
        try {
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < 220; i++) {
                long start = System.nanoTime();
                requester.publishWith().topic("rpc/request").payload(new byte[] {(byte) i}).qos(Qos.AT_LEAST_ONCE).send();
                Long end = responses.poll(10, TimeUnit.SECONDS);
                if (end == null) {
                    throw new IllegalStateException("no response to request " + i);
                }
                if (i >= 20) {
                    millis.add((end - start) / 1e6);
                }
            }
            millis.sort(Double::compare);
            return millis.get(millis.size() / 2);
        } finally {
            requester.stop();
            responder.stop();
        }
    }
}
