package dev.mqttkit.internal.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntConsumer;

/**
 * The socket's input as Paho reads it, in large buffered reads, with each PUBLISH whose topic Paho cannot decode
 * given an alias from {@link TopicAliases} (the packet's length adjusted to match).
 *
 * <p>It parses only the fixed header and, for a PUBLISH, the topic and packet id; the rest of every packet
 * passes through untouched. Parsing resumes where it stopped when a read times out (Paho sets a socket timeout
 * and reads again), so no byte is lost or read twice. Before it passes a PUBLISH on, it waits at the {@link ReceiveGate}
 * until the listeners have room for another message, and tells {@link InboundHooks} the packet id of each new QoS 2 message.
 */
final class InboundTopicStream extends InputStream {

    private static final int PUBLISH = 3;

    private final InputStream in;
    private final TopicAliases aliases;
    private final ReceiveGate gate;
    private final IntConsumer newQos2Message;

    /** The packet head being parsed: first byte, remaining length, topic length, topic and packet id. */
    private final byte[] head = new byte[5 + 2 + 65_535 + 2];
    private int headLength;
    private int remaining = -1;
    private int topicLength = -1;

    /** Bytes ready for Paho: a packet's (rewritten) head. */
    private byte[] ready = new byte[0];
    private int readyPosition;
    /** Bytes of the current packet's body still to pass through. */
    private long body;
    private final byte[] single = new byte[1];

    InboundTopicStream(InputStream in, TopicAliases aliases) {
        this(in, InboundHooks.of(aliases));
    }

    InboundTopicStream(InputStream in, InboundHooks hooks) {
        this.in = in;
        this.aliases = hooks.aliases();
        this.gate = hooks.gate();
        this.newQos2Message = hooks.newQos2Message();
    }

    @Override
    public int read() throws IOException {
        int n = read(single, 0, 1);
        return n < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (readyPosition < ready.length) {
            int n = Math.min(length, ready.length - readyPosition);
            System.arraycopy(ready, readyPosition, buffer, offset, n);
            readyPosition += n;
            return n;
        }
        if (body > 0) {
            int n = in.read(buffer, offset, (int) Math.min(length, body));
            if (n > 0) {
                body -= n;
            } else if (n < 0) {
                throw new EOFException("The connection closed inside a packet");
            }
            return n;
        }
        if (!parseHead()) {
            return -1;
        }
        if (ready.length > 0 && (ready[0] & 0xff) >> 4 == PUBLISH) {
            // a message for the listeners: wait until they have room (TCP backpressure to the broker)
            gate.awaitRoom();
        }
        return read(buffer, offset, length);
    }

    /** Reads the next packet's head; {@code false} at the end of the stream between packets. */
    private boolean parseHead() throws IOException {
        while (true) {
            if (headLength == 0) {
                if (!next(true)) {
                    return false;
                }
                continue;
            }
            if (remaining < 0) {
                int last = head[headLength - 1];
                if (headLength > 1 && (last & 0x80) == 0) {
                    remaining = decodeLength();
                } else if (headLength >= 5) {
                    throw new IOException("Malformed MQTT packet: remaining length longer than 4 bytes");
                } else {
                    next(false);
                }
                continue;
            }
            int lengthBytes = remainingBytes();
            if (packetType() != PUBLISH) {
                finish(copyOf(head, headLength), remaining);
                return true;
            }
            int topicStart = 1 + lengthBytes + 2;
            if (topicLength < 0) {
                if (headLength < topicStart) {
                    next(false);
                    continue;
                }
                topicLength = (head[topicStart - 2] & 0xff) << 8 | head[topicStart - 1] & 0xff;
                if (topicLength + 2 + packetIdBytes() > remaining) {
                    throw new IOException("Malformed MQTT PUBLISH: topic and packet id longer than the packet");
                }
                continue;
            }
            int idBytes = packetIdBytes();
            int topicEnd = topicStart + topicLength;
            if (headLength < topicEnd + idBytes) {
                next(false);
                continue;
            }
            if ((head[0] & 0x0e) == 0x04) { // QoS 2, DUP clear: a first transmission
                newQos2Message.accept((head[topicEnd] & 0xff) << 8 | head[topicEnd + 1] & 0xff);
            }
            byte[] topic = copyOfRange(head, topicStart, topicEnd);
            long rest = remaining - 2L - topicLength - idBytes;
            if (TopicAliases.pahoCanRead(topic)) {
                finish(copyOf(head, headLength), rest);
            } else {
                byte[] alias = aliases.alias(topic);
                finish(publishHead(head[0], alias, copyOfRange(head, topicEnd, topicEnd + idBytes), rest), rest);
            }
            return true;
        }
    }

    private boolean next(boolean atPacketStart) throws IOException {
        int b = in.read(); // a read that times out throws here and leaves the head as it was
        if (b < 0) {
            if (atPacketStart) {
                return false;
            }
            throw new EOFException("The connection closed inside a packet header");
        }
        head[headLength++] = (byte) b;
        return true;
    }

    /** A PUBLISH at QoS 1 or 2 carries a two-byte packet id after its topic. */
    private int packetIdBytes() {
        return (head[0] & 0x06) == 0 ? 0 : 2;
    }

    private int packetType() {
        return (head[0] & 0xf0) >>> 4;
    }

    /** How many bytes the remaining length takes. */
    private int remainingBytes() {
        int count = 1;
        while ((head[count] & 0x80) != 0) {
            count++;
        }
        return count;
    }

    private int decodeLength() {
        int value = 0;
        int multiplier = 1;
        for (int i = 1; i < headLength; i++) {
            value += (head[i] & 0x7f) * multiplier;
            multiplier *= 128;
        }
        return value;
    }

    private void finish(byte[] rewrittenHead, long rest) {
        ready = rewrittenHead;
        readyPosition = 0;
        body = rest;
        headLength = 0;
        remaining = -1;
        topicLength = -1;
    }

    /** A PUBLISH head with another topic: first byte, remaining length, topic, packet id (if any). */
    private static byte[] publishHead(byte first, byte[] topic, byte[] packetId, long rest) {
        long length = 2L + topic.length + packetId.length + rest;
        byte[] encodedLength = encodeLength(length);
        byte[] out = new byte[1 + encodedLength.length + 2 + topic.length + packetId.length];
        out[0] = first;
        System.arraycopy(encodedLength, 0, out, 1, encodedLength.length);
        int at = 1 + encodedLength.length;
        out[at] = (byte) (topic.length >>> 8);
        out[at + 1] = (byte) topic.length;
        System.arraycopy(topic, 0, out, at + 2, topic.length);
        System.arraycopy(packetId, 0, out, at + 2 + topic.length, packetId.length);
        return out;
    }

    static byte[] encodeLength(long length) {
        byte[] out = new byte[4];
        int count = 0;
        long value = length;
        do {
            byte digit = (byte) (value % 128);
            value /= 128;
            if (value > 0) {
                digit |= (byte) 0x80;
            }
            out[count++] = digit;
        } while (value > 0 && count < 4);
        return copyOf(out, count);
    }

    private static byte[] copyOf(byte[] bytes, int length) {
        return java.util.Arrays.copyOf(bytes, length);
    }

    private static byte[] copyOfRange(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    @Override
    public int available() throws IOException {
        int buffered = ready.length - readyPosition;
        return buffered > 0 ? buffered : body > 0 ? (int) Math.min(in.available(), body) : 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
