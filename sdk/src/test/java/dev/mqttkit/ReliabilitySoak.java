package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A long run of bad days, not part of {@code verify}: {@code mvn -B -pl sdk -am -Psoak verify} (10 minutes;
 * {@code -Dsoak.minutes=N} to change it). Durable QoS 1 and QoS 2 streams through a {@link FaultyProxy} while a
 * chaos loop cuts, stalls and refuses connections, kills the broker with SIGKILL and restarts it, and the
 * listeners are now and then slower than the stream. At the end it prints, per stream, what was published,
 * acknowledged, failed and still pending, what was received, lost and duplicated, and whether any client gave up
 * reconnecting, and checks the client's promises: every future settled, every client connected again, no QoS 2
 * message twice, and nothing lost but what the broker itself lost when killed (Mosquitto saves its state once a
 * second: a message it acknowledged in the second before a SIGKILL may die with it).
 */
class ReliabilitySoak {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().persistence(true).build();

    @RegisterExtension
    final Clients clients = new Clients();

    private static final Duration AUTOSAVE = Duration.ofSeconds(1);

    /** One durable stream: a publisher and a subscriber at one QoS, each through its own proxy. */
    private final class Stream {
        final Qos qos;
        final String topic;
        final FaultyProxy publisherProxy;
        final FaultyProxy subscriberProxy;
        final MyMqtt publisher;
        final MyMqtt subscriber;
        final Map<Integer, CompletableFuture<Void>> sent = new ConcurrentHashMap<>();
        final Map<Integer, Long> acknowledgedAt = new ConcurrentHashMap<>();
        final Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
        final AtomicInteger losses = new AtomicInteger();
        final AtomicInteger reconnects = new AtomicInteger();
        volatile boolean slow;

        Stream(Qos qos) throws Exception {
            this.qos = qos;
            this.topic = "soak/" + qos.value();
            publisherProxy = FaultyProxy.to(BROKER.port());
            subscriberProxy = FaultyProxy.to(BROKER.port());
            ConnectionListener counting = new ConnectionListener() {
                @Override
                public void onConnectionLost(String serverUri, Throwable cause) {
                    losses.incrementAndGet();
                }

                @Override
                public void onReconnected(String serverUri, boolean sessionPresent) {
                    reconnects.incrementAndGet();
                }
            };
            subscriber = clients.track(MyMqtt.builder().serverUri(subscriberProxy.uri())
                    .clientId(Clients.uniqueId("soak-sub-" + qos.value())).cleanSession(false)
                    .reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(2)).connectionListener(counting)
                    .build());
            subscriber.subscribe(topic, qos, message -> {
                int n = Integer.parseInt(message.payloadAsString());
                received.computeIfAbsent(n, key -> new AtomicInteger()).incrementAndGet();
                if (slow) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a listener with work to do
                }
            });
            subscriber.start();
            publisher = clients.started(MyMqtt.builder().serverUri(publisherProxy.uri())
                    .clientId(Clients.uniqueId("soak-pub-" + qos.value())).cleanSession(false)
                    .reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(2)).connectionListener(counting)
                    .ackTimeout(Duration.ofMinutes(10)));
        }

        void publish(int n) {
            CompletableFuture<Void> future = publisher.publish(topic, Integer.toString(n), qos, false);
            sent.put(n, future);
            future.thenRun(() -> acknowledgedAt.put(n, System.nanoTime()));
        }

        void close() {
            publisherProxy.close();
            subscriberProxy.close();
        }
    }

    @Test
    void tenMinutesOfCutsKillsAndSlowListeners_noFutureLeftNoClientGivesUpNothingLostByTheClient() throws Exception {
        long minutes = Long.getLong("soak.minutes", 10);
        long seed = Long.getLong("soak.seed", System.nanoTime());
        Random random = new Random(seed);
        Stream qos1 = new Stream(Qos.AT_LEAST_ONCE);
        Stream qos2 = new Stream(Qos.EXACTLY_ONCE);
        List<Stream> streams = List.of(qos1, qos2);
        List<Long> kills = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> actions = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);

        Thread publishing = new Thread(() -> {
            int n = 0;
            while (running.get()) {
                n++;
                for (Stream stream : streams) {
                    stream.publish(n);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // about 200 a second per stream
            }
        }, "soak-publisher");
        publishing.start();

        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3_000 + random.nextInt(7_000))); // calm spell
            Stream victim = streams.get(random.nextInt(streams.size()));
            FaultyProxy proxy = random.nextBoolean() ? victim.publisherProxy : victim.subscriberProxy;
            int pick = random.nextInt(10);
            String action;
            if (pick < 3) {
                action = "cut";
                proxy.cut();
            } else if (pick < 5) {
                action = "stall";
                proxy.stall();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_000 + random.nextInt(4_000)));
                proxy.resume();
            } else if (pick < 6) {
                action = "refuse";
                proxy.refuse(true);
                proxy.cut();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500 + random.nextInt(2_500)));
                proxy.refuse(false);
            } else if (pick < 8) {
                action = "slow listeners";
                streams.forEach(stream -> stream.slow = true);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2_000 + random.nextInt(5_000)));
                streams.forEach(stream -> stream.slow = false);
            } else {
                action = "broker kill -9";
                kills.add(System.nanoTime());
                BROKER.kill();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500 + random.nextInt(2_500)));
                BROKER.start();
            }
            actions.computeIfAbsent(action, key -> new AtomicInteger()).incrementAndGet();
        }
        running.set(false);
        publishing.join();

        // the network heals: every future settles, every client comes back, every message arrives; the report is
        // printed either way, and the assertions below say what did not hold
        try {
            await().atMost(Duration.ofMinutes(3)).until(() -> streams.stream()
                    .allMatch(stream -> stream.publisher.isConnected() && stream.subscriber.isConnected()
                            && stream.sent.values().stream().allMatch(CompletableFuture::isDone)));
            await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofMinutes(2)).until(() -> streams.stream()
                    .allMatch(stream -> lostByTheClient(stream, kills).isEmpty()));
        } catch (org.awaitility.core.ConditionTimeoutException notHealed) {
            System.out.println("[ReliabilitySoak] not every stream healed: " + notHealed.getMessage());
        }
        System.out.printf("[ReliabilitySoak] %d min (-Dsoak.seed=%d), actions %s%n", minutes, seed, actions);
        for (Stream stream : streams) {
            report(stream, kills);
        }
        for (Stream stream : streams) {
            assertThat(stream.publisher.isConnected() && stream.subscriber.isConnected())
                    .as("QoS %d clients connected again", stream.qos.value()).isTrue();
        }
        for (Stream stream : streams) {
            assertThat(stream.sent.values()).as("futures of QoS %d", stream.qos.value())
                    .allMatch(CompletableFuture::isDone);
            assertThat(lostByTheClient(stream, kills)).as("lost by the client at QoS %d", stream.qos.value()).isEmpty();
            stream.close();
        }
        assertThat(duplicates(qos2)).as("QoS 2 messages delivered twice").isZero();
    }

    /** Acknowledged messages that never arrived, but for those the broker acknowledged just before a kill. */
    private static List<Integer> lostByTheClient(Stream stream, List<Long> kills) {
        List<Integer> lost = new ArrayList<>();
        stream.acknowledgedAt.forEach((n, at) -> {
            if (!stream.received.containsKey(n) && !inAutosaveWindow(at, kills)) {
                lost.add(n);
            }
        });
        return lost;
    }

    private static boolean inAutosaveWindow(long acknowledgedAt, List<Long> kills) {
        for (long kill : kills) {
            if (acknowledgedAt <= kill && kill - acknowledgedAt <= AUTOSAVE.toNanos() * 2) {
                return true;
            }
        }
        return false;
    }

    private static long duplicates(Stream stream) {
        return stream.received.values().stream().mapToLong(count -> count.get() - 1).sum();
    }

    private static void report(Stream stream, List<Long> kills) {
        long acknowledged = stream.sent.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally())
                .count();
        long failed = stream.sent.values().stream().filter(CompletableFuture::isCompletedExceptionally).count();
        long pending = stream.sent.values().stream().filter(f -> !f.isDone()).count();
        long lostAtKills = stream.acknowledgedAt.entrySet().stream()
                .filter(e -> !stream.received.containsKey(e.getKey()) && inAutosaveWindow(e.getValue(), kills))
                .count();
        System.out.printf("[ReliabilitySoak] QoS %d: published %d, acknowledged %d, failed %d, pending %d; "
                + "received %d distinct, %d duplicates; lost by the client %d, lost by the broker at a kill -9 %d; "
                + "connections lost %d, reconnects %d, clients connected at the end %s%n",
                stream.qos.value(), stream.sent.size(), acknowledged, failed, pending, stream.received.size(),
                duplicates(stream), lostByTheClient(stream, kills).size(), lostAtKills, stream.losses.get(),
                stream.reconnects.get(), stream.publisher.isConnected() && stream.subscriber.isConnected());
        List<Integer> lost = lostByTheClient(stream, kills);
        lost.sort(Integer::compare);
        long start = stream.acknowledgedAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
        for (int n : lost.subList(0, Math.min(10, lost.size()))) {
            long at = stream.acknowledgedAt.get(n);
            long nearestKill = kills.stream().mapToLong(kill -> kill - at).filter(gap -> gap >= 0).min().orElse(-1);
            System.out.printf("[ReliabilitySoak]   QoS %d lost %d: acknowledged %.1f s in, %s%n", stream.qos.value(), n,
                    (at - start) / 1e9, nearestKill < 0 ? "no kill after it"
                            : String.format("%.1f s before a kill -9", nearestKill / 1e9));
        }
    }
}
