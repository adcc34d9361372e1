package dev.mqttkit.internal.net;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;

/**
 * Writes MQTT bytes as masked binary WebSocket frames (RFC 6455 section 5): what Paho writes for one packet and then
 * flushes goes out as one frame in one write; a packet larger than {@value #MAX_FRAME} bytes as several. Control
 * frames (the pong to a ping, the close) go through {@link #control}. Thread-safe: Paho's sender writes packets, the
 * reader answers pings.
 */
final class WebSocketOutput extends OutputStream {

    static final int OPCODE_BINARY = 0x2;
    static final int OPCODE_CLOSE = 0x8;
    static final int OPCODE_PING = 0x9;
    static final int OPCODE_PONG = 0xA;
    /** The largest frame this side sends; a longer packet spans several frames, which MQTT allows. */
    static final int MAX_FRAME = 64 * 1024;
    private static final int HEADER_MAX = 14;

    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();
    private final byte[] masks = new byte[1024];
    private int maskIndex = masks.length;
    private byte[] pending = new byte[8 * 1024];
    private int count;
    private byte[] frame = new byte[HEADER_MAX + pending.length];

    WebSocketOutput(OutputStream out) {
        this.out = out;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (count == pending.length) {
            room(1);
        }
        pending[count++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (count == pending.length) {
                room(len);
            }
            int n = Math.min(len, pending.length - count);
            System.arraycopy(b, off, pending, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Grows the pending buffer up to one frame, or sends the full frame. */
    private void room(int wanted) throws IOException {
        if (pending.length < MAX_FRAME) {
            pending = java.util.Arrays.copyOf(pending, Math.min(MAX_FRAME, Math.max(pending.length * 2,
                    count + wanted)));
        } else {
            send(OPCODE_BINARY, pending, 0, count);
            count = 0;
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (count > 0) {
            send(OPCODE_BINARY, pending, 0, count);
            count = 0;
        }
        out.flush();
    }

    /**
     * Sends a control frame after what is pending.
     *
     * @param opcode {@link #OPCODE_PONG} or {@link #OPCODE_CLOSE}
     * @param payload at most 125 bytes
     */
    synchronized void control(int opcode, byte[] payload, int length) throws IOException {
        if (count > 0) {
            send(OPCODE_BINARY, pending, 0, count);
            count = 0;
        }
        send(opcode, payload, 0, length);
        out.flush();
    }

    private void send(int opcode, byte[] payload, int off, int len) throws IOException {
        if (frame.length < HEADER_MAX + len) {
            frame = new byte[HEADER_MAX + Math.max(len, frame.length)];
        }
        int at = 0;
        frame[at++] = (byte) (0x80 | opcode); // FIN: MQTT frames are never fragmented by this side
        if (len < 126) {
            frame[at++] = (byte) (0x80 | len);
        } else if (len < 65_536) {
            frame[at++] = (byte) (0x80 | 126);
            frame[at++] = (byte) (len >>> 8);
            frame[at++] = (byte) len;
        } else {
            frame[at++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[at++] = (byte) ((long) len >>> shift);
            }
        }
        if (maskIndex == masks.length) {
            random.nextBytes(masks); // RFC 6455 10.3: masks a client cannot predict
            maskIndex = 0;
        }
        int mask = at;
        System.arraycopy(masks, maskIndex, frame, at, 4);
        maskIndex += 4;
        at += 4;
        for (int i = 0; i < len; i++) {
            frame[at + i] = (byte) (payload[off + i] ^ frame[mask + (i & 3)]);
        }
        out.write(frame, 0, at + len);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
