package dev.mqttkit;

import dev.mqttkit.internal.persist.FilePersistence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttPublish;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What persistence costs a QoS 1 publish: one put and one remove of the same key, as Paho's {@code ClientState}
 * does when it sends a message ({@code s-<id>}) and when the PUBACK arrives, for Paho's
 * {@code MemoryPersistence} (nothing survives a crash), Paho's {@code MqttDefaultFilePersistence} (one file per
 * message) and mqttkit's {@link FilePersistence} (one append-only log). Each operation is one put+remove pair.
 *
 * <p>The persistable is a real {@code MqttPublish} of about 100 bytes (a 32-character topic, a 64-byte payload),
 * so the file stores pay for encoding it as they would in a client. The file stores write to a fresh temporary
 * directory, on whatever file system {@code java.io.tmpdir} is. Run with
 * {@code mvn -pl sdk -Pbench verify -Djmh.args=PersistenceBenchmark} (see the README).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PersistenceBenchmark {

    @Param({"pahoMemory", "pahoFile", "mqttkitFile"})
    public String store;

    private static final String TOPIC = "building/7/sensor/42/temperature";
    private static final int MESSAGE_IDS = 65_535;

    private MqttClientPersistence persistence;
    private Path directory;
    private MqttPublish publish;
    private String[] keys;
    private int next;

    @Setup
    public void setUp() throws IOException, MqttException {
        directory = Files.createTempDirectory("mqttkit-persistence-bench");
        persistence = switch (store) {
            case "pahoMemory" -> new MemoryPersistence();
            case "pahoFile" -> new MqttDefaultFilePersistence(directory.toString());
            case "mqttkitFile" -> new FilePersistence(directory);
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
        persistence.open("bench-client", "tcp://127.0.0.1:1883");
        persistence.clear();
        MqttMessage message = new MqttMessage("x".repeat(64).getBytes(StandardCharsets.US_ASCII));
        message.setQos(1);
        publish = new MqttPublish(TOPIC, message);
        publish.setMessageId(1);
        keys = new String[MESSAGE_IDS];
        for (int id = 1; id <= MESSAGE_IDS; id++) {
            keys[id - 1] = "s-" + id; // Paho's key for outbound message id, built once so it is not measured
        }
        int size = publish.getHeaderLength() + publish.getPayloadLength();
        if (size < 90 || size > 110) {
            throw new IllegalStateException("setup: the publish is " + size + " bytes, expected about 100");
        }
    }

    @TearDown
    public void tearDown() throws IOException, MqttException {
        persistence.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** One QoS 1 message's life in the store: put when sent, removed when acknowledged. */
    @Benchmark
    public void putThenRemove() throws MqttException {
        String key = keys[next];
        next = next + 1 == MESSAGE_IDS ? 0 : next + 1;
        persistence.put(key, publish);
        persistence.remove(key);
    }
}
