package dev.mqttkit;

import dev.mqttkit.testing.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;

/**
 * End-to-end harness: QoS 1 publishes per second, acknowledged, through a real Mosquitto on 127.0.0.1, with the
 * in-flight messages kept in memory and in a file store: raw Paho with its {@code MemoryPersistence} and its
 * {@code MqttDefaultFilePersistence}, and mqttkit with memory and with {@code persistence(Path)}, all in one run
 * so the figures compare as ratios. 100 messages in flight, 64-byte payloads, durable sessions.
 *
 * <p>Run with {@code mvn -pl sdk -Pbench verify -Djmh.args=...} (it runs after the other harnesses), or directly
 * with the test class path; only 127.0.0.1 is contacted.
 */
public final class PersistenceThroughput {

    private static final String TOPIC = "bench/persistence";
    private static final int MESSAGES = Integer.getInteger("bench.messages", 20_000);
    private static final int PAHO_FILE_MESSAGES = Integer.getInteger("bench.pahoFileMessages", 3_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int IN_FLIGHT = 100;

    private PersistenceThroughput() {
    }

    public static void main(String[] args) throws Exception {
        MosquittoBroker broker = MosquittoBroker.builder().build();
        broker.start();
        Path root = Files.createTempDirectory("mqttkit-persistence-bench");
        try {
            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                results.computeIfAbsent("raw Paho, memory", k -> new ArrayList<>())
                        .add(paho(broker, new MemoryPersistence(), MESSAGES));
                results.computeIfAbsent("raw Paho, its file store", k -> new ArrayList<>())
                        .add(paho(broker, new MqttDefaultFilePersistence(root.resolve("paho-" + round).toString()),
                                PAHO_FILE_MESSAGES));
                results.computeIfAbsent("mqttkit, memory", k -> new ArrayList<>())
                        .add(mqttkit(broker, null, MESSAGES));
                results.computeIfAbsent("mqttkit, persistence(dir)", k -> new ArrayList<>())
                        .add(mqttkit(broker, root.resolve("mqttkit-" + round), MESSAGES));
            }
            System.out.println();
            System.out.println("QoS 1 publishes/s, acknowledged, through Mosquitto (" + broker.kind() + "), best of "
                    + ROUNDS + ":");
            Map<String, Double> best = new LinkedHashMap<>();
            results.forEach((name, values) -> best.put(name, values.stream().mapToDouble(v -> v).max().orElse(0)));
            best.forEach((name, value) -> System.out.printf(Locale.ROOT, "  %-28s %,10.0f msg/s   (all: %s)%n", name,
                    value, format(results.get(name))));
            System.out.printf(Locale.ROOT, "  mqttkit file store vs Paho's file store: %.1fx%n",
                    best.get("mqttkit, persistence(dir)") / best.get("raw Paho, its file store"));
            System.out.printf(Locale.ROOT, "  mqttkit file store vs mqttkit memory:    %.1f%%%n",
                    100 * best.get("mqttkit, persistence(dir)") / best.get("mqttkit, memory"));
        } finally {
            broker.close();
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static double mqttkit(MosquittoBroker broker, Path persistence, int messages) throws Exception {
        MyMqtt.Builder builder = MyMqtt.builder().serverUri(broker.uri()).clientId("bench-persist-mqttkit")
                .cleanSession(false).maxInflight(IN_FLIGHT);
        if (persistence != null) {
            builder.persistence(persistence);
        }
        MyMqtt client = builder.build();
        client.start();
        byte[] payload = new byte[64];
        try {
            long start = System.nanoTime();
            List<CompletableFuture<Void>> futures = new ArrayList<>(messages);
            for (int i = 0; i < messages; i++) {
                futures.add(client.publishWith().topic(TOPIC).payload(payload).qos(Qos.AT_LEAST_ONCE).send());
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            return messages / ((System.nanoTime() - start) / 1e9);
        } finally {
            client.stop();
        }
    }

    private static double paho(MosquittoBroker broker, MqttClientPersistence persistence, int messages)
            throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(broker.uri(), "bench-persist-paho", persistence);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setMaxInflight(IN_FLIGHT);
        client.connect(options).waitForCompletion(10_000);
        Semaphore window = new Semaphore(IN_FLIGHT);
        byte[] payload = new byte[64];
        try {
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                window.acquire();
                MqttMessage message = new MqttMessage(payload);
                message.setQos(1);
                client.publish(TOPIC, message, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        window.release();
                    }
                });
            }
            window.acquire(IN_FLIGHT);
            return messages / ((System.nanoTime() - start) / 1e9);
        } finally {
            client.disconnect().waitForCompletion(10_000);
            client.close();
        }
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList().toString();
    }
}
