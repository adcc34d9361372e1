package dev.mqttkit.internal.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttPersistable;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;
import org.eclipse.paho.client.mqttv3.internal.MqttPersistentData;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttPublish;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttWireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class FilePersistenceTest {

    private static final String CLIENT = "sensor-42";
    private static final String SERVER = "tcp://127.0.0.1:1883";

    @TempDir
    Path directory;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logLogger = (Logger) LoggerFactory.getLogger(PersistenceLog.class);
    private FilePersistence persistence;

    @BeforeEach
    void open() throws Exception {
        logged.start();
        logLogger.addAppender(logged);
        persistence = new FilePersistence(directory);
        persistence.open(CLIENT, SERVER);
    }

    @AfterEach
    void close() throws Exception {
        logLogger.detachAppender(logged);
        persistence.close();
    }

    @Test
    void put_thenGet_returnsHeaderAndPayloadFromTheirOffsets() throws Exception {
        byte[] header = {9, 9, 0x32, 0x0a, 9};
        byte[] payload = "xxhello".getBytes(StandardCharsets.US_ASCII);
        persistence.put("s-1", new MqttPersistentData("s-1", header, 2, 2, payload, 2, 5));

        MqttPersistable stored = persistence.get("s-1");

        assertThat(slice(stored.getHeaderBytes(), stored.getHeaderOffset(), stored.getHeaderLength()))
                .containsExactly(0x32, 0x0a);
        assertThat(slice(stored.getPayloadBytes(), stored.getPayloadOffset(), stored.getPayloadLength()))
                .isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void putGetRemoveKeys_roundTrip_tracksEachKey() throws Exception {
        persistence.put("s-1", data("one"));
        persistence.put("r-2", data("two"));
        persistence.put("s-1", data("one again"));

        assertThat(Collections.list(persistence.keys())).containsExactly("s-1", "r-2");
        assertThat(payloadOf(persistence.get("s-1"))).isEqualTo("one again");
        assertThat(persistence.containsKey("r-2")).isTrue();

        persistence.remove("s-1");

        assertThat(Collections.list(persistence.keys())).containsExactly("r-2");
        assertThat(persistence.get("s-1")).isNull();
        assertThat(persistence.containsKey("s-1")).isFalse();
        assertThat(payloadOf(persistence.get("r-2"))).isEqualTo("two");
    }

    @Test
    void put_pahoPublish_restoresTheSameMessage() throws Exception {
        MqttMessage message = new MqttMessage("21.5".getBytes(StandardCharsets.US_ASCII));
        message.setQos(1);
        MqttPublish publish = new MqttPublish("building/7/sensor/42/temperature", message);
        publish.setMessageId(17);
        persistence.put("s-17", publish);
        persistence.close();
        persistence.open(CLIENT, SERVER);

        MqttPublish restored = (MqttPublish) MqttWireMessage.createWireMessage(persistence.get("s-17"));

        assertThat(restored.getTopicName()).isEqualTo("building/7/sensor/42/temperature");
        assertThat(restored.getMessageId()).isEqualTo(17);
        assertThat(restored.getMessage().getQos()).isEqualTo(1);
        assertThat(new String(restored.getMessage().getPayload(), StandardCharsets.US_ASCII)).isEqualTo("21.5");
    }

    @Test
    void remove_absentKey_writesNothing() throws Exception {
        persistence.put("s-1", data("one"));
        long size = Files.size(persistence.logFile());

        persistence.remove("sb-1");
        persistence.remove("sc-1");

        assertThat(Files.size(persistence.logFile())).isEqualTo(size);
        assertThat(Collections.list(persistence.keys())).containsExactly("s-1");
    }

    @Test
    void keys_removedWhileWalked_walksTheSnapshot() throws Exception {
        persistence.put("s-1", data("one"));
        persistence.put("s-2", data("two"));

        Enumeration<String> keys = persistence.keys();
        persistence.remove(keys.nextElement());

        assertThat(keys.nextElement()).isEqualTo("s-2");
        assertThat(Collections.list(persistence.keys())).containsExactly("s-2");
    }

    @Test
    void closeThenOpen_asPahoDoesOnReconnect_keepsTheData() throws Exception {
        persistence.put("s-1", data("one"));
        persistence.put("s-2", data("two"));
        persistence.remove("s-1");

        for (int i = 0; i < 3; i++) {
            persistence.close();
            persistence.open(CLIENT, SERVER);
        }

        assertThat(Collections.list(persistence.keys())).containsExactly("s-2");
        assertThat(payloadOf(persistence.get("s-2"))).isEqualTo("two");
    }

    @Test
    void open_alreadyOpen_keepsTheDataAndTheLock() throws Exception {
        persistence.put("s-1", data("one"));

        persistence.open(CLIENT, SERVER);

        assertThat(payloadOf(persistence.get("s-1"))).isEqualTo("one");
        assertThatThrownBy(() -> new FilePersistence(directory).open(CLIENT, SERVER))
                .isInstanceOf(MqttPersistenceException.class);
    }

    @Test
    void newInstance_sameDirectoryAfterClose_restoresTheData() throws Exception {
        persistence.put("s-1", data("one"));
        persistence.put("r-7", data("seven"));
        persistence.close();

        FilePersistence restarted = new FilePersistence(directory);
        restarted.open(CLIENT, SERVER);
        try {
            assertThat(Collections.list(restarted.keys())).containsExactly("s-1", "r-7");
            assertThat(payloadOf(restarted.get("r-7"))).isEqualTo("seven");
        } finally {
            restarted.close();
        }
    }

    @Test
    void open_otherServerUri_sameLog_theSessionBelongsToTheClientId() throws Exception {
        persistence.put("s-1", data("one"));
        persistence.close();

        persistence.open(CLIENT, "ssl://elsewhere:8883"); // a failover broker, or localhost for 127.0.0.1

        assertThat(Collections.list(persistence.keys())).containsExactly("s-1");
    }

    @Test
    void fileBase_oddCharacters_replacedAndHashed() {
        String base = FilePersistence.fileBase(".a/b:c*\u00e9", SERVER);

        assertThat(base).matches("_a_b_c__-[0-9a-f]{10}");
        assertThat(FilePersistence.fileBase("", SERVER)).matches("client-[0-9a-f]{10}");
        assertThat(FilePersistence.fileBase("a/b", SERVER)).isNotEqualTo(FilePersistence.fileBase("a:b", SERVER));
        assertThat(FilePersistence.fileBase("a", SERVER)).isEqualTo(FilePersistence.fileBase("a", "tcp://x:1"));
    }

    @Test
    void open_tornLastRecord_dropsItKeepsTheOthersAndWarnsOnce() throws Exception {
        persistence.put("s-1", data("one"));
        persistence.put("s-2", data("two"));
        Path log = persistence.logFile();
        long intact = Files.size(log);
        persistence.put("s-3", data("three"));
        persistence.close();
        truncate(log, Files.size(log) - 3);
        long dropped = Files.size(log) - intact;

        persistence.open(CLIENT, SERVER);

        assertThat(Collections.list(persistence.keys())).containsExactly("s-1", "s-2");
        assertThat(payloadOf(persistence.get("s-2"))).isEqualTo("two");
        assertThat(Files.size(log)).isEqualTo(intact);
        assertThat(warnings()).singleElement().asString()
                .startsWith("Dropped " + dropped + " bytes at the end of persistence log " + log
                        + " (a record of ")
                .endsWith("bytes cut short): the process stopped while writing them; the 2 keys before them are "
                        + "intact");

        persistence.put("s-4", data("four"));
        persistence.close();
        persistence.open(CLIENT, SERVER);
        assertThat(Collections.list(persistence.keys())).containsExactly("s-1", "s-2", "s-4");
        assertThat(warnings()).hasSize(1);
    }

    @Test
    void open_tornRecordHeader_dropsIt() throws Exception {
        persistence.put("s-1", data("one"));
        Path log = persistence.logFile();
        persistence.close();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            file.seek(file.length());
            file.write(new byte[] {0, 0, 0});
        }

        persistence.open(CLIENT, SERVER);

        assertThat(Collections.list(persistence.keys())).containsExactly("s-1");
        assertThat(warnings()).singleElement().asString().startsWith("Dropped 3 bytes at the end of persistence log");
    }

    @Test
    void open_damagedLastRecord_dropsItAsTorn() throws Exception {
        persistence.put("s-1", data("one"));
        persistence.put("s-2", data("two"));
        Path log = persistence.logFile();
        persistence.close();
        flipByte(log, Files.size(log) - 1);

        persistence.open(CLIENT, SERVER);

        assertThat(Collections.list(persistence.keys())).containsExactly("s-1");
        assertThat(warnings()).singleElement().asString().contains("(a record whose checksum does not match)");
    }

    @Test
    void open_damagedRecordBeforeTheEnd_refusedWithTheFileAndPositionAndLeavesTheFile() throws Exception {
        persistence.put("s-1", data("one"));
        persistence.put("s-2", data("two"));
        Path log = persistence.logFile();
        persistence.close();
        long size = Files.size(log);
        flipByte(log, 4 + 8 + 5); // a byte of the first record's key: 4 magic, 8 record header, type and length

        assertThatThrownBy(() -> persistence.open(CLIENT, SERVER))
                .isInstanceOf(MqttPersistenceException.class)
                .hasMessage("Persistence log " + log + " is damaged at byte 4: its CRC32 does not match. The "
                        + "messages it holds cannot all be restored; move the file aside to start this client "
                        + "with an empty store.");
        assertThat(Files.size(log)).isEqualTo(size);
        assertThatThrownBy(() -> persistence.get("s-2")).isInstanceOf(MqttPersistenceException.class);
    }

    @Test
    void open_notOurFile_refused() throws Exception {
        Path log = persistence.logFile();
        persistence.close();
        Files.write(log, "hello world".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> persistence.open(CLIENT, SERVER))
                .hasMessage("File " + log + " is not an mqttkit persistence log: it starts with 0x68656c6c, "
                        + "expected 0x4d4b5031.");
    }

    @Test
    void open_secondInstanceSameClient_refusedUntilTheFirstCloses() throws Exception {
        persistence.put("s-1", data("one"));
        Path lock = persistence.logFile().resolveSibling(FilePersistence.fileBase(CLIENT, SERVER) + ".lock");
        FilePersistence second = new FilePersistence(directory);

        assertThatThrownBy(() -> second.open(CLIENT, SERVER))
                .isInstanceOf(MqttPersistenceException.class)
                .hasMessage("Persistence file " + lock + " is locked: another client with this id (sensor-42) is "
                        + "using it, in this process or another. Close that client first, or give this one an id "
                        + "of its own.")
                .extracting(e -> ((MqttPersistenceException) e).getReasonCode())
                .isEqualTo((int) MqttPersistenceException.REASON_CODE_PERSISTENCE_IN_USE);
        assertThatThrownBy(() -> second.get("s-1")).isInstanceOf(MqttPersistenceException.class);

        persistence.close();
        second.open(CLIENT, SERVER);
        try {
            assertThat(payloadOf(second.get("s-1"))).isEqualTo("one");
        } finally {
            second.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void open_lockedByAnotherProcess_refused() throws Exception {
        persistence.close();
        Process child = startChild("other-process", 1);
        try {
            FilePersistence mine = new FilePersistence(directory);

            assertThatThrownBy(() -> mine.open("other-process", SERVER))
                    .hasMessageContaining("is locked: another client with this id (other-process) is using it");
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void open_afterTheWriterWasKilled_restoresWhatItHadWritten() throws Exception {
        persistence.close();
        Process child = startChild("killed", 500);
        child.destroyForcibly().waitFor(); // SIGKILL: no close(), no shutdown hook

        FilePersistence restarted = new FilePersistence(directory);
        restarted.open("killed", SERVER);
        try {
            List<String> keys = Collections.list(restarted.keys());
            assertThat(keys).hasSize(499).first().isEqualTo("s-2");
            assertThat(keys).last().isEqualTo("s-500");
            assertThat(payloadOf(restarted.get("s-500"))).isEqualTo("message 500");
        } finally {
            restarted.close();
        }
    }

    @Test
    void compaction_manyDeadRecords_shrinksTheFileAndKeepsLiveData() throws Exception {
        persistence.close();
        FilePersistence small = new FilePersistence(directory, 1024);
        small.open(CLIENT, SERVER);
        try {
            small.put("r-1", data("kept"));
            long written = 0;
            for (int i = 2; i < 2_000; i++) {
                small.put("s-" + i, data("message " + i + " ".repeat(80)));
                small.remove("s-" + i);
                written += 2 * 100;
            }
            small.put("s-5", data("five"));
            Path log = small.logFile();

            assertThat(Files.size(log)).isLessThan(3 * 1024).isLessThan(written / 100);
            assertThat(Files.exists(log.resolveSibling(log.getFileName() + ".tmp"))).isFalse();
            small.close();
            small.open(CLIENT, SERVER);
            assertThat(Collections.list(small.keys())).containsExactly("r-1", "s-5");
            assertThat(payloadOf(small.get("r-1"))).isEqualTo("kept");
            assertThat(payloadOf(small.get("s-5"))).isEqualTo("five");
        } finally {
            small.close();
        }
    }

    @Test
    void compaction_defaultThreshold_notBeforeFourMebibytesDead() throws Exception {
        byte[] payload = new byte[1000];
        for (int i = 0; i < 3_000; i++) {
            persistence.put("s-1", new MqttPersistentData("s-1", new byte[] {0x32}, 0, 1, payload, 0, 1000));
        }
        long before = Files.size(persistence.logFile());
        for (int i = 0; i < 2_000; i++) {
            persistence.put("s-1", new MqttPersistentData("s-1", new byte[] {0x32}, 0, 1, payload, 0, 1000));
        }

        assertThat(before).isGreaterThan(3_000_000);
        assertThat(Files.size(persistence.logFile())).isLessThan(before);
        assertThat(persistence.get("s-1").getPayloadLength()).isEqualTo(1000);
    }

    @Test
    void clear_emptiesTheStoreAndTheFile() throws Exception {
        persistence.put("s-1", data("one"));
        persistence.put("s-2", data("two"));

        persistence.clear();

        assertThat(Collections.list(persistence.keys())).isEmpty();
        assertThat(Files.size(persistence.logFile())).isEqualTo(4);
        persistence.put("s-3", data("three"));
        persistence.close();
        persistence.open(CLIENT, SERVER);
        assertThat(Collections.list(persistence.keys())).containsExactly("s-3");
    }

    @Test
    void put_fromAnInterruptedThread_storesAndStaysUsable() throws Exception {
        Thread.currentThread().interrupt();
        try {
            persistence.put("s-1", data("one"));
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }

        persistence.put("s-2", data("two"));
        persistence.close();
        persistence.open(CLIENT, SERVER);
        assertThat(Collections.list(persistence.keys())).containsExactly("s-1", "s-2");
    }

    @Test
    void put_whenClosed_throws() throws Exception {
        persistence.close();

        assertThatThrownBy(() -> persistence.put("s-1", data("one")))
                .isInstanceOf(MqttPersistenceException.class)
                .hasMessage("Persistence in " + directory.toAbsolutePath().normalize()
                        + " is closed: open() it first");
    }

    private static MqttPersistable data(String payload) {
        byte[] header = {0x32, 0x0a, 0, 1, 't', 0, 1};
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return new MqttPersistentData("unused", header, 0, header.length, bytes, 0, bytes.length);
    }

    private static String payloadOf(MqttPersistable stored) throws MqttPersistenceException {
        return new String(slice(stored.getPayloadBytes(), stored.getPayloadOffset(), stored.getPayloadLength()),
                StandardCharsets.UTF_8);
    }

    private static byte[] slice(byte[] bytes, int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0xff);
        }
    }

    /** Starts {@link OtherClientProcess} in a JVM of its own and waits until it has written its messages. */
    private Process startChild(String clientId, int messages) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OtherClientProcess.class.getName(), directory.toString(), clientId, SERVER, String.valueOf(messages))
                .redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = output.readLine()) != null; ) {
            if (line.equals("ready")) {
                return child;
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the child JVM ended without writing its messages:\n" + seen);
    }

    /** Another client process: writes messages, says so, and waits to be killed. */
    static final class OtherClientProcess {

        private OtherClientProcess() {
        }

        public static void main(String[] args) throws Exception {
            FilePersistence persistence = new FilePersistence(Path.of(args[0]));
            persistence.open(args[1], args[2]);
            int messages = Integer.parseInt(args[3]);
            for (int i = 1; i <= messages; i++) {
                persistence.put("s-" + i, data("message " + i));
            }
            persistence.remove("s-1");
            System.out.println("ready");
            System.out.flush();
            System.in.read();
        }
    }
}
