package dev.mqttkit.internal.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The socket's input as Paho reads it, in large buffered reads, checked and rewritten packet by packet below Paho.
 *
 * <ul>
 *   <li><b>Hostile topics:</b> each PUBLISH whose topic Paho cannot decode gets an alias from {@link TopicAliases}
 *       (the packet's length adjusted to match). When the alias would make the packet longer than MQTT allows, the
 *       payload is read here and handed over beside the alias, and Paho gets the PUBLISH without it.</li>
 *   <li><b>Malformed packets</b> ({@link PacketRules}) end the stream with a {@link MalformedPacketException}:
 *       Paho closes the connection, where it would lose its place or its receive thread.</li>
 *   <li><b>QoS 0 and 1 past Paho:</b> while Paho has been handed no message on this connection (no QoS 2
 *       PUBLISH, no PUBREL), each QoS 0 or 1 PUBLISH is parsed here and handed to
 *       {@link InboundHooks.DirectMessages} directly, with the means to send its PUBACK on this connection
 *       ({@link PacketOutput}), and Paho never reads it: Paho's decoding, its callback thread's queue and wake-up,
 *       and for the PUBACK its sender thread's, are spared. From the first message Paho must see (QoS 2, whose
 *       state it keeps), every message goes through Paho, so none overtakes one handed over before it.</li>
 *   <li><b>Backpressure:</b> before it passes a message on (a PUBLISH, or the PUBREL on which Paho hands over a
 *       QoS 2 message), it asks the {@link ReceiveGate} whether the listeners have room. While they have none,
 *       messages are read ahead and held, in order, up to {@link #HOLD_LIMIT} bytes, so that the packets behind
 *       them (PINGRESP, SUBACK, the acknowledgements of the client's own publishes) still reach Paho; beyond the
 *       limit it stops reading, and the broker's sends back up in TCP.</li>
 * </ul>
 *
 * <p>It parses only the fixed header and, for a PUBLISH, the topic and packet id; the rest of a packet passes
 * through untouched unless it is held. Parsing resumes where it stopped when a read times out (Paho sets a socket
 * timeout and reads again), so no byte is lost or read twice. It tells {@link InboundHooks} the packet id of each
 * new QoS 2 message when it parses it.
 */
final class InboundTopicStream extends InputStream {

    /** How many bytes of messages may be read ahead and held while the listeners have no room. */
    static final int HOLD_LIMIT = 1 << 20;
    private static final Runnable NO_ACKNOWLEDGEMENT = () -> { };
    /**
     * From this many payload bytes, a QoS 0 or 1 PUBLISH goes to Paho with an empty payload and its own beside a
     * numbered alias: Paho 1.2.5's PUBLISH decoder copies a payload one byte at a time through a synchronized
     * stream (a 64 KiB message cost it about a millisecond). QoS 2 messages stay whole: Paho may persist them.
     */
    static final int ROUTE_PAYLOAD_FROM = 512;

    private final InputStream in;
    private final TopicAliases aliases;
    private final ReceiveGate gate;
    private final IntConsumer newQos2Message;
    private final InboundHooks.DirectMessages directMessages;
    /** Sends a PUBACK on this connection, for QoS 1 messages handed over directly; {@code null}: QoS 1 to Paho. */
    private final IntConsumer pubacks;
    private final ReadPacing pacing;
    /** Whether Paho has been handed a message on this connection: from then on, every message goes through it. */
    private boolean pahoHasMessages;

    /** The packet head being parsed: first byte, remaining length, topic length, topic and packet id. */
    private final byte[] head = new byte[5 + 2 + 65_535 + 2];
    private int headLength;
    private int remaining = -1;
    private int topicLength = -1;

    /** The head of the packet parsed last, rewritten, and the length of the body that follows it. */
    private byte[] parsedHead;
    private long parsedBody;
    /** A body being read into memory (to hold its packet, or to route its payload), and how much of it is in. */
    private byte[] collecting;
    private int collected;
    private byte[] routedTopic;
    private byte[] routedId;
    /** Whether the payload being collected goes beside a numbered alias only for speed (see ROUTE_PAYLOAD_FROM). */
    private boolean routedForSpeed;
    /** The payload bytes of the routed packet about to be passed or held, which the held bytes must count. */
    private long routedBytes;
    /** A message for direct delivery whose payload is being collected (its payload still {@code null}). */
    private Direct directHead;
    /** A QoS 0 or 1 message read whole, to deliver directly or to hold. */
    private Direct direct;

    /** Bytes ready for Paho: a packet's (rewritten) head, or a whole held packet. */
    private byte[] ready = new byte[0];
    private int readyPosition;
    /** Bytes of the current packet's body still to pass through from the socket. */
    private long body;

    /** Held packets, each with the bytes it weighs (its own, and a payload routed beside its alias). */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long heldBytes;
    private boolean shortReads;
    private long holdingSince;

    private final byte[] single = new byte[1];

    InboundTopicStream(InputStream in, TopicAliases aliases) {
        this(in, InboundHooks.of(aliases), ReadPacing.NONE);
    }

    InboundTopicStream(InputStream in, InboundHooks hooks) {
        this(in, hooks, ReadPacing.NONE);
    }

    InboundTopicStream(InputStream in, InboundHooks hooks, ReadPacing pacing) {
        this(in, hooks, pacing, null);
    }

    InboundTopicStream(InputStream in, InboundHooks hooks, ReadPacing pacing, IntConsumer pubacks) {
        this.in = in;
        this.aliases = hooks.aliases();
        this.gate = hooks.gate();
        this.newQos2Message = hooks.newQos2Message();
        this.directMessages = hooks.direct();
        this.pubacks = pubacks;
        this.pacing = pacing;
        aliases.newConnection();
    }

    /** A held packet for Paho, or a held QoS 0 or 1 message to deliver directly, with the bytes it weighs. */
    private record Held(byte[] packet, long bytes, Direct message) {
    }

    /** A QoS 0 or 1 message parsed here, for {@link InboundHooks.DirectMessages}. */
    private record Direct(String topic, byte[] payload, byte first, int packetId) {
        long weight() {
            return payload.length + topic.length() + 4L;
        }
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
        while (true) {
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
            if (!next()) {
                return -1;
            }
        }
    }

    /** Makes the next packet ready for Paho; {@code false} at the end of the stream between packets. */
    private boolean next() throws IOException {
        while (true) {
            if (!held.isEmpty() && gate.hasRoom()) {
                Held packet = held.poll();
                heldBytes -= packet.bytes();
                if (packet.message() != null) {
                    deliver(packet.message());
                    continue;
                }
                pass(packet.packet(), 0);
                return true;
            }
            if (heldBytes >= HOLD_LIMIT) {
                gate.awaitRoom(); // holding all it may: stop reading, the broker's sends back up in TCP
                continue;
            }
            boolean holding = !held.isEmpty();
            paceReads(holding);
            try {
                if (collecting == null && parsedHead == null && !parseHead()) {
                    if (holding) {
                        throw new EOFException("The connection closed while messages waited for the listeners");
                    }
                    return false;
                }
                if (collecting != null) {
                    collect(); // a held packet's body, or a routed payload
                }
            } catch (SocketTimeoutException timedOut) {
                if (!holding) {
                    throw timedOut; // Paho reads again, or stops
                }
                giveWayToPaho();
                continue;
            }
            if (direct != null) {
                dispatchDirect(holding);
                continue;
            }
            if (parsedHead != null && dispatch(holding)) {
                return true;
            }
        }
    }

    /**
     * Decides what becomes of the packet just parsed (or collected): passed on now, or held.
     *
     * @return {@code true} when a packet is ready for Paho
     */
    private boolean dispatch(boolean holding) throws IOException {
        byte[] packetHead = parsedHead;
        long packetBody = parsedBody;
        if (!PacketRules.isMessageFlow(packetHead[0])) {
            parsedHead = null;
            pass(packetHead, packetBody); // control packets never wait
            return true;
        }
        if (!holding && gate.hasRoom()) {
            parsedHead = null;
            pass(packetHead, packetBody);
            return true;
        }
        if (!holding && packetHead.length + packetBody > HOLD_LIMIT) {
            parsedHead = null;
            gate.awaitRoom(); // too large to hold: wait for room before passing it on, as TCP backpressure
            pass(packetHead, packetBody);
            return true;
        }
        if (packetBody == 0) {
            parsedHead = null;
            hold(new Held(packetHead, packetHead.length + routedBytes, null));
            routedBytes = 0;
            return false;
        }
        startCollecting(packetBody, null, false); // held once its body is in
        return false;
    }

    /** Delivers the message just read now, when the listeners have room, or holds it in line. */
    private void dispatchDirect(boolean holding) throws IOException {
        Direct message = direct;
        direct = null;
        if (!holding && gate.hasRoom()) {
            deliver(message);
        } else if (!holding && message.weight() > HOLD_LIMIT) {
            gate.awaitRoom(); // too large to hold: wait for room, as TCP backpressure
            deliver(message);
        } else {
            hold(new Held(null, message.weight(), message));
        }
    }

    private void deliver(Direct message) throws IOException {
        try {
            int qos = (message.first() & 0x06) >>> 1;
            int id = message.packetId();
            directMessages.arrived(message.topic(), message.payload(), qos, (message.first() & 0x01) != 0,
                    (message.first() & 0x08) != 0, qos == 0 ? NO_ACKNOWLEDGEMENT : () -> pubacks.accept(id));
        } catch (RuntimeException e) {
            // as when Paho's messageArrived throws: the connection ends, saying why, and the client reconnects
            throw new IOException("Handing over a message on [" + message.topic() + "] failed: " + e, e);
        }
    }

    private void pass(byte[] packetHead, long packetBody) {
        routedBytes = 0;
        ready = packetHead;
        readyPosition = 0;
        body = packetBody;
    }

    private void hold(Held packet) {
        if (held.isEmpty()) {
            holdingSince = System.nanoTime();
        }
        held.add(packet);
        heldBytes += packet.bytes();
    }

    private void startCollecting(long length, byte[] topicToRoute, boolean forSpeed) {
        collecting = new byte[(int) length];
        collected = 0;
        routedTopic = topicToRoute;
        routedForSpeed = forSpeed;
    }

    /** Reads the rest of a body being collected; resumes after a read timeout. */
    private void collect() throws IOException {
        while (collected < collecting.length) {
            int n = in.read(collecting, collected, collecting.length - collected);
            if (n < 0) {
                throw new EOFException("The connection closed inside a packet");
            }
            collected += n;
        }
        byte[] bodyBytes = collecting;
        collecting = null;
        if (directHead != null) {
            direct = new Direct(directHead.topic(), bodyBytes, directHead.first(), directHead.packetId());
            directHead = null;
            return;
        }
        if (routedTopic != null) {
            // the payload goes beside the alias; Paho gets the PUBLISH without it
            byte[] alias = routedForSpeed ? aliases.routePayload(routedTopic, bodyBytes)
                    : aliases.aliasWithPayload(routedTopic, bodyBytes);
            routedTopic = null;
            routedBytes = bodyBytes.length;
            parsedHead = PublishHeads.publishHead(parsedHead[0], alias, routedId, 0);
            parsedBody = 0;
            return;
        }
        byte[] packet = Arrays.copyOf(parsedHead, parsedHead.length + bodyBytes.length);
        System.arraycopy(bodyBytes, 0, packet, parsedHead.length, bodyBytes.length);
        parsedHead = null;
        hold(new Held(packet, packet.length, null));
    }

    /** While messages are held, reads time out quickly so that they go on as soon as the listeners have room. */
    private void paceReads(boolean holding) throws IOException {
        if (holding != shortReads) {
            pacing.shortReads(holding);
            shortReads = holding;
        }
    }

    /** Lets Paho's reader loop run now and then while messages are held, as its own read timeout would. */
    private void giveWayToPaho() throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("Interrupted while messages wait for the listeners");
        }
        int timeout = pacing.timeoutMillis();
        if (timeout > 0 && System.nanoTime() - holdingSince > timeout * 1_000_000L) {
            holdingSince = System.nanoTime();
            throw new SocketTimeoutException("Read timed out");
        }
    }

    /** Reads the next packet's head into {@link #parsedHead}; {@code false} at the end of the stream between packets. */
    private boolean parseHead() throws IOException {
        while (true) {
            if (headLength == 0) {
                if (!nextByte(true)) {
                    return false;
                }
                PacketRules.checkFirstByte(head[0] & 0xff);
                continue;
            }
            if (remaining < 0) {
                int last = head[headLength - 1];
                if (headLength > 1 && (last & 0x80) == 0) {
                    remaining = decodeLength();
                } else if (headLength >= 5) {
                    throw new MalformedPacketException("Malformed MQTT packet: remaining length longer than 4 bytes",
                            "a packet whose remaining length takes more than 4 bytes");
                } else {
                    nextByte(false);
                }
                continue;
            }
            if (PacketRules.type(head[0]) != PacketRules.PUBLISH) {
                if (PacketRules.type(head[0]) == PacketRules.PUBREL) {
                    pahoHasMessages = true;
                }
                finish(Arrays.copyOf(head, headLength), remaining);
                return true;
            }
            int lengthBytes = remainingBytes();
            int topicStart = 1 + lengthBytes + 2;
            if (topicLength < 0) {
                if (headLength < topicStart) {
                    nextByte(false);
                    continue;
                }
                topicLength = (head[topicStart - 2] & 0xff) << 8 | head[topicStart - 1] & 0xff;
                if (topicLength + 2 + packetIdBytes() > remaining) {
                    throw new MalformedPacketException("Malformed MQTT PUBLISH: topic and packet id longer than the "
                            + "packet", "a PUBLISH whose topic and packet identifier are longer than the packet");
                }
                continue;
            }
            int idBytes = packetIdBytes();
            int topicEnd = topicStart + topicLength;
            if (headLength < topicEnd + idBytes) {
                nextByte(false);
                continue;
            }
            int qos = (head[0] & 0x06) >>> 1;
            if (qos > 0) {
                int packetId = (head[topicEnd] & 0xff) << 8 | head[topicEnd + 1] & 0xff;
                PacketRules.checkPacketId(qos, packetId);
                if (qos == 2 && (head[0] & 0x08) == 0) { // DUP clear: a first transmission
                    newQos2Message.accept(packetId);
                }
            }
            byte[] topic = Arrays.copyOfRange(head, topicStart, topicEnd);
            long rest = remaining - 2L - topicLength - idBytes;
            if (qos < 2 && directMessages != null && !pahoHasMessages && (qos == 0 || pubacks != null)) {
                int id = qos == 0 ? 0 : (head[topicEnd] & 0xff) << 8 | head[topicEnd + 1] & 0xff;
                directHead = new Direct(TopicAliases.decodeLossily(topic), null, head[0], id);
                finish(null, 0);
                startCollecting(rest, null, false);
                return true;
            }
            if (qos > 0) {
                pahoHasMessages = true; // from here Paho has messages of this connection: the rest follow them
            }
            if (qos < 2 && rest >= ROUTE_PAYLOAD_FROM) {
                finish(new byte[] {head[0]}, 0);
                routedId = Arrays.copyOfRange(head, topicEnd, topicEnd + idBytes);
                startCollecting(rest, topic, true);
                return true;
            }
            if (TopicAliases.pahoCanRead(topic)) {
                finish(Arrays.copyOf(head, headLength), rest);
                return true;
            }
            byte[] id = Arrays.copyOfRange(head, topicEnd, topicEnd + idBytes);
            if (2L + TopicAliases.aliasLength(topic) + idBytes + rest <= PacketRules.MAX_REMAINING_LENGTH) {
                finish(PublishHeads.publishHead(head[0], aliases.alias(topic), id, rest), rest);
                return true;
            }
            // the alias would make the packet longer than MQTT allows: its payload goes beside the alias instead
            finish(new byte[] {head[0]}, 0);
            routedId = id;
            startCollecting(rest, topic, false);
            return true;
        }
    }

    private boolean nextByte(boolean atPacketStart) throws IOException {
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
        parsedHead = rewrittenHead;
        parsedBody = rest;
        headLength = 0;
        remaining = -1;
        topicLength = -1;
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
