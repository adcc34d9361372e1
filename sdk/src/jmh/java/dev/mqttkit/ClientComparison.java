package dev.mqttkit;

import dev.mqttkit.BenchClient.Library;
import dev.mqttkit.testing.MosquittoBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * mqttkit, raw Paho (tuned) and the HiveMQ MQTT client side by side, in one JVM against one Mosquitto of the test
 * kit ({@code set_tcp_nodelay true}), interleaved in each round so that the machine's noise falls on all three:
 * received msg/s at QoS 0, 1 and 2 (100-byte payloads), JVM CPU microseconds per QoS 0 and per QoS 1 message
 * (publisher and subscriber, both of the library measured; and where it went, thread by thread: {@link ThreadCpu}), QoS 1 request/response p50 and p99, peak heap in a burst of 200,000
 * QoS 0 messages, fan-out (1 publisher, 10 subscribers), fan-in (10 publishers, 1 subscriber), and 1 KiB and 64 KiB
 * payloads at QoS 1. Prints every round, the medians and the ratios, and writes the table to
 * {@code bench.out} (default {@code target/client-comparison.md}).
 *
 * <p>Run on a quiet machine: {@code java -cp <bench test class path> dev.mqttkit.ClientComparison}, or with
 * {@code mvn -B -pl sdk -Pbench verify -Djmh.skip -Dexec.mainClass=...}; settings {@code bench.rounds} (3),
 * {@code bench.messages} (50,000), {@code bench.only} (a comma list of metric name parts). Only 127.0.0.1.
 */
public final class ClientComparison {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int MESSAGES = Integer.getInteger("bench.messages", 50_000);
    private static final int BURST = Integer.getInteger("bench.burst", 200_000);
    private static final AtomicLong RUNS = new AtomicLong();
    /** Where the CPU of each CPU row went, thread by thread. */
    private static final Map<String, ThreadCpu> BY_THREAD = new LinkedHashMap<>();

    /** One metric: its name, its unit, whether more is better, and how one library's figure is measured. */
    private record Metric(String name, String unit, boolean higherIsBetter, Measure measure) {
    }

    @FunctionalInterface
    private interface Measure {
        double run(Library library, String broker) throws Exception;
    }

    private ClientComparison() {
    }

    public static void main(String[] args) throws Exception {
        List<Metric> metrics = metrics();
        String only = System.getProperty("bench.only");
        if (only != null) {
            List<String> parts = Arrays.asList(only.split(","));
            metrics = metrics.stream().filter(m -> parts.stream().anyMatch(m.name()::contains)).toList();
        }
        Map<String, Map<Library, List<Double>>> results = new LinkedHashMap<>();
        try (MosquittoBroker broker = MosquittoBroker.builder().build()) {
            broker.start();
            for (int round = 1; round <= ROUNDS; round++) {
                for (Metric metric : metrics) {
                    for (Library library : Library.values()) {
                        double value = metric.measure().run(library, broker.uri());
                        results.computeIfAbsent(metric.name(), k -> new EnumMap<>(Library.class))
                                .computeIfAbsent(library, k -> new ArrayList<>()).add(value);
                        System.out.printf(Locale.ROOT, "round %d  %-44s %-9s %,14.1f %s%n", round, metric.name(),
                                library.label, value, metric.unit());
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder(table(metrics, results));
        for (Metric metric : metrics) {
            ThreadCpu threads = BY_THREAD.get(metric.name());
            if (threads != null) {
                table.append(threads.table(metric.name()));
            }
        }
        System.out.println();
        System.out.println(table);
        Path out = Path.of(System.getProperty("bench.out", "target/client-comparison.md"));
        writeTable(out, table.toString());
        System.out.println("Written to " + out.toAbsolutePath());
    }

    private static void writeTable(Path out, String table) throws IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, table);
    }

    private static List<Metric> metrics() {
        List<Metric> metrics = new ArrayList<>();
        for (int qos = 0; qos <= 2; qos++) {
            int q = qos;
            metrics.add(new Metric("QoS " + q + " received msg/s", "msg/s", true,
                    (library, broker) -> stream(library, broker, 1, 1, q, 100, MESSAGES)[0]));
        }
        for (int qos = 0; qos <= 1; qos++) {
            int q = qos;
            String name = "JVM CPU per QoS " + q + " message (pub + sub)";
            ThreadCpu threads = new ThreadCpu();
            BY_THREAD.put(name, threads);
            metrics.add(new Metric(name, "us", false,
                    (library, broker) -> stream(library, broker, 1, 1, q, 100, MESSAGES, threads)[1]));
        }
        metrics.add(new Metric("QoS 1 request/response p50", "us", false,
                (library, broker) -> requestResponse(library, broker)[0]));
        metrics.add(new Metric("QoS 1 request/response p99", "us", false,
                (library, broker) -> requestResponse(library, broker)[1]));
        metrics.add(new Metric("peak heap, " + BURST / 1000 + "k QoS 0 burst", "MB", false,
                ClientComparison::peakHeap));
        metrics.add(new Metric("fan-out 1 -> 10, QoS 1 received msg/s", "msg/s", true,
                (library, broker) -> stream(library, broker, 1, 10, 1, 100, MESSAGES / 5)[0]));
        metrics.add(new Metric("fan-in 10 -> 1, QoS 1 received msg/s", "msg/s", true,
                (library, broker) -> stream(library, broker, 10, 1, 1, 100, MESSAGES)[0]));
        metrics.add(new Metric("1 KiB QoS 1 received msg/s", "msg/s", true,
                (library, broker) -> stream(library, broker, 1, 1, 1, 1024, MESSAGES / 2)[0]));
        metrics.add(new Metric("64 KiB QoS 1 received msg/s", "msg/s", true,
                (library, broker) -> stream(library, broker, 1, 1, 1, 64 * 1024, Math.max(500, MESSAGES / 25))[0]));
        return metrics;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Publishers send {@code messages} in all, as fast as their windows let them; every subscriber gets each.
     *
     * @return received msg/s (all subscribers, from the first publish to the last receipt), and JVM CPU
     *     microseconds per received message
     */
    private static double[] stream(Library library, String broker, int publishers, int subscribers, int qos,
            int size, int messages) throws Exception {
        return stream(library, broker, publishers, subscribers, qos, size, messages, null);
    }

    /** The same, adding to {@code threads} (if not null) what each thread of the JVM used. */
    private static double[] stream(Library library, String broker, int publishers, int subscribers, int qos,
            int size, int messages, ThreadCpu byThread) throws Exception {
        String topic = "bench/stream/" + RUNS.incrementAndGet();
        long expected = (long) messages * subscribers;
        CountDownLatch received = new CountDownLatch((int) expected);
        List<BenchClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < subscribers; i++) {
                BenchClient subscriber = library.connect(broker, "cmp-sub-" + i);
                clients.add(subscriber);
                subscriber.subscribe(topic, qos, payload -> received.countDown());
            }
            List<BenchClient> senders = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                BenchClient publisher = library.connect(broker, "cmp-pub-" + i);
                clients.add(publisher);
                senders.add(publisher);
            }
            byte[] payload = new byte[size];
            AtomicLong failed = new AtomicLong();
            Map<String, long[]> ended = new java.util.concurrent.ConcurrentHashMap<>();
            Map<String, long[]> before = byThread == null ? Map.of() : ThreadCpu.snapshot();
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                BenchClient publisher = senders.get(p);
                int share = messages / publishers + (p < messages % publishers ? 1 : 0);
                Thread thread = new Thread(() -> {
                    try {
                        CompletableFuture<?> last = null;
                        for (int i = 0; i < share; i++) {
                            last = publisher.publish(topic, payload, qos);
                            last.whenComplete((ok, failure) -> {
                                if (failure != null) {
                                    failed.incrementAndGet();
                                }
                            });
                        }
                        if (last != null) {
                            last.get(120, TimeUnit.SECONDS);
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    ended.merge(ThreadCpu.role(Thread.currentThread().getName()), ThreadCpu.currentThread(),
                            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                }, "cmp-publisher-" + p);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (!received.await(180, TimeUnit.SECONDS)) {
                throw new IllegalStateException(library.label + ": only " + (expected - received.getCount()) + " of "
                        + expected + " messages arrived on " + topic);
            }
            long elapsed = System.nanoTime() - start;
            long cpuUsed = processCpuNanos() - cpu;
            if (byThread != null) {
                byThread.add(library, before, ThreadCpu.snapshot(), ended, expected, cpuUsed);
            }
            if (failed.get() > 0) {
                throw new IllegalStateException(library.label + ": " + failed.get() + " publishes failed");
            }
            return new double[] {expected / (elapsed / 1e9), cpuUsed / 1e3 / expected};
        } finally {
            for (BenchClient client : clients) {
                client.close();
            }
        }
    }

    /** QoS 1 request/response: 300 warm-up round trips, then 2,000 measured; p50 and p99 in microseconds. */
    private static double[] requestResponse(Library library, String broker) throws Exception {
        String run = "bench/rr/" + RUNS.incrementAndGet();
        BlockingQueue<byte[]> answers = new ArrayBlockingQueue<>(16);
        try (BenchClient responder = library.connect(broker, "cmp-responder");
                BenchClient requester = library.connect(broker, "cmp-requester")) {
            responder.subscribe(run + "/req", 1, payload -> {
                try {
                    responder.publish(run + "/resp", payload, 1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            requester.subscribe(run + "/resp", 1, answers::add);
            long[] latencies = new long[2_000];
            for (int i = -300; i < latencies.length; i++) {
                byte[] request = Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                long start = System.nanoTime();
                requester.publish(run + "/req", request, 1);
                byte[] answer = answers.poll(10, TimeUnit.SECONDS);
                long took = System.nanoTime() - start;
                if (answer == null || !Arrays.equals(answer, request)) {
                    throw new IllegalStateException(library.label + ": no answer to request " + i);
                }
                if (i >= 0) {
                    latencies[i] = took;
                }
            }
            Arrays.sort(latencies);
            return new double[] {latencies[latencies.length / 2] / 1e3, latencies[latencies.length * 99 / 100] / 1e3};
        }
    }

    /** The most heap in use, above what was in use before, while a burst of QoS 0 messages goes through. */
    private static double peakHeap(Library library, String broker) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long used = memory.getHeapMemoryUsage().getUsed();
                peak.accumulateAndGet(used, Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }, "cmp-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            stream(library, broker, 1, 1, 0, 100, BURST);
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        return (peak.get() - before) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The Markdown table: medians, ratios (what the goals compare), and every round's figure. */
    private static String table(List<Metric> metrics, Map<String, Map<Library, List<Double>>> results) {
        StringBuilder table = new StringBuilder();
        table.append("| metric | mqttkit | raw Paho tuned | HiveMQ | mqttkit / Paho | mqttkit / HiveMQ |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        StringBuilder rounds = new StringBuilder("\nEvery round (mqttkit; raw Paho; HiveMQ):\n");
        for (Metric metric : metrics) {
            Map<Library, List<Double>> byLibrary = results.get(metric.name());
            double ours = median(byLibrary.get(Library.MQTTKIT));
            double paho = median(byLibrary.get(Library.PAHO));
            double hivemq = median(byLibrary.get(Library.HIVEMQ));
            String format = metric.unit().equals("msg/s") ? "%,.0f" : "%,.1f";
            table.append(String.format(Locale.ROOT, "| %s (%s, %s) | " + format + " | " + format + " | " + format
                    + " | %.2f | %.2f |%n", metric.name(), metric.unit(), metric.higherIsBetter() ? "higher is better"
                    : "lower is better", ours, paho, hivemq, ours / paho, ours / hivemq));
            rounds.append("- ").append(metric.name()).append(": ");
            for (Library library : Library.values()) {
                rounds.append(byLibrary.get(library).stream()
                        .map(v -> String.format(Locale.ROOT, format, v)).toList()).append(library == Library.HIVEMQ
                        ? "\n" : "; ");
            }
        }
        return table.append(rounds).toString();
    }
}
