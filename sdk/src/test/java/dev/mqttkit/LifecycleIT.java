package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The life cycle of a client under stress: stop() from a listener and from outside while messages pour in,
 * publish-future callbacks that block, and two clients fighting over one client id.
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

        try (LogCapture log = LogCapture.of(MyMqtt.class.getName())) {
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
        try (LogCapture log = LogCapture.of("dev.mqttkit.internal.Reconnector")) {
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

    private static long count(LogCapture log, String part) {
        return log.messages(Level.WARN).stream().filter(m -> m.contains(part)).count();
    }

    /** Collects the events of one logger (at the levels it lets through) while open. */
    private static final class LogCapture implements AutoCloseable {
        private final Logger logger;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        private LogCapture(String name) {
            this.logger = (Logger) LoggerFactory.getLogger(name);
            appender.start();
            logger.addAppender(appender);
        }

        static LogCapture of(String name) {
            return new LogCapture(name);
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
            logger.detachAppender(appender);
            appender.stop();
        }
    }
}
