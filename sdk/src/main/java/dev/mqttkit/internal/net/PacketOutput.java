package dev.mqttkit.internal.net;

import dev.mqttkit.internal.ClientCounters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The socket's output: the packets Paho writes, counted, and the PUBACKs mqttkit writes itself for the QoS 1
 * messages the socket reader handed over past Paho ({@link InboundTopicStream}). Paho may write a packet in several
 * pieces, so the output follows packet boundaries (fixed header, remaining length, body) and puts each PUBACK
 * between two of Paho's packets, never inside one: at once when Paho is between packets, else right after the
 * packet it is writing.
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

    private final OutputStream out;
    private final WriteCheck check;
    private final ClientCounters counters;
    /** PUBACKs due once Paho's packet in progress is complete. */
    private final ByteArrayOutputStream due = new ByteArrayOutputStream();
    /** Where Paho's byte stream is: expecting a packet's first byte (between packets), its length, or its body. */
    private int expect = FIRST_BYTE;
    private long length;
    private long multiplier;
    private long bodyLeft;

    PacketOutput(OutputStream out, WriteCheck check, ClientCounters counters) {
        this.out = out;
        this.check = check;
        this.counters = counters;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        check.beforeWrite();
        out.write(b);
        counters.bytesOut(1);
        follow(new byte[] {(byte) b}, 0, 1);
        writeDue();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        check.beforeWrite();
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
     * Sends the PUBACK of a QoS 1 message, between Paho's packets, and flushes it.
     *
     * @param packetId the message's packet id
     * @throws IOException when the connection is gone (a durable session gets the message again)
     */
    synchronized void puback(int packetId) throws IOException {
        byte[] ack = {0x40, 0x02, (byte) (packetId >>> 8), (byte) packetId};
        if (expect != FIRST_BYTE) {
            due.writeBytes(ack); // Paho is inside a packet: right after it
            return;
        }
        out.write(ack);
        counters.bytesOut(ack.length);
        out.flush();
    }

    /** Writes the PUBACKs that waited for Paho's packet, once it is complete; Paho's flush follows its packet. */
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
