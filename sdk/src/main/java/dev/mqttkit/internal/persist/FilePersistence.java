package dev.mqttkit.internal.persist;

import dev.mqttkit.internal.Logs;
import dev.mqttkit.internal.persist.PersistenceLog.DamagedLogException;
import dev.mqttkit.internal.persist.PersistenceLog.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttPersistable;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;
import org.eclipse.paho.client.mqttv3.internal.MqttPersistentData;
import org.slf4j.Logger;

/**
 * A Paho {@link MqttClientPersistence} that keeps the QoS 1 and 2 messages in flight, outbound and inbound, in
 * one append-only log file per client, so that they survive a crash or restart of the client process.
 *
 * <pre>{@code
 * MqttClientPersistence persistence = new FilePersistence(Path.of("state/mqtt"));
 * MqttAsyncClient client = new MqttAsyncClient("tcp://broker:1883", "sensor-42", persistence);
 * }</pre>
 *
 * <p><strong>Durability.</strong> Every {@code put} and {@code remove} is one {@code write} call to the operating
 * system, with no {@code fsync}: once the call returns the record is in the kernel's page cache, so it survives
 * the client process being killed or crashing, but not a power cut or a kernel crash, which may lose the last
 * few seconds of records. That is what makes it fast next to Paho's {@code MqttDefaultFilePersistence}, which
 * creates, writes and deletes one file per message.
 *
 * <p><strong>Files.</strong> For a client id (whatever server URI) the directory holds {@code <id>-<hash>.log} and
 * {@code <id>-<hash>.lock}: {@code <id>} is the client id with every character outside {@code [A-Za-z0-9._-]}
 * replaced by {@code _} and {@code <hash>} a short hash of the client id. Each record in the log
 * has a length and a CRC32. On {@link #open} the log is replayed into memory: a torn last record (the process
 * stopped mid-write) is cut off with one WARN, and a damaged record before the end makes {@code open} fail
 * rather than silently lose the messages after it. Once more than {@value #COMPACTION_THRESHOLD} bytes, and more
 * than half, of the log are dead records, the live ones are rewritten to a new file that atomically replaces it.
 *
 * <p><strong>Locking.</strong> While open, an instance holds an exclusive lock on the lock file: a second
 * instance, in this process or another, for the same client id is refused until the first is
 * closed. Paho closes its persistence on every connection loss and opens it again on reconnect; the data stays
 * on disk in between.
 *
 * <p>Thread-safe: Paho calls it from several threads, its own and the application's; every method is
 * {@code synchronized}. Not API: used by mqttkit, and may change in any release.
 */
public final class FilePersistence implements MqttClientPersistence {

    /** Dead bytes in the log above which it is compacted, provided they are also more than half of it. */
    public static final long COMPACTION_THRESHOLD = 4L * 1024 * 1024;

    private static final Logger LOG = Logs.get(FilePersistence.class);

    /**
     * Lock files held by open instances in this JVM, checked before the lock file is even opened: on POSIX
     * systems closing any channel on a file drops every lock the process holds on it, so a refused second
     * instance must not open and close a channel of its own on the file.
     */
    private static final Set<Path> HELD_LOCKS = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final long compactionThreshold;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private String openClientId;
    private String openServerUri;
    private PersistenceLog log;
    private Path lockFile;
    private FileChannel lockChannel;
    private FileLock lock;
    private long liveBytes;
    private long noCompactionBefore;

    /**
     * Creates a persistence that keeps its files in a directory; nothing is read before {@link #open}.
     *
     * @param directory where the log and lock files go; created, with its parents, if missing
     * @throws UncheckedIOException if the directory cannot be created
     */
    public FilePersistence(Path directory) {
        this(directory, COMPACTION_THRESHOLD);
    }

    FilePersistence(Path directory, long compactionThreshold) {
        this.directory = directory.toAbsolutePath().normalize();
        this.compactionThreshold = compactionThreshold;
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the persistence directory " + this.directory, e);
        }
    }

    /**
     * Opens the log of a client id and server URI, creating it if missing, and reads it into memory. Does nothing
     * if that log is already open; closes first if another one is.
     *
     * @param clientId the client id
     * @param serverURI the server URI the client was created with
     * @throws MqttPersistenceException if another client with this id holds the log, the log is damaged before
     *         its last record, or it cannot be read
     */
    @Override
    public synchronized void open(String clientId, String serverURI) throws MqttPersistenceException {
        if (log != null) {
            if (clientId.equals(openClientId) && serverURI.equals(openServerUri)) {
                return;
            }
            close();
        }
        String base = fileBase(clientId, serverURI);
        Path lockPath;
        try {
            Files.createDirectories(directory);
            lockPath = directory.toRealPath().resolve(base + ".lock");
        } catch (IOException e) {
            throw failure("Cannot open the persistence directory " + directory + ": " + e, e);
        }
        acquireLock(lockPath, clientId);
        Path logPath = lockPath.resolveSibling(base + ".log");
        try {
            log = PersistenceLog.open(logPath, entries);
        } catch (DamagedLogException e) {
            release();
            throw failure(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            release();
            throw failure("Cannot open the persistence log " + logPath + ": " + e, e);
        }
        liveBytes = 0;
        entries.values().forEach(entry -> liveBytes += entry.recordSize());
        noCompactionBefore = 0;
        openClientId = clientId;
        openServerUri = serverURI;
        LOG.debug("Opened {}: {} keys in {} bytes", logPath, entries.size(), log.size());
        compactIfWorthIt();
    }

    /**
     * Closes the log and releases its lock; the data stays on disk for the next {@link #open}. Does nothing if
     * not open.
     *
     * @throws MqttPersistenceException if the log cannot be closed
     */
    @Override
    public synchronized void close() throws MqttPersistenceException {
        if (log == null) {
            return;
        }
        Path file = log.file();
        try {
            log.close();
        } catch (IOException e) {
            throw failure("Cannot close the persistence log " + file + ": " + e, e);
        } finally {
            release();
        }
    }

    /**
     * Stores a persistable's header and payload under a key, replacing any data already there.
     *
     * @param key the key, such as Paho's {@code s-17} for outbound message 17 in flight
     * @param persistable the data
     * @throws MqttPersistenceException if not open, or the record cannot be written
     */
    @Override
    public synchronized void put(String key, MqttPersistable persistable) throws MqttPersistenceException {
        checkOpen();
        byte[] header = copy(persistable.getHeaderBytes(), persistable.getHeaderOffset(),
                persistable.getHeaderLength());
        byte[] payload = copy(persistable.getPayloadBytes(), persistable.getPayloadOffset(),
                persistable.getPayloadLength());
        int recordSize;
        try {
            recordSize = log.appendPut(key, header, payload);
        } catch (IOException e) {
            throw failure("Cannot write key " + key + " to the persistence log " + log.file() + ": " + e, e);
        }
        Entry previous = entries.put(key, new Entry(header, payload, recordSize));
        liveBytes += recordSize - (previous == null ? 0 : previous.recordSize());
        compactIfWorthIt();
    }

    /**
     * Returns the data stored under a key.
     *
     * @param key the key
     * @return a copy of the header and payload as they were put, or {@code null} if the key is absent
     * @throws MqttPersistenceException if not open
     */
    @Override
    public synchronized MqttPersistable get(String key) throws MqttPersistenceException {
        checkOpen();
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        return new MqttPersistentData(key, entry.header(), 0, entry.header().length, entry.payload(), 0,
                entry.payload().length);
    }

    /**
     * Removes the data stored under a key. Nothing is written if the key is absent: Paho removes keys it never
     * put, such as the {@code sb-} and {@code sc-} keys of each acknowledged QoS 1 message.
     *
     * @param key the key
     * @throws MqttPersistenceException if not open, or the record cannot be written
     */
    @Override
    public synchronized void remove(String key) throws MqttPersistenceException {
        checkOpen();
        Entry entry = entries.get(key);
        if (entry == null) {
            return;
        }
        try {
            log.appendRemove(key);
        } catch (IOException e) {
            throw failure("Cannot remove key " + key + " in the persistence log " + log.file() + ": " + e, e);
        }
        entries.remove(key);
        liveBytes -= entry.recordSize();
        compactIfWorthIt();
    }

    /**
     * Returns the keys stored, as a snapshot: Paho removes keys while it walks them.
     *
     * @return the keys, in the order they were first put
     * @throws MqttPersistenceException if not open
     */
    @Override
    public synchronized Enumeration<String> keys() throws MqttPersistenceException {
        checkOpen();
        return Collections.enumeration(new ArrayList<>(entries.keySet()));
    }

    /**
     * Removes every key, truncating the log.
     *
     * @throws MqttPersistenceException if not open, or the log cannot be truncated
     */
    @Override
    public synchronized void clear() throws MqttPersistenceException {
        checkOpen();
        try {
            log.truncate();
        } catch (IOException e) {
            throw failure("Cannot truncate the persistence log " + log.file() + ": " + e, e);
        }
        entries.clear();
        liveBytes = 0;
        noCompactionBefore = 0;
    }

    /**
     * Tells whether data is stored under a key.
     *
     * @param key the key
     * @return {@code true} if it is
     * @throws MqttPersistenceException if not open
     */
    @Override
    public synchronized boolean containsKey(String key) throws MqttPersistenceException {
        checkOpen();
        return entries.containsKey(key);
    }

    /** The log file of the open client, for tests and diagnostics; {@code null} when closed. */
    synchronized Path logFile() {
        return log == null ? null : log.file();
    }

    /** The file name, without extension, for a client id; the server URI plays no part (see the class comment). */
    static String fileBase(String clientId, String serverUri) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < clientId.length() && name.length() < 48; i++) {
            char c = clientId.charAt(i);
            boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                    || c == '_' || c == '.' && i > 0; // no leading dot: that would hide the file
            name.append(safe ? c : '_');
        }
        if (name.length() == 0) {
            name.append("client"); // Paho allows an empty client id with a clean session
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // the client id alone: a session is the client id's, whichever address (or failover broker) reached it
            byte[] digest = sha.digest(clientId.getBytes(StandardCharsets.UTF_8));
            return name + "-" + HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void acquireLock(Path lockPath, String clientId) throws MqttPersistenceException {
        if (!HELD_LOCKS.add(lockPath)) {
            throw inUse(lockPath, clientId);
        }
        FileChannel channel = null;
        try {
            // a lock file of its own, as the log is replaced by compaction and a lock on it would go with it
            channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired = channel.tryLock();
            if (acquired == null) {
                throw inUse(lockPath, clientId);
            }
            lockFile = lockPath;
            lockChannel = channel;
            lock = acquired;
        } catch (IOException | OverlappingFileLockException | MqttPersistenceException e) {
            HELD_LOCKS.remove(lockPath);
            closeQuietly(channel);
            if (e instanceof MqttPersistenceException refused) {
                throw refused;
            }
            throw failure("Cannot lock the persistence file " + lockPath + ": " + e, e);
        }
    }

    private static MqttPersistenceException inUse(Path lockPath, String clientId) {
        return new Failure(MqttPersistenceException.REASON_CODE_PERSISTENCE_IN_USE, "Persistence file " + lockPath
                + " is locked: another client with this id (" + clientId + ") is using it, in this process or "
                + "another. Close that client first, or give this one an id of its own.", null);
    }

    private void compactIfWorthIt() throws MqttPersistenceException {
        long size = log.size();
        long dead = size - PersistenceLog.FILE_HEADER - liveBytes;
        if (dead <= compactionThreshold || dead <= size / 2 || size < noCompactionBefore) {
            return;
        }
        try {
            log.rewrite(entries);
            LOG.debug("Compacted {}: {} keys, {} -> {} bytes", log.file(), entries.size(), size, log.size());
        } catch (IOException e) {
            if (!log.isOpen()) {
                Path file = log.file();
                release();
                throw failure("Cannot reopen the persistence log " + file + " after compacting it: " + e, e);
            }
            // the log is still whole: go on appending to it, and try again once it has grown some more
            noCompactionBefore = size + compactionThreshold;
            LOG.warn("Cannot compact the persistence log {}, appending to it as it is: {}", log.file(), e.toString());
        }
    }

    private static byte[] copy(byte[] bytes, int offset, int length) {
        return bytes == null || length == 0 ? new byte[0] : Arrays.copyOfRange(bytes, offset, offset + length);
    }

    private void checkOpen() throws MqttPersistenceException {
        if (log == null) {
            throw failure("Persistence in " + directory + " is closed: open() it first", null);
        }
    }

    /** Forgets the open log, which the caller has closed or failed to open, and releases the lock. */
    private void release() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.debug("Closing {}: {}", log.file(), e.toString());
            }
        }
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.debug("Releasing the lock on {}: {}", lockFile, e.toString());
            }
        }
        closeQuietly(lockChannel);
        if (lockFile != null) {
            HELD_LOCKS.remove(lockFile);
        }
        log = null;
        lock = null;
        lockChannel = null;
        lockFile = null;
        openClientId = null;
        openServerUri = null;
        entries.clear();
        liveBytes = 0;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing a persistence lock file: {}", e.toString());
            }
        }
    }

    private static MqttPersistenceException failure(String message, Throwable cause) {
        return new Failure(MqttPersistenceException.REASON_CODE_CLIENT_EXCEPTION, message, cause);
    }

    /** Paho's exception, which takes no message of its own, with ours. */
    private static final class Failure extends MqttPersistenceException {

        private static final long serialVersionUID = 1L;

        private final String message;

        Failure(int reasonCode, String message, Throwable cause) {
            super(reasonCode, cause);
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
