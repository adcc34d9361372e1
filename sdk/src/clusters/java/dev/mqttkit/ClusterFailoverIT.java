package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import dev.mqttkit.testing.NatsCluster;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover on a three-node NATS cluster (JetStream, MQTT on each node), not part of {@code verify}:
 * {@code mvn -B -pl sdk -am -Pfailover verify -DskipTests} (about 12 minutes). Durable QoS 1 streams from three
 * publishers (mqttkit, raw Paho, the HiveMQ client) to three subscribers of the same three kinds, every client
 * given all three nodes; in each run one node is killed with SIGKILL while the streams flow: the subscribers' node
 * in the first 8 runs ({@code -Dfailover.kills}), the publishers' node in 2 more
 * ({@code -Dfailover.publisherKills}). Each run prints, for each publisher and subscriber, what was lost (acknowledged
 * to its publisher, never received) and
 * duplicated and the longest silence (the time to recover), then the node is started again for the next run.
 *
 * <p>What mqttkit promises, and what is asserted: when the subscribers' node dies, nothing is lost between mqttkit
 * clients and the others (the durable sessions live on in JetStream); no mqttkit publish fails; and the mqttkit
 * subscriber never misses a message another subscriber got. When the publishers' node dies, NATS loses some of
 * the QoS 1 messages in flight through it, whichever client sent them: those are printed, for every client, not
 * asserted. NATS meanwhile refuses CONNECT for seconds while JetStream elects new
 * leaders, and closes publishers while it cannot store.
 *
 * <p>The promise holds from nats-server 2.10: 2.9 (Debian 12's 2.9.10) itself loses a few durable QoS 1 messages
 * at each kill of the subscribers' node, for every subscriber alike (messages published before the kill, to a
 * session the broker says it kept). On 2.9 the figures are printed and the zero-loss assertions are skipped,
 * saying so; {@code -Dfailover.verbose=true} prints each mqttkit client's connection events and which messages
 * each subscriber missed.
 */
@Tag("cluster")
class ClusterFailoverIT {

    @RegisterExtension
    static final NatsCluster CLUSTER = NatsCluster.create();

    private static final int KILLS = Integer.getInteger("failover.kills", 8);
    private static final int PUBLISHER_KILLS = Integer.getInteger("failover.publisherKills", 2);
    private static final int MESSAGES = Integer.getInteger("failover.messages", 1_500);
    private static final int RATE = Integer.getInteger("failover.rate", 150);
    private static final int KILL_AT = MESSAGES * 3 / 10;
    /** After the last publish: NATS resumes delivery 1 to 22 s after a kill (JetStream elects new leaders). */
    private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("failover.settleSeconds", 60));
    private static final List<String> KINDS = List.of("mqttkit", "paho", "hivemq");
    /** Prints each mqttkit client's connection events and the messages no subscriber got. */
    private static final boolean VERBOSE = Boolean.getBoolean("failover.verbose");

    /** A client that publishes the sequence numbers of its stream. */
    private interface Publisher extends AutoCloseable {
        CompletableFuture<?> publish(String topic, int sequence);

        @Override
        void close() throws Exception;
    }

    /** What one subscriber received, per publisher: each sequence number with how often it came. */
    private static final class Received {
        final Map<String, Map<Integer, AtomicInteger>> byPublisher = new ConcurrentHashMap<>();
        final AtomicLong last = new AtomicLong(System.nanoTime());
        final AtomicLong longestSilence = new AtomicLong();

        void add(String topic, byte[] payload) {
            long now = System.nanoTime();
            longestSilence.accumulateAndGet(now - last.getAndSet(now), Math::max);
            String publisher = topic.substring(topic.lastIndexOf('/') + 1);
            int sequence = Integer.parseInt(new String(payload, StandardCharsets.US_ASCII));
            byPublisher.computeIfAbsent(publisher, key -> new ConcurrentHashMap<>())
                    .computeIfAbsent(sequence, key -> new AtomicInteger()).incrementAndGet();
        }

        int distinct(String publisher) {
            return byPublisher.getOrDefault(publisher, Map.of()).size();
        }

        int duplicates(String publisher) {
            return byPublisher.getOrDefault(publisher, Map.of()).values().stream()
                    .mapToInt(count -> count.get() - 1).sum();
        }
    }

    /** Totals over the runs, per subscriber and publisher. */
    private final Map<String, AtomicInteger> lost = new LinkedHashMap<>();
    /** When the publishers' node dies: lost by each subscriber though another subscriber got it. */
    private final Map<String, AtomicInteger> missedAlone = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> lostWhenPublishersDie = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> duplicated = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> publishFailures = new LinkedHashMap<>();
    private final Map<String, List<Long>> silences = new LinkedHashMap<>();

    @Test
    void nodeKilled_durableQos1_mqttkitLosesNothing() throws Exception {
        for (String subscriber : KINDS) {
            for (String publisher : KINDS) {
                lost.put(subscriber + "<-" + publisher, new AtomicInteger());
                lostWhenPublishersDie.put(subscriber + "<-" + publisher, new AtomicInteger());
                duplicated.put(subscriber + "<-" + publisher, new AtomicInteger());
            }
            publishFailures.put(subscriber, new AtomicInteger());
            missedAlone.put(subscriber, new AtomicInteger());
            silences.put(subscriber, new ArrayList<>());
        }
        String version = CLUSTER.serverVersion();
        System.out.printf(Locale.ROOT, "[ClusterFailoverIT] %s, nats-server %s; %d runs of %,d durable QoS 1 messages "
                + "per publisher at %d/s, a node killed at message %d%n", CLUSTER, version, KILLS, MESSAGES, RATE,
                KILL_AT);
        for (int run = 0; run < KILLS + PUBLISHER_KILLS; run++) {
            run(run, run < KILLS);
        }

        System.out.println("[ClusterFailoverIT] totals over " + KILLS + " kills of the subscribers' node and "
                + PUBLISHER_KILLS + " of the publishers' (subscriber<-publisher):");
        lost.forEach((pair, count) -> System.out.printf(Locale.ROOT, "[ClusterFailoverIT]   %-18s lost %5d when "
                + "the subscribers' node died, %5d when the publishers' did; duplicated %5d%n", pair, count.get(),
                lostWhenPublishersDie.get(pair).get(), duplicated.get(pair).get()));
        missedAlone.forEach((subscriber, count) -> System.out.printf(Locale.ROOT, "[ClusterFailoverIT]   %-8s "
                + "subscriber missed %d messages another subscriber got%n", subscriber, count.get()));
        for (String kind : KINDS) {
            List<Long> times = new ArrayList<>(silences.get(kind));
            times.sort(Long::compare);
            System.out.printf(Locale.ROOT, "[ClusterFailoverIT]   %-8s publishes failed or unsettled %d; "
                    + "longest silence as "
                    + "subscriber: median %.1f s, worst %.1f s%n", kind, publishFailures.get(kind).get(),
                    times.get(times.size() / 2) / 1e9, times.get(times.size() - 1) / 1e9);
        }
        Assumptions.assumeTrue(version != null && !version.matches("[01]\\..*|2\\.[0-9]\\..*"),
                "nats-server " + version + " loses a few durable QoS 1 messages at a node kill whatever the client "
                + "(see the figures above); the zero-loss promise is asserted on nats-server 2.10 or later: put one "
                + "first on the PATH (README, Clusters)");
        for (String other : KINDS) {
            assertThat(lost.get("mqttkit<-" + other).get()).as("lost by the mqttkit subscriber from " + other)
                    .isZero();
            assertThat(lost.get(other + "<-mqttkit").get()).as("lost by " + other + " from the mqttkit publisher")
                    .isZero();
        }
        assertThat(publishFailures.get("mqttkit").get()).as("mqttkit publishes that failed").isZero();
        assertThat(missedAlone.get("mqttkit").get()).as("messages the mqttkit subscriber missed though another "
                + "subscriber got them (what the broker kept)").isZero();
    }

    private void run(int run, boolean subscribersDie) throws Exception {
        List<String> uris = CLUSTER.uris();
        int victim = run % uris.size();
        int other = (victim + 1) % uris.size();
        int subscriberNode = subscribersDie ? victim : other;
        int publisherNode = subscribersDie ? other : victim;
        String base = "failover/" + run;

        Map<String, Received> received = new LinkedHashMap<>();
        List<AutoCloseable> subscribers = new ArrayList<>();
        List<Publisher> publishers = new ArrayList<>();
        try {
            for (String kind : KINDS) {
                Received into = new Received();
                received.put(kind, into);
                subscribers.add(subscriber(kind, "fo-" + run + "-sub-" + kind, order(uris, subscriberNode),
                        base + "/+", into::add));
            }
            for (String kind : KINDS) {
                publishers.add(publisher(kind, "fo-" + run + "-pub-" + kind, order(uris, publisherNode)));
            }
            received.values().forEach(into -> into.last.set(System.nanoTime()));

            List<List<CompletableFuture<?>>> sent = new ArrayList<>();
            publishers.forEach(publisher -> sent.add(new ArrayList<>()));
            long start = System.nanoTime();
            runStart = start;
            long killedAt = 0;
            List<Map<Integer, Long>> acknowledgedAt = new ArrayList<>();
            publishers.forEach(publisher -> acknowledgedAt.add(new ConcurrentHashMap<>()));
            for (int sequence = 0; sequence < MESSAGES; sequence++) {
                LockSupport.parkNanos(start + sequence * 1_000_000_000L / RATE - System.nanoTime()); // the pace
                if (sequence == KILL_AT) {
                    CLUSTER.kill(victim);
                    killedAt = System.nanoTime();
                }
                for (int i = 0; i < publishers.size(); i++) {
                    int n = sequence;
                    Map<Integer, Long> acknowledged = acknowledgedAt.get(i);
                    sent.get(i).add(publishers.get(i).publish(base + "/" + KINDS.get(i), sequence)
                            .whenComplete((ok, failed) -> {
                                if (failed == null) {
                                    acknowledged.put(n, System.nanoTime());
                                }
                            }));
                }
            }
            long settled = System.nanoTime() + SETTLE.toNanos();
            for (int i = 0; i < publishers.size(); i++) {
                int failures = 0;
                for (CompletableFuture<?> future : sent.get(i)) {
                    try {
                        future.get(Math.max(0, settled - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (Exception failedOrNotSettled) {
                        failures++;
                    }
                }
                publishFailures.get(KINDS.get(i)).addAndGet(failures);
            }
            try {
                await().atMost(Duration.ofNanos(Math.max(1_000_000_000L, settled - System.nanoTime())))
                        .pollInterval(Duration.ofMillis(200)).until(() -> received.values().stream()
                        .allMatch(into -> KINDS.stream().allMatch(kind -> into.distinct(kind) == MESSAGES)));
            } catch (org.awaitility.core.ConditionTimeoutException notAll) {
                System.out.println("[ClusterFailoverIT] run " + run + ": not every message arrived within "
                        + SETTLE.toSeconds() + " s of the last publish (counted as lost below)");
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[ClusterFailoverIT] run %d: killed "
                    + "node %d (the %s') %.1f s in;", run, victim, subscribersDie ? "subscribers" : "publishers",
                    (killedAt - start) / 1e9));
            received.forEach((subscriber, into) -> {
                silences.get(subscriber).add(into.longestSilence.get());
                line.append(String.format(Locale.ROOT, " %s: longest silence %.1f s, lost", subscriber,
                        into.longestSilence.get() / 1e9));
                for (int i = 0; i < KINDS.size(); i++) {
                    String publisher = KINDS.get(i);
                    // lost: what the broker acknowledged and this subscriber never got (a publish that failed
                    // never reached the broker: counted as the publisher's failure)
                    Map<Integer, AtomicInteger> got = into.byPublisher.getOrDefault(publisher, Map.of());
                    int missing = (int) acknowledgedAt.get(i).keySet().stream()
                            .filter(sequence -> !got.containsKey(sequence)).count();
                    (subscribersDie ? lost : lostWhenPublishersDie).get(subscriber + "<-" + publisher)
                            .addAndGet(missing);
                    missedAlone.get(subscriber).addAndGet(missedAlone(received, subscriber, publisher));
                    duplicated.get(subscriber + "<-" + publisher).addAndGet(into.duplicates(publisher));
                    line.append(' ').append(publisher).append('=').append(missing);
                }
                line.append(';');
            });
            System.out.println(line);
            if (VERBOSE) {
                for (int i = 0; i < KINDS.size(); i++) {
                    String publisher = KINDS.get(i);
                    List<String> noneGot = new ArrayList<>();
                    for (int sequence = 0; sequence < MESSAGES; sequence++) {
                        int key = sequence;
                        if (received.values().stream().noneMatch(into -> into.byPublisher
                                .getOrDefault(publisher, Map.of()).containsKey(key))) {
                            Long at = acknowledgedAt.get(i).get(sequence);
                            noneGot.add(String.format(Locale.ROOT, "%d (sent %.1f s, %s)", sequence,
                                    (double) sequence / RATE, at == null ? "publish failed or unsettled"
                                            : String.format(Locale.ROOT, "acknowledged %.1f s", (at - start) / 1e9)));
                        }
                    }
                    System.out.println("[ClusterFailoverIT]   no subscriber got from " + publisher + ": "
                            + noneGot.subList(0, Math.min(10, noneGot.size())) + " of " + noneGot.size());
                    for (String subscriber : KINDS) {
                        List<Integer> missing = new ArrayList<>();
                        for (int sequence = 0; sequence < MESSAGES && missing.size() < 10; sequence++) {
                            if (!received.get(subscriber).byPublisher.getOrDefault(publisher, Map.of())
                                    .containsKey(sequence)) {
                                missing.add(sequence);
                            }
                        }
                        System.out.println("[ClusterFailoverIT]   " + subscriber + " missed from " + publisher + ": "
                                + missing);
                    }
                }
            }
        } finally {
            closeAll(publishers);
            closeAll(subscribers);
            CLUSTER.start(victim);
        }
    }

    /** Messages of one publisher that a subscriber did not get though another subscriber did. */
    private static int missedAlone(Map<String, Received> received, String subscriber, String publisher) {
        int missed = 0;
        for (int sequence = 0; sequence < MESSAGES; sequence++) {
            int key = sequence;
            boolean got = received.get(subscriber).byPublisher.getOrDefault(publisher, Map.of()).containsKey(key);
            boolean anotherGot = received.entrySet().stream().anyMatch(other -> !other.getKey().equals(subscriber)
                    && other.getValue().byPublisher.getOrDefault(publisher, Map.of()).containsKey(key));
            if (!got && anotherGot) {
                missed++;
            }
        }
        return missed;
    }

    private static void closeAll(List<? extends AutoCloseable> clients) {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                System.out.println("[ClusterFailoverIT] closing " + client + ": " + e);
            }
        }
    }

    /** The cluster's URIs, the given node's first. */
    private static List<String> order(List<String> uris, int first) {
        List<String> ordered = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            ordered.add(uris.get((first + i) % uris.size()));
        }
        return ordered;
    }

    private static AutoCloseable subscriber(String kind, String id, List<String> uris, String filter,
            BiConsumer<String, byte[]> into) throws Exception {
        switch (kind) {
            case "mqttkit": {
                MyMqtt client = mqttkit(id, uris);
                client.subscribe(filter, Qos.AT_LEAST_ONCE, message -> into.accept(message.topic(), message.payload()));
                startWithRetry(client);
                return client::stop;
            }
            case "paho": {
                MqttAsyncClient client = paho(id, uris);
                client.setCallback(new MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {
                    }

                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        into.accept(topic, message.getPayload());
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {
                    }
                });
                connectWithRetry(client, uris);
                client.subscribe(filter, 1).waitForCompletion(30_000);
                return () -> closePaho(client);
            }
            default: {
                Mqtt3AsyncClient client = hivemq(id, uris);
                client.publishes(MqttGlobalPublishFilter.ALL,
                        publish -> into.accept(publish.getTopic().toString(), publish.getPayloadAsBytes()));
                client.connectWith().cleanSession(false).keepAlive(10).send().get(60, TimeUnit.SECONDS);
                client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                        .get(30, TimeUnit.SECONDS);
                return () -> client.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Publisher publisher(String kind, String id, List<String> uris) throws Exception {
        switch (kind) {
            case "mqttkit": {
                MyMqtt client = mqttkit(id, uris);
                startWithRetry(client);
                return new Publisher() {
                    @Override
                    public CompletableFuture<?> publish(String topic, int sequence) {
                        return client.publish(topic, Integer.toString(sequence), Qos.AT_LEAST_ONCE, false);
                    }

                    @Override
                    public void close() {
                        client.stop();
                    }
                };
            }
            case "paho": {
                MqttAsyncClient client = paho(id, uris);
                connectWithRetry(client, uris);
                return new Publisher() {
                    @Override
                    public CompletableFuture<?> publish(String topic, int sequence) {
                        CompletableFuture<Void> done = new CompletableFuture<>();
                        MqttMessage message = new MqttMessage(Integer.toString(sequence)
                                .getBytes(StandardCharsets.US_ASCII));
                        message.setQos(1);
                        try {
                            client.publish(topic, message, null, new org.eclipse.paho.client.mqttv3.IMqttActionListener() {
                                @Override
                                public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken token) {
                                    done.complete(null);
                                }

                                @Override
                                public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken token,
                                        Throwable cause) {
                                    done.completeExceptionally(cause);
                                }
                            });
                        } catch (Exception refused) {
                            done.completeExceptionally(refused);
                        }
                        return done;
                    }

                    @Override
                    public void close() throws Exception {
                        closePaho(client);
                    }
                };
            }
            default: {
                Mqtt3AsyncClient client = hivemq(id, uris);
                client.connectWith().cleanSession(false).keepAlive(10).send().get(60, TimeUnit.SECONDS);
                return new Publisher() {
                    @Override
                    public CompletableFuture<?> publish(String topic, int sequence) {
                        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                                .payload(Integer.toString(sequence).getBytes(StandardCharsets.US_ASCII)).send();
                    }

                    @Override
                    public void close() throws Exception {
                        client.disconnect().get(10, TimeUnit.SECONDS);
                    }
                };
            }
        }
    }

    private static MyMqtt mqttkit(String id, List<String> uris) {
        return MyMqtt.builder().serverUris(uris.toArray(new String[0])).clientId(id).cleanSession(false)
                .keepAlive(Duration.ofSeconds(10)).reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(2))
                .operationTimeout(Duration.ofSeconds(30)).connectionListener(new ConnectionListener() {
                    @Override
                    public void onReconnected(String serverUri, boolean sessionPresent) {
                        event(id + " reconnected to " + serverUri + ", session present " + sessionPresent);
                    }

                    @Override
                    public void onConnectionLost(String serverUri, Throwable cause) {
                        event(id + " lost " + serverUri + ": " + cause.getMessage());
                    }
                }).build();
    }

    /** When the run started, for the events' times. */
    private static volatile long runStart = System.nanoTime();

    private static void event(String what) {
        if (VERBOSE) {
            System.out.printf(Locale.ROOT, "[ClusterFailoverIT]     %6.1f s %s%n", (System.nanoTime() - runStart) / 1e9,
                    what);
        }
    }

    /** JetStream may refuse the first connections while it elects its leaders. */
    private static void startWithRetry(MyMqtt client) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    client.start();
                    return true;
                });
    }

    private static MqttAsyncClient paho(String id, List<String> uris) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(uris.get(0), id, new MemoryPersistence());
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setBufferSize(100_000);
        buffer.setDeleteOldestMessages(false);
        client.setBufferOpts(buffer);
        return client;
    }

    private static void connectWithRetry(MqttAsyncClient client, List<String> uris) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setServerURIs(uris.toArray(new String[0]));
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(2_000);
        options.setKeepAliveInterval(10);
        options.setMaxInflight(1_000);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    client.connect(options).waitForCompletion(10_000);
                    return true;
                });
    }

    private static void closePaho(MqttAsyncClient client) throws Exception {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(10_000);
        }
        client.close(true);
    }

    /** The HiveMQ client with automatic reconnect, moving to the next node after each failed or lost connection. */
    private static Mqtt3AsyncClient hivemq(String id, List<String> uris) {
        List<URI> nodes = uris.stream().map(URI::create).toList();
        AtomicInteger next = new AtomicInteger();
        return MqttClient.builder().useMqttVersion3().identifier(id)
                .serverHost(nodes.get(0).getHost()).serverPort(nodes.get(0).getPort())
                .automaticReconnect().initialDelay(100, TimeUnit.MILLISECONDS).maxDelay(2, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addDisconnectedListener(context -> {
                    URI node = nodes.get(next.incrementAndGet() % nodes.size());
                    context.getReconnector().transportConfig(MqttClientTransportConfig.builder()
                            .serverHost(node.getHost()).serverPort(node.getPort()).build());
                })
                .buildAsync();
    }
}
