package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.testing.MosquittoBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients whose process dies: killed with SIGKILL, or halted inside a listener. Each client runs in a JVM of its
 * own ({@link CrashingClient}) that the test reads and kills; the broker is the test's.
 */
class ProcessCrashIT {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder().build();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @RegisterExtension
    final Clients clients = new Clients();

    @TempDir
    Path tempDir;

    private final List<Child> children = new ArrayList<>();
    private final List<FaultyProxy> proxies = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Child::kill);
        proxies.forEach(FaultyProxy::close);
    }

    @Test
    void subscriberProcessKilledMidStream_restartedWithSameIdDurable_receivesTheRest() throws Exception {
        int total = 2_000;
        int killAfter = 300;
        int window = 200; // published but not yet reported by the child, until the kill: the kill comes mid-stream
        String id = Clients.uniqueId("proc-sub");
        String topic = "proc/stream/" + id;
        String[] args = {"mode=subscribe", "uri=" + BROKER.uri(), "id=" + id, "topic=" + topic, "qos=1"};
        Child first = child(args);
        first.awaitLine("STARTED");
        MyMqtt publisher = clients.started(clients.builder(BROKER));

        List<CompletableFuture<Void>> acks = new ArrayList<>();
        int publishedAtKill = -1;
        for (int n = 1; n <= total; n++) {
            if (publishedAtKill < 0) {
                int published = n - 1;
                if (published - first.got().size() >= window) {
                    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5))
                            .until(() -> published - first.got().size() < window || !first.isAlive());
                }
                if (first.got().size() >= killAfter) {
                    first.kill();
                    publishedAtKill = published;
                }
            }
            acks.add(publisher.publish(topic, Integer.toString(n), Qos.AT_LEAST_ONCE, false));
        }
        CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(publishedAtKill).as("the first child was killed while the stream went on; %s", first)
                .isBetween(killAfter, total - 1);
        assertThat(first.exitCode()).as("the first child died of SIGKILL; %s", first).isEqualTo(137);
        assertThat(first.readToEnd()).as("all output of the first child read; %s", first).isTrue();
        Set<Integer> firstGot = numbers(first.got());

        Child second = child(args);
        Set<Integer> all = IntStream.rangeClosed(1, total).boxed().collect(Collectors.toCollection(TreeSet::new));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Set<Integer> notYet = new TreeSet<>(all);
            notYet.removeAll(union(firstGot, numbers(second.got())));
            assertThat(notYet).as("not received by either child yet (first got %d, second %d); %s", firstGot.size(),
                    second.got().size(), second).isEmpty();
        });
        second.stop();

        Set<Integer> secondGot = numbers(second.got());
        Set<Integer> both = new TreeSet<>(firstGot);
        both.retainAll(secondGot);
        Set<Integer> notResent = new TreeSet<>(all);
        notResent.removeAll(firstGot);
        notResent.removeAll(secondGot);
        String counts = String.format("published %d (%d before the kill), first child got %d (%d distinct), second "
                + "got %d (%d distinct), %d got by both (duplicates across the kill), %d got by neither %s", total,
                publishedAtKill, first.got().size(), firstGot.size(), second.got().size(), secondGot.size(),
                both.size(), notResent.size(), notResent);
        assertThat(union(firstGot, secondGot)).as("only the published numbers; %s", counts).isSubsetOf(all);
        assertThat(notResent).as("the second child got every message the first did not, so together they got all "
                + "%d; %s", total, counts).isEmpty();
        assertThat(firstGot.size()).as(counts).isGreaterThanOrEqualTo(killAfter).isLessThan(publishedAtKill + 1);
    }

    @Test
    void clientProcessHaltedWithInFlightQos1_restartedWithFilePersistence_resendsThem() throws Exception {
        int count = 50;
        Path store = tempDir.resolve("publisher-store");
        InFlight run = killPublisherWithMessagesInFlight(count, store);

        // Paho sends again what the file store kept for this client id; the second child connects straight to the
        // broker, not through the proxy: the store belongs to the client id, whatever address reaches the broker
        await().atMost(TIMEOUT).until(() -> run.received.messages().size() >= count);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> run.received.messages().size() == count);
        List<String> expected = IntStream.rangeClosed(1, count).mapToObj(Integer::toString)
                .collect(Collectors.toList());
        assertThat(run.received.payloads()).as("all %d in-flight messages sent again, each once; %s", count,
                run.second).hasSize(count).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * The control: Paho's memory store dies with the process. QoS 1 messages the broker never acknowledged are lost,
     * although the client used a durable session and the same client id.
     */
    @Test
    void clientProcessHaltedWithInFlightQos1_restartedWithMemoryPersistence_losesThem() throws Exception {
        int count = 50;
        InFlight run = killPublisherWithMessagesInFlight(count, null);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> run.received.messages().isEmpty());
        // the second child is connected and its messages do get through: only the in-flight ones are gone
        run.second.send("PROBE");
        run.second.awaitLine("PROBED");
        run.received.awaitPayload("probe");
        assertThat(run.received.payloads()).as("memory persistence: none of the %d in-flight messages sent again; %s",
                count, run.second).containsExactly("probe");
    }

    @Test
    void qos2ListenerHaltedMidMessage_withFilePersistence_deliveredAgainAfterRestart() throws Exception {
        Child second = haltInQos2Listener(tempDir.resolve("subscriber-store"));

        second.awaitLine("GOT crash");
        String topic = second.option("topic");
        clients.started(clients.builder(BROKER)).publish(topic, "after", Qos.EXACTLY_ONCE, false).get();
        second.awaitLine("GOT after");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> second.got().size() == 2);
        assertThat(second.got()).as("the halted message delivered again, once, before the next; %s", second)
                .containsExactly("crash", "after");
    }

    @Test
    void qos2ListenerHaltedOnATopicPahoCannotRead_withFilePersistence_deliveredAgainUnderItsRealName()
            throws Exception {
        // Paho keeps the PUBLISH as it read it, under the alias mqttkit gave the emoji topic: the restarted process
        // must still know the real name
        Path store = tempDir.resolve("alias-store");
        String id = Clients.uniqueId("proc-alias");
        String filter = "proc/alias/" + id + "/+";
        String topic = "proc/alias/" + id + "/😀";
        List<String> args = List.of("mode=subscribe", "uri=" + BROKER.uri(), "id=" + id, "topic=" + filter, "qos=2",
                "persistence=" + store, "showTopic=true");
        List<String> halting = new ArrayList<>(args);
        halting.add("haltOn=crash");
        Child first = child(halting.toArray(new String[0]));
        first.awaitLine("STARTED");
        try (RawMqttClient publisher = RawMqttClient.connect(BROKER.uri(), Clients.uniqueId("raw-alias"))) {
            publisher.publishQos2(topic.getBytes(StandardCharsets.UTF_8), "crash");
        }
        assertThat(first.waitForExit()).as("the first child halted inside its listener; %s", first).isEqualTo(1);

        Child second = child(args.toArray(new String[0]));
        second.awaitLine("STARTED");

        second.awaitLine("GOT crash ON " + topic);
        assertThat(second.got()).as("delivered again under its real name; %s", second)
                .containsExactly("crash ON " + topic);
    }

    /**
     * Paho answers a QoS 2 PUBLISH with PUBREC at once and keeps the message in its store until the listener
     * returns; the broker then only sends PUBREL again. In memory, the message died with the process: the new
     * process answers the PUBREL with PUBCOMP and never sees the message.
     */
    @Test
    void qos2ListenerHaltedMidMessage_withMemoryPersistence_isLost() throws Exception {
        Child second = haltInQos2Listener(null);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> second.got().isEmpty());
        String topic = second.option("topic");
        clients.started(clients.builder(BROKER)).publish(topic, "after", Qos.EXACTLY_ONCE, false).get();
        second.awaitLine("GOT after");
        assertThat(second.got()).as("memory persistence: the halted QoS 2 message is lost; %s", second)
                .containsExactly("after");
    }

    /** The outcome of {@link #killPublisherWithMessagesInFlight}. */
    private record InFlight(Recorder received, Child second) {
    }

    /**
     * A child publishes {@code count} QoS 1 messages through a stalled proxy and is killed before any reaches
     * the broker; a second child with the same id and store then starts, connected straight to the broker.
     */
    private InFlight killPublisherWithMessagesInFlight(int count, Path store) throws Exception {
        FaultyProxy proxy = FaultyProxy.to(BROKER.port());
        proxies.add(proxy);
        String id = Clients.uniqueId("proc-pub");
        String topic = "proc/inflight/" + id;
        List<String> args = new ArrayList<>(List.of("mode=publish", "uri=" + proxy.uri(), "id=" + id,
                "topic=" + topic));
        if (store != null) {
            args.add("persistence=" + store);
        }
        Recorder received = new Recorder();
        clients.started(clients.builder(BROKER)).subscribe(topic, Qos.AT_LEAST_ONCE, received);

        Child first = child(args.toArray(new String[0]));
        first.awaitLine("STARTED");
        proxy.stall(); // before publishing: none of the messages reaches the broker, no PUBACK comes back
        first.send("PUBLISH " + count);
        first.awaitLine("PUBLISHED " + count);
        first.kill();
        assertThat(first.exitCode()).as("the first child died of SIGKILL; %s", first).isEqualTo(137);
        proxy.cut(); // drops the bytes held by the stall, and the broker sees the connection go
        proxy.resume();
        assertThat(received.messages()).as("nothing arrived before the kill").isEmpty();

        List<String> direct = new ArrayList<>(args);
        direct.set(1, "uri=" + BROKER.uri());
        Child second = child(direct.toArray(new String[0]));
        second.awaitLine("STARTED");
        return new InFlight(received, second);
    }

    /**
     * A durable QoS 2 subscriber halts its JVM inside the listener of message {@code crash}; a second one with
     * the same id and store starts once it is dead.
     */
    private Child haltInQos2Listener(Path store) throws Exception {
        String id = Clients.uniqueId("proc-qos2");
        String topic = "proc/qos2/" + id;
        List<String> args = new ArrayList<>(List.of("mode=subscribe", "uri=" + BROKER.uri(), "id=" + id,
                "topic=" + topic, "qos=2"));
        if (store != null) {
            args.add("persistence=" + store);
        }
        List<String> halting = new ArrayList<>(args);
        halting.add("haltOn=crash");
        Child first = child(halting.toArray(new String[0]));
        first.awaitLine("STARTED");

        clients.started(clients.builder(BROKER)).publish(topic, "crash", Qos.EXACTLY_ONCE, false).get();
        assertThat(first.waitForExit()).as("the first child halted inside its listener; %s", first).isEqualTo(1);
        assertThat(first.got()).as("the listener halted before finishing; %s", first).isEmpty();

        Child second = child(args.toArray(new String[0]));
        second.awaitLine("STARTED");
        return second;
    }

    private static Set<Integer> numbers(List<String> payloads) {
        return payloads.stream().map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> union = new TreeSet<>(a);
        union.addAll(b);
        return union;
    }

    private Child child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashingClient.class.getName()));
        command.addAll(List.of(args));
        Child child = new Child(new ProcessBuilder(command).redirectErrorStream(true).start(), List.of(args));
        children.add(child);
        return child;
    }

    /** A {@link CrashingClient} process: its output read line by line, its input for commands. */
    private static final class Child {

        private final Process process;
        private final List<String> args;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final List<String> got = new CopyOnWriteArrayList<>();
        private final Writer commands;
        private final Thread reader;
        private volatile boolean endOfOutput;

        Child(Process process, List<String> args) {
            this.process = process;
            this.args = args;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.reader = new Thread(this::read, "child-" + process.pid() + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("GOT ")) {
                        got.add(line.substring("GOT ".length()));
                    }
                    lines.add(line);
                }
                endOfOutput = true;
            } catch (IOException e) {
                lines.add("(reading the child's output failed: " + e + ")");
            }
        }

        String option(String key) {
            return args.stream().filter(arg -> arg.startsWith(key + "=")).map(arg -> arg.substring(key.length() + 1))
                    .findFirst().orElseThrow();
        }

        /** The payloads its listener reported, in order. */
        List<String> got() {
            return List.copyOf(got);
        }

        /** Whether every line it wrote was read: it ended and its output was read to the end. */
        boolean readToEnd() {
            return endOfOutput;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        void send(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
        }

        /** Waits until the child printed this line; fails at once if it died first. */
        void awaitLine(String line) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (lines.contains(line)) {
                    return true;
                }
                if (!process.isAlive() && !reader.isAlive() && !lines.contains(line)) {
                    throw new AssertionError("Child exited before printing [" + line + "]; " + this);
                }
                return false;
            });
        }

        /** Waits for the child to end by itself, and for the last of its output. */
        int waitForExit() throws InterruptedException {
            assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("child ended; %s", this).isTrue();
            reader.join(TIMEOUT.toMillis());
            return process.exitValue();
        }

        int exitCode() {
            return process.exitValue();
        }

        /** Stops it cleanly: it stops its client and exits 0. */
        void stop() throws Exception {
            send("STOP");
            assertThat(waitForExit()).as("child stopped cleanly; %s", this).isZero();
        }

        /** SIGKILL, then waits for it to be gone and for the last of its output; does nothing once it ended. */
        void kill() {
            if (process.isAlive()) {
                // through the handle: Process.destroyForcibly() also closes the output pipe, so the lines the child
                // wrote just before its death (a GOT of a message it acknowledged) would be lost to the reader
                process.toHandle().destroyForcibly();
            }
            try {
                process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                reader.join(TIMEOUT.toMillis());
                commands.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // its input pipe is already broken: the process is gone
            }
        }

        @Override
        public String toString() {
            List<String> other = lines.stream().filter(line -> !line.startsWith("GOT ")).collect(Collectors.toList());
            String exit = process.isAlive() ? "running" : "exit code " + process.exitValue();
            return "child " + process.pid() + " " + args + " (" + exit + ", " + got.size() + " GOT lines), other "
                    + "output: " + other.subList(Math.max(0, other.size() - 20), other.size());
        }
    }
}
