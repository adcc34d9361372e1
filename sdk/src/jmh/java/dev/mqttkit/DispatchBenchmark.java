package dev.mqttkit;

import dev.mqttkit.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttTopic;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of finding the listeners of one incoming message, by number of registered filters: mqttkit's topic tree
 * versus the linear scan Paho does for its per-filter listeners ({@code MqttTopic.isMatched} on each).
 *
 * <p>The filters mix exact topics, {@code +} and {@code #} over many sensors; the message topic matches three
 * of them whatever the count. Run with {@code mvn -pl sdk -Pbench verify} (see the README).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {

    @Param({"1", "100", "1000", "10000", "100000"})
    public int filters;

    private static final String TOPIC = "building/7/sensor/42/temperature";

    private SubscriptionRegistry registry;
    private String[] filterArray;

    @Setup
    public void setUp() {
        registry = new SubscriptionRegistry();
        List<String> all = new ArrayList<>();
        all.add("building/+/sensor/+/temperature");
        for (int i = 1; all.size() < filters; i++) {
            switch (i % 4) {
                case 0 -> all.add("building/" + (i % 50) + "/sensor/" + i + "/temperature");
                case 1 -> all.add("building/" + (i % 50) + "/sensor/" + i + "/+");
                case 2 -> all.add("building/" + (i % 50) + "/sensor/" + i + "/#");
                default -> all.add("building/+/sensor/" + i + "/humidity");
            }
        }
        if (filters >= 3) {
            all.set(all.size() - 1, "building/7/sensor/42/temperature");
            all.set(all.size() - 2, "building/7/#");
        }
        for (String filter : all) {
            registry.add(new ListenerSubscription(TopicFilter.of(filter), Qos.AT_MOST_ONCE, message -> { },
                    ignored -> { }, ignored -> null, ignored -> false));
        }
        filterArray = all.toArray(new String[0]);
        int expected = Math.min(filters, 3);
        int mine = registry.match(TOPIC).size();
        int paho = pahoScan().size();
        if (mine != expected || paho != expected) {
            throw new IllegalStateException("setup: expected " + expected + " matches, tree found " + mine
                    + ", Paho scan found " + paho);
        }
    }

    @Benchmark
    public List<ListenerSubscription> mqttkitTree() {
        return registry.match(TOPIC);
    }

    @Benchmark
    public List<String> pahoLinearScan() {
        return pahoScan();
    }

    private List<String> pahoScan() {
        List<String> matched = new ArrayList<>(4);
        for (String filter : filterArray) {
            if (MqttTopic.isMatched(filter, TOPIC)) {
                matched.add(filter);
            }
        }
        return matched;
    }
}
