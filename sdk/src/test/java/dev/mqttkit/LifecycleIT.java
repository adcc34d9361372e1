package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The life cycle of a client under stress: stop() from a listener and from outside while messages pour in,
 * a thousand start/stop cycles (plain, during a flood, during reconnect attempts) that must leave no thread
 * behind, publish-future callbacks that block, and two clients fighting over one client id.
 */
@MosquittoTest
class LifecycleIT {

    private static final String SUMMARY = "stopped with work left";
    private static final Pattern SUMMARY_COUNTS = Pattern.compile("Client \\[(.+)] stopped with work left: (\\d+) "
            + "received QoS 0 messages not delivered, (\\d+) received QoS 1/2 messages not delivered and not "
            + "acknowledged \\((.+)\\), (\\d+) arriving during the stop, (\\d+) publishes buffered offline not sent");

    @RegisterExtension
    final Clients clients = new Clients();

    // ---------------------------------------------------------------------------------------------------------
    // 1. stop() from the listener of a durable session's shutdown command

    @Test
    void stopFromListener_acknowledgesTheCurrentMessage_durableShutdownCommandDoesNotComeBack(MosquittoBroker broker)
            throws Exception {
        String id = Clients.uniqueId("durable-shutdown");
        List<String> deliveries = new CopyOnWriteArrayList<>();
        AtomicReference<String> run = new AtomicReference<>("first run");
        AtomicReference<MyMqtt> current = new AtomicReference<>();
        MessageListener listener = message -> {
            if (message.payloadAsString().equals("shutdown")) {
                deliveries.add(run.get() + (message.duplicate() ? " (dup)" : ""));
                current.get().stop();
            }
        };
        MyMqtt publisher = clients.started(broker);

        MyMqtt first = clients.track(clients.builder(broker).clientId(id).cleanSession(false).build());
        current.set(first);
        first.subscribe("cmd", Qos.AT_LEAST_ONCE, listener);
        first.start();
        publisher.publish("cmd", "shutdown", Qos.AT_LEAST_ONCE, false).get(10, TimeUnit.SECONDS);

        await().atMost(Recorder.TIMEOUT).until(() -> !first.isConnected());
        await().atMost(Recorder.TIMEOUT).untilAsserted(() -> assertThat(ConnectionIT.threadsOf(id)).isEmpty());
        assertThat(deliveries).containsExactly("first run");

        for (int restart = 1; restart <= 3; restart++) {
            run.set("restart " + restart);
            MyMqtt again = clients.track(clients.builder(broker).clientId(id).cleanSession(false).build());
            current.set(again);
            again.subscribe("cmd", Qos.AT_LEAST_ONCE, listener);
            again.start();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                    assertThat(deliveries).as("deliveries of the shutdown command, by run").containsExactly("first run"));
            again.stop();
        }
        assertThat(deliveries).hasSize(1);
        System.out.println("[LifecycleIT] durable shutdown command: delivered " + deliveries.size()
                + " time(s) over the first run and 3 restarts: " + deliveries);

        clients.started(clients.builder(broker).clientId(id).cleanSession(true)).stop(); // drop the durable session
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. stop() from outside while QoS 1 messages pour in

    @Test
    void stop_deliversNothingAfterItReturns_andLogsOneSummaryLine(MosquittoBroker broker) throws Exception {
        int total = 500;
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        MyMqtt subscriber = clients.started(broker);
        subscriber.subscribe("flood/qos1", Qos.AT_LEAST_ONCE, message -> {
            started.incrementAndGet();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // work simulation
            finished.incrementAndGet();
        });
        MyMqtt publisher = clients.started(broker);

        try (LogCapture log = LogCapture.of(Connection.class.getName())) {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                sent.add(publisher.publish("flood/qos1", "m" + i, Qos.AT_LEAST_ONCE, false));
            }
            await().atMost(Recorder.TIMEOUT).until(() -> started.get() >= 5);

            long stopStart = System.nanoTime();
            subscriber.stop();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
            int startedAtReturn = started.get();
            int finishedAtReturn = finished.get();

            assertThat(finishedAtReturn).as("the running listener finished before stop() returned (stop took %d ms)",
                    stopMillis).isEqualTo(startedAtReturn);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(started.get()).as("listener calls started after stop() returned").isEqualTo(startedAtReturn));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            List<String> summaries = log.messages(Level.WARN).stream().filter(m -> m.contains(SUMMARY)).toList();
            assertThat(summaries).as("WARN summary lines").hasSize(1);
            Matcher counts = SUMMARY_COUNTS.matcher(summaries.get(0));
            assertThat(counts.find()).as("summary line %s", summaries.get(0)).isTrue();
            assertThat(counts.group(1)).isEqualTo(subscriber.clientId());
            int qos0Dropped = Integer.parseInt(counts.group(2));
            int unacknowledged = Integer.parseInt(counts.group(3));
            int late = Integer.parseInt(counts.group(5));
            int unsent = Integer.parseInt(counts.group(6));
            String seen = "delivered " + finishedAtReturn + ", left over " + unacknowledged + " + late " + late
                    + ", stop() took " + stopMillis + " ms: " + summaries.get(0);
            assertThat(qos0Dropped).as(seen).isZero();
            assertThat(unsent).as(seen).isZero();
            assertThat(unacknowledged).as(seen).isPositive();
            assertThat(finishedAtReturn + unacknowledged + late).as(seen).isLessThanOrEqualTo(total);
            assertThat(counts.group(4)).isEqualTo("a clean session loses them");
            System.out.println("[LifecycleIT] stop during a QoS 1 flood: " + seen);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. a thousand start/stop cycles leak no thread

    private enum Kind { PLAIN, FLOOD, RECONNECT }

    @Test
    void thousandStartStopCycles_includingStopsDuringReconnectAndFlood_leakNoThreads(MosquittoBroker broker)
            throws Exception {
        int workers = 10;
        int cyclesPerWorker = 100;
        String prefix = "lifecycle-" + ProcessHandle.current().pid() + "-";

        // warm-up: one cycle of each kind loads the classes and starts whatever lives once per JVM
        MyMqtt warmFlooder = clients.started(clients.builder(broker).clientId(prefix + "warm-flooder"));
        ExecutorService warmPool = Executors.newSingleThreadExecutor();
        try (FaultyProxy warmProxy = FaultyProxy.to(broker.port())) {
            Tally warm = new Tally();
            for (Kind kind : Kind.values()) {
                cycle(kind, prefix + "warm-" + kind, 0, broker, warmProxy, warmFlooder, warmPool, warm);
            }
        } finally {
            warmPool.shutdown();
            assertThat(warmPool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            warmFlooder.stop();
        }
        await().atMost(Recorder.TIMEOUT).untilAsserted(() -> assertThat(threadsOf(prefix))
                .as("threads of the warm-up cycles: %s", stacks(threadsOf(prefix))).isEmpty());
        List<String> baseline = kitThreads();
        int baselineLive = ManagementFactory.getThreadMXBean().getThreadCount();

        Tally tally = new Tally();
        List<String> failures = new CopyOnWriteArrayList<>();
        // a thousand clients log a thousand WARNs (summaries, lost connections): kept here, off the console
        LogCapture log = LogCapture.silencing("dev.mqttkit");
        MyMqtt flooder = clients.started(clients.builder(broker).clientId(prefix + "flooder"));
        ExecutorService floodPool = Executors.newFixedThreadPool(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<FaultyProxy> proxies = new ArrayList<>();
        long begin = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                FaultyProxy proxy = FaultyProxy.to(broker.port());
                proxies.add(proxy);
                int worker = w;
                running.add(pool.submit(() -> {
                    for (int n = 0; n < cyclesPerWorker; n++) {
                        Kind kind = Kind.values()[(n + worker) % Kind.values().length];
                        String id = prefix + worker + "-" + n;
                        try {
                            cycle(kind, id, n, broker, proxy, flooder, floodPool, tally);
                        } catch (Exception | AssertionError e) {
                            failures.add(kind + " " + id + ": " + e);
                        }
                    }
                }));
            }
            for (Future<?> worker : running) {
                worker.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdown();
            floodPool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(floodPool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            proxies.forEach(FaultyProxy::close);
            flooder.stop();
            log.close();
        }
        long cyclesMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        Map<String, Long> warnings = log.messages(Level.WARN).stream().collect(Collectors.groupingBy(
                LifecycleIT::warningKind, TreeMap::new, Collectors.counting()));
        String report = tally + " in " + cyclesMillis + " ms (" + cyclesMillis * workers / Math.max(1, tally.cycles())
                + " ms per cycle per worker); WARNs " + warnings;

        assertThat(failures).as(report).isEmpty();
        assertThat(log.messages(Level.ERROR)).as(report).isEmpty();
        assertThat(tally.cycles()).as(report).isEqualTo(workers * cyclesPerWorker);
        AtomicReference<String> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> now = kitThreads();
            List<String> extra = new ArrayList<>(now);
            baseline.forEach(extra::remove);
            int live = ManagementFactory.getThreadMXBean().getThreadCount();
            last.set(report + "; mqttkit/MQTT threads: baseline " + baseline.size() + " " + baseline + ", now "
                    + now.size() + ", extra " + extra.size() + " " + stacks(extra) + "; live threads: baseline " + baselineLive + ", now " + live);
            assertThat(extra).as(last.get()).isEmpty();
            assertThat(live).as(last.get()).isLessThanOrEqualTo(baselineLive + 5);
        });
        System.out.println("[LifecycleIT] " + last.get());
    }

    /** Counts what the cycles saw; thread-safe. */
    private static final class Tally {
        final Map<Kind, AtomicInteger> byKind = new ConcurrentHashMap<>();
        final AtomicLong floodReceived = new AtomicLong();
        final AtomicInteger reconnectAttemptsSeen = new AtomicInteger();

        void done(Kind kind) {
            byKind.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }

        int cycles() {
            return byKind.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        @Override
        public String toString() {
            return cycles() + " cycles " + new TreeMap<>(byKind) + ", " + floodReceived + " flood messages delivered, "
                    + reconnectAttemptsSeen + " stops after a refused reconnect attempt";
        }
    }

    private static void cycle(Kind kind, String id, int n, MosquittoBroker broker, FaultyProxy proxy, MyMqtt flooder,
            ExecutorService floodPool, Tally tally) throws Exception {
        switch (kind) {
            case PLAIN -> {
                MyMqtt client = MyMqtt.builder().serverUri(broker.uri()).clientId(id).build();
                try {
                    client.start();
                    client.publish("lifecycle/plain", "x", Qos.AT_LEAST_ONCE, false).get(10, TimeUnit.SECONDS);
                } finally {
                    client.stop();
                }
            }
            case FLOOD -> {
                String topic = "lifecycle/flood/" + id;
                AtomicInteger received = new AtomicInteger();
                MyMqtt client = MyMqtt.builder().serverUri(broker.uri()).clientId(id).build();
                CompletableFuture<Void> flood = null;
                try {
                    client.subscribe(topic, Qos.AT_MOST_ONCE, message -> {
                        received.incrementAndGet();
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500)); // work simulation
                    });
                    client.start();
                    flood = CompletableFuture.runAsync(() -> {
                        List<CompletableFuture<Void>> sent = new ArrayList<>();
                        for (int i = 0; i < 300; i++) {
                            sent.add(flooder.publish(topic, "f" + i, Qos.AT_MOST_ONCE, false));
                        }
                        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                    }, floodPool);
                    await().atMost(Recorder.TIMEOUT).until(() -> received.get() > 0);
                } finally {
                    client.stop(); // while the flood still arrives
                }
                flood.get(30, TimeUnit.SECONDS);
                tally.floodReceived.addAndGet(received.get());
            }
            case RECONNECT -> {
                MyMqtt client = MyMqtt.builder().serverUri(proxy.uri()).clientId(id)
                        .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
                        .connectTimeout(Duration.ofSeconds(3)).build();
                try {
                    client.start();
                    int accepted = proxy.connectionsAccepted();
                    proxy.refuse(true);
                    proxy.cut();
                    await().atMost(Recorder.TIMEOUT).until(() -> !client.isConnected());
                    if (n % 2 == 0) {
                        // stop between attempts, after at least one was refused
                        await().atMost(Recorder.TIMEOUT).until(() -> proxy.connectionsAccepted() > accepted);
                        tally.reconnectAttemptsSeen.incrementAndGet();
                    }
                } finally {
                    client.stop();
                    proxy.refuse(false);
                }
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        tally.done(kind);
    }

    /** A WARN without its client id and counts, to group them. */
    private static String warningKind(String message) {
        return message.replaceAll("\\[[^]]*]", "[]").replaceAll("\\d+", "N");
    }

    private static List<String> kitThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains("mqttkit") || name.contains("MQTT") || name.contains("lifecycle-"))
                .sorted()
                .collect(Collectors.toList());
    }

    /** The named threads with the top of their stacks, to show where a leaked thread hangs. */
    private static String stacks(List<String> names) {
        StringBuilder out = new StringBuilder();
        Map<String, Integer> shown = new TreeMap<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            String kind = thread.getName().replaceAll("lifecycle-\\d+-[\\w-]+", "<id>");
            if (names.contains(thread.getName()) && shown.merge(kind, 1, Integer::sum) == 1) {
                out.append("\n  ").append(thread.getName()).append(" (").append(thread.getState()).append(')');
                for (int i = 0; i < Math.min(12, stack.length); i++) {
                    out.append("\n    at ").append(stack[i]);
                }
            }
        });
        return out.append("\n  (threads by kind: ").append(shown).append(')').toString();
    }

    private static List<String> threadsOf(String idPart) {
        return kitThreads().stream().filter(name -> name.contains(idPart)).toList();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. a publish-future callback that blocks

    @Test
    void blockingFutureCallback_delaysOnlyItself_andStopIsNotHeldUp(MosquittoBroker broker) throws Exception {
        CountDownLatch forever = new CountDownLatch(1);
        CountDownLatch blockerEntered = new CountDownLatch(1);
        AtomicReference<String> chainThread = new AtomicReference<>();
        AtomicReference<String> blockerThread = new AtomicReference<>();
        AtomicReference<Boolean> blockerReleased = new AtomicReference<>();
        try (FaultyProxy proxy = FaultyProxy.to(broker.port())) {
            MyMqtt client = clients.started(clients.builder(broker).serverUri(proxy.uri()));
            String id = client.clientId();
            try {
                // held at the proxy so that the callbacks are registered before the futures complete: they then
                // run on the completion thread, not on this one
                proxy.stall();
                CompletableFuture<Void> a = client.publish("life/a", "1");
                CompletableFuture<Void> x = client.publish("life/x", "3");
                CompletableFuture<Void> chain = a.thenRun(() -> {
                    chainThread.set(Thread.currentThread().getName());
                    client.publish("life/b", "2").join();
                });
                CompletableFuture<Void> blocker = x.thenRun(() -> {
                    blockerThread.set(Thread.currentThread().getName());
                    blockerEntered.countDown();
                    try {
                        blockerReleased.set(forever.await(60, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        blockerReleased.set(false);
                        Thread.currentThread().interrupt();
                    }
                });
                assertThat(a).isNotDone();
                assertThat(x).isNotDone();
                proxy.resume();

                assertThat(blockerEntered.await(10, TimeUnit.SECONDS)).as("the blocking callback ran").isTrue();
                assertThat(blockerThread.get()).startsWith("mqttkit-complete-" + id);

                long t0 = System.nanoTime();
                List<CompletableFuture<Void>> independent = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    independent.add(client.publish("life/c", "c" + i));
                }
                CompletableFuture.allOf(independent.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
                long independentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

                chain.get(5, TimeUnit.SECONDS);
                long chainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(chainThread.get()).startsWith("mqttkit-complete-" + id);
                assertThat(blocker).as("the callback blocked on the latch").isNotDone();

                long s0 = System.nanoTime();
                client.stop();
                long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s0);
                assertThat(stopMillis).as("stop() while a callback blocks (independent %d ms, chain %d ms)",
                        independentMillis, chainMillis).isLessThan(3_000);
                assertThat(blocker).isNotDone();
                System.out.println("[LifecycleIT] blocking callback: 20 independent publishes in " + independentMillis
                        + " ms, chain done after " + chainMillis + " ms, stop() took " + stopMillis + " ms");
            } finally {
                forever.countDown();
            }
            await().atMost(Recorder.TIMEOUT).until(() -> Boolean.TRUE.equals(blockerReleased.get()));
            await().atMost(Recorder.TIMEOUT).untilAsserted(() -> assertThat(ConnectionIT.threadsOf(id)).isEmpty());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 5. two clients with one id

    @Test
    void duplicateClientId_twoClientsKnockEachOtherOff_oneWarnNamesTheId(MosquittoBroker broker) throws Exception {
        String id = Clients.uniqueId("twin");
        String warning = "probably using the same client id [" + id + "]";
        AtomicInteger losses = new AtomicInteger();
        ConnectionListener counting = new ConnectionListener() {
            @Override
            public void onConnectionLost(String serverUri, Throwable cause) {
                losses.incrementAndGet();
            }
        };
        try (LogCapture log = LogCapture.of("dev.mqttkit.internal.lifecycle.DuplicateIdDetector")) {
            MyMqtt.Builder twin = clients.builder(broker).clientId(id).automaticReconnect(true)
                    .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400)).connectionListener(counting);
            clients.started(twin);
            clients.started(twin);

            await().atMost(Duration.ofSeconds(20)).until(() -> count(log, warning) >= 1);
            int lossesAtWarn = losses.get();
            // the fight goes on: the WARN must not come again with every round
            await().atMost(Duration.ofSeconds(20)).until(() -> losses.get() >= lossesAtWarn + 10);
            long warns = count(log, warning);
            System.out.println("[LifecycleIT] duplicate id: " + warns + " WARN(s) after " + losses.get()
                    + " lost connections (" + lossesAtWarn + " at the first WARN)");
            assertThat(warns).as("duplicate-id WARNs after %d lost connections: %s", losses.get(),
                    log.messages(Level.WARN)).isBetween(1L, 2L);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6. a start() that cannot finish, and a store that is in use

    @Test
    void stop_whileStartWaitsForTheConnack_cutsTheStartShort() throws Exception {
        try (java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 5,
                java.net.InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        java.net.Socket socket = blackHole.accept(); // reads nothing, answers nothing
                        accepted.incrementAndGet();
                        socket.setSoLinger(false, 0);
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            }, "black-hole-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            String uri = "tcp://127.0.0.1:" + blackHole.getLocalPort();
            MyMqtt client = clients.track(MyMqtt.builder().serverUri(uri).clientId(Clients.uniqueId("hole"))
                    .connectTimeout(Duration.ofSeconds(10)).build());
            CompletableFuture<Throwable> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    client.start();
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() == 1);

            long begin = System.nanoTime();
            client.stop();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            Throwable failure = starting.get(5, TimeUnit.SECONDS);

            System.out.println("[LifecycleIT] stop() during a start() waiting for its CONNACK took " + stopMillis + " ms");
            assertThat(stopMillis).as("stop() took %d ms", stopMillis).isLessThan(3_000);
            assertThat(failure).isInstanceOf(ConnectionException.class)
                    .hasMessage("Cannot connect to " + uri + ": stop() was called while connecting.");
            assertThat(client.isConnected()).isFalse();
        }
    }

    @Test
    void persistenceDirectoryInUse_startSaysSoAndLeaksNoThread(MosquittoBroker broker,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path store) throws Exception {
        String id = Clients.uniqueId("locked");
        clients.started(clients.builder(broker).clientId(id).cleanSession(false).persistence(store));
        MyMqtt second = clients.track(clients.builder(broker).clientId(id).cleanSession(false).persistence(store)
                .build());
        List<String> before = mqttkitThreads(id);

        org.assertj.core.api.Assertions.assertThatThrownBy(second::start).isInstanceOf(ConnectionException.class)
                .hasMessageStartingWith("Cannot start client [" + id + "]: Persistence file " + store.toRealPath())
                .hasMessageEndingWith(".lock is locked: another client with this id (" + id + ") is using it, in "
                        + "this process or another. Close that client first, or give this one an id of its own.");
        assertThat(mqttkitThreads(id)).as("threads of the client after the failed start").isEqualTo(before);
        assertThat(second.isConnected()).isFalse();
    }

    private static List<String> mqttkitThreads(String id) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.endsWith(id) && (name.startsWith("mqttkit") || name.startsWith("MQTT")))
                .sorted().toList();
    }

    private static long count(LogCapture log, String part) {
        return log.messages(Level.WARN).stream().filter(m -> m.contains(part)).count();
    }

    /** Collects the events of one logger (at the levels it lets through) while open. */
    private static final class LogCapture implements AutoCloseable {
        private final Logger logger;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final boolean wasAdditive;

        private LogCapture(String name, boolean silence) {
            this.logger = (Logger) LoggerFactory.getLogger(name);
            this.wasAdditive = logger.isAdditive();
            appender.start();
            logger.addAppender(appender);
            if (silence) {
                logger.setAdditive(false);
            }
        }

        static LogCapture of(String name) {
            return new LogCapture(name, false);
        }

        /** Captures and keeps the events off the console (the appenders of the parent loggers). */
        static LogCapture silencing(String name) {
            return new LogCapture(name, true);
        }

        /** The formatted messages at exactly this level, in order. */
        List<String> messages(Level level) {
            List<ILoggingEvent> events;
            synchronized (appender) { // AppenderBase.doAppend appends under this lock
                events = List.copyOf(appender.list);
            }
            return events.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            logger.setAdditive(wasAdditive);
            logger.detachAppender(appender);
            appender.stop();
        }
    }
}
