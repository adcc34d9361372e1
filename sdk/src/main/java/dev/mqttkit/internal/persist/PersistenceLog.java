package dev.mqttkit.internal.persist;

import dev.mqttkit.internal.Logs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import org.slf4j.Logger;

/**
 * The append-only file behind {@link FilePersistence}: its record format, appending, replaying and rewriting.
 *
 * <p>The file starts with the magic {@code MKP1}; then records, big-endian: {@code int bodyLength, int crc32,
 * body}, the CRC32 covering the length field and the body. A body is {@code byte type (1 put, 2 remove),
 * unsigned short keyLength, key as UTF-8}, and for a put {@code int headerLength, header, payload} (the payload
 * is the rest of the body). Not thread-safe: {@link FilePersistence} serialises the calls.
 */
final class PersistenceLog implements Closeable {

    /** The data of one live key, and the size of its put record on disk. */
    record Entry(byte[] header, byte[] payload, int recordSize) {
    }

    /** A record before the end of the log fails its checks: the messages after it cannot be trusted. */
    static final class DamagedLogException extends IOException {

        private static final long serialVersionUID = 1L;

        DamagedLogException(String message) {
            super(message);
        }
    }

    static final int FILE_HEADER = 4;

    private static final Logger LOG = Logs.get(PersistenceLog.class);

    private static final int MAGIC = 0x4D4B5031; // "MKP1"
    private static final int RECORD_HEADER = 8;
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    private static final int MIN_BODY = 3;
    private static final int MAX_BODY = Integer.MAX_VALUE - 64;
    private static final int MAX_KEY = 0xFFFF;
    private static final int MAX_CACHED_SCRATCH = 1024 * 1024;

    private final Path file;
    private final CRC32 crc = new CRC32();
    private byte[] scratch = new byte[8 * 1024];
    /*
     * Not a FileChannel: that is an interruptible channel, which closes for good when a thread with its interrupt
     * flag set writes to it, and Paho writes from the application's threads.
     */
    private RandomAccessFile out;
    private long size;
    private boolean reposition;

    private PersistenceLog(Path file) {
        this.file = file;
    }

    /**
     * Opens a log, creating it if missing, and replays it into a map; a torn last record is cut off.
     *
     * @param file the log file
     * @param entries filled with the live keys, in the order they were first put
     * @return the log, ready to append to
     * @throws DamagedLogException if a record before the end is damaged
     * @throws IOException if the file cannot be read or written
     */
    static PersistenceLog open(Path file, Map<String, Entry> entries) throws IOException {
        Files.deleteIfExists(temporaryFile(file)); // left by a crash while rewriting; the log itself is whole
        PersistenceLog log = new PersistenceLog(file);
        log.out = new RandomAccessFile(file.toFile(), "rw");
        try {
            log.replay(entries);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    Path file() {
        return file;
    }

    /** The length of the file, dead records included. */
    long size() {
        return size;
    }

    /**
     * Appends a put record.
     *
     * @return the record's size on disk
     */
    int appendPut(String key, byte[] header, byte[] payload) throws IOException {
        return append(encode(PUT, key, header, payload));
    }

    /** Appends a remove record. */
    void appendRemove(String key) throws IOException {
        append(encode(REMOVE, key, null, null));
    }

    /** Drops every record. */
    void truncate() throws IOException {
        reposition = true;
        out.setLength(FILE_HEADER);
        size = FILE_HEADER;
    }

    /**
     * Replaces the file, atomically, by one holding only the put records of the live keys.
     *
     * @param entries the live keys
     */
    void rewrite(Map<String, Entry> entries) throws IOException {
        Path temporary = temporaryFile(file);
        long written = FILE_HEADER;
        try {
            try (FileOutputStream stream = new FileOutputStream(temporary.toFile());
                    BufferedOutputStream buffered = new BufferedOutputStream(stream, 64 * 1024)) {
                buffered.write(ByteBuffer.allocate(FILE_HEADER).putInt(MAGIC).array());
                for (Map.Entry<String, Entry> live : entries.entrySet()) {
                    Entry entry = live.getValue();
                    buffered.write(encode(PUT, live.getKey(), entry.header(), entry.payload()), 0,
                            entry.recordSize());
                    written += entry.recordSize();
                }
                buffered.flush();
                // without it a power cut soon after the move could replace a log long on disk by an empty file
                stream.getFD().sync();
            }
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw e;
        }
        out.close(); // before the move, for file systems that refuse to replace an open file
        out = null;
        IOException moveFailure = null;
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            size = written;
        } catch (IOException e) {
            moveFailure = e;
            deleteQuietly(temporary);
        }
        try {
            out = new RandomAccessFile(file.toFile(), "rw");
        } catch (IOException e) {
            if (moveFailure != null) {
                e.addSuppressed(moveFailure);
            }
            throw e;
        }
        reposition = true;
        if (moveFailure != null) {
            throw moveFailure;
        }
    }

    /** Tells whether the file is open: {@code false} after {@link #close} or a rewrite that could not reopen it. */
    boolean isOpen() {
        return out != null;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            RandomAccessFile closing = out;
            out = null;
            closing.close();
        }
    }

    private void replay(Map<String, Entry> entries) throws IOException {
        long fileSize = out.length();
        if (fileSize < FILE_HEADER) {
            // new, or the process stopped while creating it
            out.setLength(0);
            out.writeInt(MAGIC);
            size = FILE_HEADER;
            return;
        }
        long position = FILE_HEADER;
        String torn = null;
        try (DataInputStream in = new DataInputStream(
                new BufferedInputStream(new FileInputStream(file.toFile()), 64 * 1024))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new DamagedLogException("File " + file + " is not an mqttkit persistence log: it starts with 0x"
                        + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + ".");
            }
            byte[] lengthBytes = new byte[4];
            while (position < fileSize) {
                long remaining = fileSize - position;
                if (remaining < RECORD_HEADER) {
                    torn = "an incomplete record header";
                    break;
                }
                int length = in.readInt();
                int expectedCrc = in.readInt();
                if (length < MIN_BODY || length > MAX_BODY) {
                    if (zeroFilled(position)) {
                        torn = "zero bytes";
                        break;
                    }
                    throw damaged(position, "its length field is " + length);
                }
                if (length > remaining - RECORD_HEADER) {
                    torn = "a record of " + length + " bytes cut short";
                    break;
                }
                byte[] body = new byte[length];
                in.readFully(body);
                crc.reset();
                ByteBuffer.wrap(lengthBytes).putInt(0, length);
                crc.update(lengthBytes);
                crc.update(body);
                long end = position + RECORD_HEADER + length;
                if ((int) crc.getValue() != expectedCrc) {
                    // a crash mid-write damages only the last record; one that is followed by more is damage
                    if (end == fileSize || zeroFilled(position)) {
                        torn = "a record whose checksum does not match";
                        break;
                    }
                    throw damaged(position, "its CRC32 does not match");
                }
                apply(body, RECORD_HEADER + length, position, entries);
                position = end;
            }
        }
        if (torn != null) {
            LOG.warn("Dropped {} bytes at the end of persistence log {} ({}): the process stopped while writing "
                    + "them; the {} keys before them are intact", fileSize - position, file, torn, entries.size());
            out.setLength(position);
        }
        size = position;
        out.seek(size);
    }

    private void apply(byte[] body, int recordSize, long position, Map<String, Entry> entries)
            throws DamagedLogException {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte type = in.get();
        int keyLength = Short.toUnsignedInt(in.getShort());
        int headerStart = MIN_BODY + keyLength;
        if (type != PUT && type != REMOVE || keyLength > in.remaining()
                || type == PUT && headerStart + 4 > body.length) {
            throw damaged(position, "its type " + type + " or key length " + keyLength + " is not valid");
        }
        String key = new String(body, MIN_BODY, keyLength, StandardCharsets.UTF_8);
        if (type == REMOVE) {
            entries.remove(key);
            return;
        }
        int headerLength = in.getInt(headerStart);
        int payloadStart = headerStart + 4 + headerLength;
        if (headerLength < 0 || payloadStart > body.length) {
            throw damaged(position, "its header length " + headerLength + " is not valid");
        }
        byte[] header = Arrays.copyOfRange(body, headerStart + 4, payloadStart);
        byte[] payload = Arrays.copyOfRange(body, payloadStart, body.length);
        entries.put(key, new Entry(header, payload, recordSize));
    }

    private boolean zeroFilled(long from) throws IOException {
        // after a power cut some file systems show a region allocated but never written as zeros
        byte[] chunk = new byte[64 * 1024];
        out.seek(from);
        for (int read; (read = out.read(chunk)) > 0; ) {
            for (int i = 0; i < read; i++) {
                if (chunk[i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private DamagedLogException damaged(long position, String why) {
        return new DamagedLogException("Persistence log " + file + " is damaged at byte " + position + ": " + why
                + ". The messages it holds cannot all be restored; move the file aside to start this client with "
                + "an empty store.");
    }

    private int append(byte[] record) throws IOException {
        int recordSize = RECORD_HEADER + ByteBuffer.wrap(record).getInt(0);
        try {
            if (reposition) {
                out.seek(size);
                reposition = false;
            }
            out.write(record, 0, recordSize);
        } catch (IOException e) {
            reposition = true; // the next record overwrites whatever part of this one reached the file
            try {
                out.setLength(size);
            } catch (IOException ignored) {
                // overwritten by the next record, or cut off as torn on the next open
            }
            throw e;
        }
        size += recordSize;
        return recordSize;
    }

    /** Encodes one record into the scratch buffer, or into a buffer of its own if large, and returns it. */
    private byte[] encode(byte type, String key, byte[] header, byte[] payload) throws IOException {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        if (keyBytes.length > MAX_KEY) {
            throw new IOException("Persistence key is " + keyBytes.length + " bytes in UTF-8, at most " + MAX_KEY
                    + " allowed: " + key.substring(0, 40) + "...");
        }
        long bodyLength = MIN_BODY + keyBytes.length + (type == PUT ? 4L + header.length + payload.length : 0);
        if (bodyLength > MAX_BODY) {
            throw new IOException("Persistence record for key " + key + " is " + bodyLength + " bytes, at most "
                    + MAX_BODY + " allowed");
        }
        int recordSize = RECORD_HEADER + (int) bodyLength;
        byte[] bytes = scratch;
        if (recordSize > bytes.length) {
            bytes = new byte[recordSize];
            if (recordSize <= MAX_CACHED_SCRATCH) {
                scratch = bytes;
            }
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.putInt((int) bodyLength).putInt(0).put(type).putShort((short) keyBytes.length).put(keyBytes);
        if (type == PUT) {
            buffer.putInt(header.length).put(header).put(payload);
        }
        crc.reset();
        crc.update(bytes, 0, 4);
        crc.update(bytes, RECORD_HEADER, (int) bodyLength);
        buffer.putInt(4, (int) crc.getValue());
        return bytes;
    }

    private static void deleteQuietly(Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            LOG.debug("Cannot delete {}, deleted on the next open: {}", temporary, e.toString());
        }
    }

    private static Path temporaryFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }
}
