package dev.mqttkit.internal.net;

import dev.mqttkit.internal.ClientCounters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * The socket's output: the packets Paho writes, counted, the PUBACKs mqttkit writes itself for the QoS 1
 * messages the socket reader handed over past Paho ({@link InboundTopicStream}), and the QoS 0 messages mqttkit
 * publishes past Paho ({@link #writePacket}). Paho may write a packet in several
 * pieces, so the output follows packet boundaries (fixed header, remaining length, body) and puts each PUBACK
 * between two of Paho's packets, never inside one: at once when Paho is between packets, else right after the
 * packet it is writing.
 *
 * <p>While listeners run fast through a line of QoS 1 messages, their PUBACKs are held back and go out together,
 * up to {@value #MAX_HELD} in one write (one system call, and one wake-up of the broker, instead of one each). A
 * PUBACK is held only while another QoS 1 message waits for its listeners, whose PUBACK then takes it along, and
 * only when the one before was asked for less than {@value #STREAM_NANOS} ns earlier: after a slow listener
 * nothing is held, and a held PUBACK waits at most for the listeners of the messages queued behind it. Held
 * PUBACKs go before Paho's next packet (a PINGREQ, a DISCONNECT), so each keeps its message's place (MQTT 3.1.1
 * section 4.6) and none is left behind on a connection that stays open.
 */
final class PacketOutput extends OutputStream {

    /** Runs before each of Paho's writes ({@link FramedSocket}'s start-up check). */
    @FunctionalInterface
    interface WriteCheck {
        void beforeWrite() throws IOException;
    }

    private static final int FIRST_BYTE = 0;
    private static final int LENGTH = 1;
    private static final int BODY = 2;
    /** At most this many PUBACKs held back to go out together. */
    static final int MAX_HELD = 16;
    /** PUBACKs asked for closer together than this are a stream, and may wait for the next one. */
    static final long STREAM_NANOS = 1_000_000;
    private static final int PUBACK_SIZE = 4;
    /** A packet of mqttkit's up to this size goes out in one write with the PUBACKs held back before it. */
    private static final int ONE_WRITE_BYTES = 4096;
    private static final int CONNECT = 0x10;
    private static final int DISCONNECT = 0xe0;

    private final OutputStream out;
    private final WriteCheck check;
    private final ClientCounters counters;
    private final LongSupplier nanoTime;
    /** PUBACKs not written yet: held back, or due once Paho's packet in progress is complete. */
    private final ByteArrayOutputStream due = new ByteArrayOutputStream();
    /** Paho wrote its CONNECT: packets of mqttkit's own may follow. */
    private boolean connectWritten;
    /** Paho began its DISCONNECT: nothing of mqttkit's own may follow. */
    private boolean disconnecting;
    /** When the last PUBACK was asked for, if one was. */
    private long lastPuback;
    private boolean pubackBefore;
    /** Where Paho's byte stream is: expecting a packet's first byte (between packets), its length, or its body. */
    private int expect = FIRST_BYTE;
    private long length;
    private long multiplier;
    private long bodyLeft;

    PacketOutput(OutputStream out, WriteCheck check, ClientCounters counters) {
        this(out, check, counters, System::nanoTime);
    }

    /** With a clock of the test's own. */
    PacketOutput(OutputStream out, WriteCheck check, ClientCounters counters, LongSupplier nanoTime) {
        this.out = out;
        this.check = check;
        this.counters = counters;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        check.beforeWrite();
        writeDue();
        out.write(b);
        counters.bytesOut(1);
        follow(new byte[] {(byte) b}, 0, 1);
        writeDue();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        check.beforeWrite();
        writeDue();
        out.write(b, off, len);
        counters.bytesOut(len);
        follow(b, off, len);
        writeDue();
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * Sends the PUBACK of a QoS 1 message, between Paho's packets, and flushes it, with the PUBACKs held back
     * before it; or holds it back too (see the class comment).
     *
     * @param packetId the message's packet id
     * @param another whether another QoS 1 message waits for its listeners, whose PUBACK may take this one along
     * @throws IOException when the connection is gone (a durable session gets the message again)
     */
    synchronized void puback(int packetId, boolean another) throws IOException {
        due.write(0x40);
        due.write(0x02);
        due.write(packetId >>> 8);
        due.write(packetId);
        long now = nanoTime.getAsLong();
        boolean stream = pubackBefore && now - lastPuback < STREAM_NANOS;
        lastPuback = now;
        pubackBefore = true;
        if (expect != FIRST_BYTE) {
            return; // Paho is inside a packet: right after it
        }
        if (another && stream && due.size() < MAX_HELD * PUBACK_SIZE) {
            return; // goes with the next one
        }
        writeDue();
        out.flush();
    }

    /**
     * Sends a whole packet of mqttkit's own (a QoS 0 PUBLISH) between Paho's packets, after the PUBACKs not written
     * yet: at once, and flushed, when Paho is between packets, else right after the packet it is writing.
     *
     * @param packet the packet, complete
     * @return {@code false}, with nothing written, before Paho's CONNECT went out and once its DISCONNECT began
     * @throws IOException when the connection is gone; the packet may have been partly written
     */
    synchronized boolean writePacket(byte[] packet) throws IOException {
        if (!connectWritten || disconnecting) {
            return false;
        }
        if (expect != FIRST_BYTE) {
            due.writeBytes(packet); // Paho is inside a packet: right after it
            return true;
        }
        if (due.size() == 0 || packet.length > ONE_WRITE_BYTES) {
            writeDue();
            out.write(packet);
            counters.bytesOut(packet.length);
        } else {
            due.writeBytes(packet); // with the PUBACKs held back: one write
            writeDue();
        }
        out.flush();
        return true;
    }

    /**
     * Writes the PUBACKs not written yet, when Paho is between packets: before its next packet, or right after the
     * one it completed (its flush follows).
     */
    private void writeDue() throws IOException {
        if (expect == FIRST_BYTE && due.size() > 0) {
            counters.bytesOut(due.size());
            due.writeTo(out);
            due.reset();
        }
    }

    /** Follows Paho's bytes through its packets' fixed headers and bodies. */
    private void follow(byte[] b, int off, int len) {
        int at = off;
        int end = off + len;
        while (at < end) {
            if (expect == FIRST_BYTE) {
                int type = b[at] & 0xf0;
                connectWritten |= type == CONNECT;
                disconnecting |= type == DISCONNECT;
                expect = LENGTH;
                length = 0;
                multiplier = 1;
                at++;
            } else if (expect == LENGTH) {
                int digit = b[at++] & 0xff;
                length += (digit & 0x7f) * multiplier;
                multiplier *= 128;
                if ((digit & 0x80) == 0) {
                    bodyLeft = length;
                    expect = length == 0 ? FIRST_BYTE : BODY;
                }
            } else {
                int n = (int) Math.min(bodyLeft, end - at);
                at += n;
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    expect = FIRST_BYTE;
                }
            }
        }
    }
}
