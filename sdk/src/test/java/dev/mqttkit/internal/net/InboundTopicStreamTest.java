package dev.mqttkit.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundTopicStreamTest {

    /** A packet as Paho would read it: its type and flags, topic (for PUBLISH) and the rest. */
    record Packet(int first, String topic, byte[] rest) {
    }

    static byte[] publish(int flags, String topic, byte[] rest) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(name.length >>> 8);
        body.write(name.length);
        body.writeBytes(name);
        body.writeBytes(rest);
        return packet(0x30 | flags, body.toByteArray());
    }

    static byte[] packet(int first, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        out.writeBytes(PublishHeads.encodeLength(body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Reads packets the way Paho's MqttInputStream does: first byte, remaining length, then the body. */
    static List<Packet> readPackets(InputStream stream, int count) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        List<Packet> packets = new ArrayList<>();
        while (packets.size() < count) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (SocketTimeoutException timeout) {
                continue; // Paho reads again after its socket timeout
            }
            int length = 0;
            int multiplier = 1;
            int digit;
            do {
                digit = readRetrying(in);
                length += (digit & 0x7f) * multiplier;
                multiplier *= 128;
            } while ((digit & 0x80) != 0);
            byte[] body = new byte[length];
            for (int read = 0; read < length; ) {
                try {
                    int n = in.read(body, read, length - read);
                    if (n < 0) {
                        throw new EOFException();
                    }
                    read += n;
                } catch (SocketTimeoutException timeout) {
                    // again
                }
            }
            if ((first & 0xf0) == 0x30) {
                int topicLength = (body[0] & 0xff) << 8 | body[1] & 0xff;
                String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
                packets.add(new Packet(first, topic, Arrays.copyOfRange(body, 2 + topicLength, length)));
            } else {
                packets.add(new Packet(first, null, body));
            }
        }
        return packets;
    }

    private static int readRetrying(DataInputStream in) throws IOException {
        while (true) {
            try {
                return in.readUnsignedByte();
            } catch (SocketTimeoutException timeout) {
                // again
            }
        }
    }

    /** Hands out one byte at a time and times out before every third byte, as a slow socket with SO_TIMEOUT. */
    static InputStream trickle(byte[] bytes) {
        return new InputStream() {
            private int position;
            private int calls;

            @Override
            public int read() throws IOException {
                if (++calls % 3 == 0) {
                    throw new SocketTimeoutException("Read timed out");
                }
                return position < bytes.length ? bytes[position++] & 0xff : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int b = read();
                if (b < 0) {
                    return -1;
                }
                buffer[offset] = (byte) b;
                return 1;
            }
        };
    }

    @Test
    void read_topicsPahoCannotDecode_areAliasedAndRestored_restPassesThrough() throws IOException {
        TopicAliases aliases = new TopicAliases();
        byte[] large = new byte[200_000]; // a three-byte remaining length
        Arrays.fill(large, (byte) 'x');
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(0, "chat/😀", "hi".getBytes(StandardCharsets.UTF_8)));
        wire.writeBytes(packet(0xd0, new byte[0])); // PINGRESP
        wire.writeBytes(publish(2, "plain/topic", new byte[] {0, 7, 'o', 'k'})); // QoS 1: packet id 7
        wire.writeBytes(publish(4, "Ａ/big", concat(new byte[] {0, 8}, large)));   // QoS 2
        wire.writeBytes(packet(0x40, new byte[] {0, 9}));    // PUBACK

        List<Packet> packets = readPackets(new InboundTopicStream(trickle(wire.toByteArray()), aliases), 5);

        assertThat(packets.get(0).topic()).startsWith(TopicAliases.PREFIX);
        assertThat(aliases.restore(packets.get(0).topic()).topic()).isEqualTo("chat/😀");
        assertThat(packets.get(0).rest()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        assertThat(packets.get(1).first()).isEqualTo(0xd0);
        assertThat(packets.get(2).topic()).isEqualTo("plain/topic");
        assertThat(packets.get(2).rest()).containsExactly(0, 7, 'o', 'k');
        assertThat(packets.get(3).first()).isEqualTo(0x34);
        assertThat(aliases.restore(packets.get(3).topic()).topic()).isEqualTo("Ａ/big");
        assertThat(packets.get(3).rest()).isEqualTo(concat(new byte[] {0, 8}, large));
        assertThat(packets.get(4).rest()).containsExactly(0, 9);
        assertThat(aliases.pending()).isZero();
    }

    @Test
    void read_qos2Publishes_firstTransmissionsNameTheirPacketIdBeforePahoReadsThem() throws IOException {
        List<Integer> named = new ArrayList<>();
        List<Integer> readBefore = new ArrayList<>();
        int[] packetsRead = {0};
        InboundHooks hooks = new InboundHooks(new TopicAliases(), ReceiveGate.OPEN, packetId -> {
            named.add(packetId);
            readBefore.add(packetsRead[0]);
        });
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(4, "plain", new byte[] {0x01, 0x02, 'a'}));       // QoS 2, id 258
        wire.writeBytes(publish(2, "plain", new byte[] {0, 7, 'b'}));             // QoS 1: not named
        wire.writeBytes(publish(4 | 8, "plain", new byte[] {0, 9, 'c'}));         // QoS 2 DUP: a resend
        wire.writeBytes(publish(4, "chat/😀", new byte[] {(byte) 0xff, (byte) 0xfe, 'd'})); // aliased, id 65534
        wire.writeBytes(publish(0, "plain", new byte[] {'e'}));                   // QoS 0

        InboundTopicStream stream = new InboundTopicStream(trickle(wire.toByteArray()), hooks);
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            packets.addAll(readPackets(stream, 1));
            packetsRead[0]++;
        }

        assertThat(named).containsExactly(258, 65_534);
        assertThat(readBefore).as("named before Paho read that packet").containsExactly(0, 3);
        assertThat(packets).extracting(Packet::rest).containsExactly(new byte[] {0x01, 0x02, 'a'},
                new byte[] {0, 7, 'b'}, new byte[] {0, 9, 'c'}, new byte[] {(byte) 0xff, (byte) 0xfe, 'd'},
                new byte[] {'e'});
    }

    @Test
    void read_largeQos0And1Payloads_goBesideAnAliasAndQos2AndSmallOnesStayWhole() throws IOException {
        TopicAliases aliases = new TopicAliases();
        byte[] big = new byte[InboundTopicStream.ROUTE_PAYLOAD_FROM];
        Arrays.fill(big, (byte) 'b');
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(0, "sensor/1", big));                                  // QoS 0, routed
        wire.writeBytes(publish(2, "sensor/😀", concat(new byte[] {0, 5}, big)));     // QoS 1, routed
        wire.writeBytes(publish(4, "sensor/3", concat(new byte[] {0, 6}, big)));      // QoS 2: whole
        wire.writeBytes(publish(2, "sensor/4", concat(new byte[] {0, 7}, Arrays.copyOf(big, big.length - 1))));

        List<Packet> packets = readPackets(new InboundTopicStream(trickle(wire.toByteArray()), aliases), 4);

        assertThat(packets.get(0).topic()).startsWith(TopicAliases.PREFIX);
        assertThat(packets.get(0).rest()).isEmpty();
        TopicAliases.Restored first = aliases.restore(packets.get(0).topic());
        assertThat(first.topic()).isEqualTo("sensor/1");
        assertThat(first.payload()).isEqualTo(big);
        assertThat(packets.get(1).first()).isEqualTo(0x32);
        assertThat(packets.get(1).rest()).containsExactly(0, 5); // the packet id stays for Paho's PUBACK
        TopicAliases.Restored second = aliases.restore(packets.get(1).topic());
        assertThat(second.topic()).isEqualTo("sensor/😀");
        assertThat(second.payload()).isEqualTo(big);
        assertThat(packets.get(2).topic()).isEqualTo("sensor/3");
        assertThat(packets.get(2).rest()).isEqualTo(concat(new byte[] {0, 6}, big));
        assertThat(packets.get(3).topic()).isEqualTo("sensor/4");
        assertThat(aliases.pending()).isZero();
    }

    @Test
    void routedPayloads_neverHandedOver_areForgottenTwoConnectionsLater() throws IOException {
        TopicAliases aliases = new TopicAliases();
        byte[] big = new byte[InboundTopicStream.ROUTE_PAYLOAD_FROM];
        byte[] wire = publish(0, "lost/on/a/dropped/connection", big);
        readPackets(new InboundTopicStream(new java.io.ByteArrayInputStream(wire), aliases), 1);
        assertThat(aliases.pending()).isEqualTo(1);

        new InboundTopicStream(new java.io.ByteArrayInputStream(new byte[0]), aliases); // the next connection
        assertThat(aliases.pending()).as("the last connection's may still be handed over").isEqualTo(1);
        new InboundTopicStream(new java.io.ByteArrayInputStream(new byte[0]), aliases); // and the one after
        assertThat(aliases.pending()).isZero();
    }

    @Test
    void read_publishWithNoRoomForItsPacketId_isMalformed() {
        byte[] noId = publish(2, "t", new byte[] {0}); // QoS 1 but one byte after the topic
        InboundTopicStream stream = new InboundTopicStream(new java.io.ByteArrayInputStream(noId), new TopicAliases());
        assertThatThrownBy(stream::read).isInstanceOf(IOException.class)
                .hasMessage("Malformed MQTT PUBLISH: topic and packet id longer than the packet");
    }

    @Test
    void read_realTopicThatLooksLikeAnAlias_isAliasedToo() throws IOException {
        TopicAliases aliases = new TopicAliases();
        String lookalike = TopicAliases.PREFIX + "1";
        List<Packet> packets = readPackets(new InboundTopicStream(trickle(publish(0, lookalike, new byte[0])),
                aliases), 1);
        assertThat(aliases.restore(packets.get(0).topic()).topic()).isEqualTo(lookalike);
    }

    @Test
    void read_endOfStreamBetweenPackets_isEnd_insideAPacket_isAnError() throws IOException {
        InboundTopicStream clean = new InboundTopicStream(new java.io.ByteArrayInputStream(packet(0xd0, new byte[0])),
                new TopicAliases());
        assertThat(clean.read()).isEqualTo(0xd0);
        assertThat(clean.read()).isZero();
        assertThat(clean.read()).isEqualTo(-1);
        byte[] cut = Arrays.copyOf(publish(0, "chat/😀", new byte[10]), 6);
        InboundTopicStream broken = new InboundTopicStream(new java.io.ByteArrayInputStream(cut), new TopicAliases());
        assertThatThrownBy(broken::read).isInstanceOf(EOFException.class);
    }

    @Test
    void pahoCanRead_matchesPahosOwnRule() {
        assertThat(TopicAliases.pahoCanRead("a/b c".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(TopicAliases.pahoCanRead("é/ü/中".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(TopicAliases.pahoCanRead("\uFDCF".getBytes(StandardCharsets.UTF_8))).isTrue();
        for (String bad : new String[] {"😀", "\uFDD0", "\uFF21", "\uFFFD", "a\u0001", "\u007F", "\u0085", "\u009F"}) {
            assertThat(TopicAliases.pahoCanRead(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isFalse();
        }
        assertThat(TopicAliases.pahoCanRead(new byte[] {'a', (byte) 0xff})).as("not UTF-8").isFalse();
    }

    @Test
    void read_publishWithQos3_isMalformed() {
        InboundTopicStream stream = new InboundTopicStream(new java.io.ByteArrayInputStream(
                publish(6, "a", new byte[] {0, 1})), new TopicAliases());

        assertThatThrownBy(stream::read).isInstanceOf(MalformedPacketException.class)
                .hasMessage("Malformed MQTT packet: a PUBLISH with QoS 3, which MQTT 3.1.1 forbids")
                .extracting(e -> ((MalformedPacketException) e).packet())
                .isEqualTo("a PUBLISH with QoS 3, which MQTT 3.1.1 forbids");
    }

    @Test
    void read_qos1PublishWithPacketIdZero_isMalformed() {
        InboundTopicStream stream = new InboundTopicStream(new java.io.ByteArrayInputStream(
                publish(2, "a", new byte[] {0, 0, 'x'})), new TopicAliases());

        assertThatThrownBy(stream::read).isInstanceOf(MalformedPacketException.class)
                .hasMessage("Malformed MQTT packet: a QoS 1 PUBLISH with packet identifier 0, which MQTT 3.1.1 forbids");
    }

    @Test
    void read_packetsOnlyClientsSendOrWithReservedFlags_areMalformed() {
        assertThatThrownBy(new InboundTopicStream(new java.io.ByteArrayInputStream(packet(0x82, new byte[] {0, 1})),
                new TopicAliases())::read).hasMessage("Malformed MQTT packet: a SUBSCRIBE, which only clients send");
        assertThatThrownBy(new InboundTopicStream(new java.io.ByteArrayInputStream(packet(0x41, new byte[] {0, 1})),
                new TopicAliases())::read).hasMessage("Malformed MQTT packet: a PUBACK with the reserved flags 1 set, "
                        + "which MQTT 3.1.1 forbids");
        assertThatThrownBy(new InboundTopicStream(new java.io.ByteArrayInputStream(packet(0x60, new byte[] {0, 1})),
                new TopicAliases())::read).hasMessage("Malformed MQTT packet: a PUBREL with the flags 0 instead of "
                        + "2, which MQTT 3.1.1 forbids");
    }

    /** A gate whose room the test opens and closes. */
    static final class Gate implements ReceiveGate {
        volatile boolean room;

        @Override
        public boolean hasRoom() {
            return room;
        }

        @Override
        public void awaitRoom() throws java.io.InterruptedIOException {
            throw new java.io.InterruptedIOException("the test never lets the reader wait");
        }
    }

    @Test
    void read_noRoomForMessages_controlPacketsOvertakeThemAndMessagesKeepTheirOrder() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(2, "m/1", new byte[] {0, 1, 'a'}));       // QoS 1
        wire.writeBytes(packet(0x62, new byte[] {0, 9}));                   // PUBREL of an earlier QoS 2 message
        wire.writeBytes(packet(0xd0, new byte[0]));                         // PINGRESP
        wire.writeBytes(publish(0, "😀/2", new byte[] {'b'}));             // QoS 0, aliased
        wire.writeBytes(packet(0x90, new byte[] {0, 5, 1}));                // SUBACK
        wire.writeBytes(packet(0x40, new byte[] {0, 7}));                   // PUBACK of our own publish
        Gate gate = new Gate();
        TopicAliases aliases = new TopicAliases();
        InboundTopicStream stream = new InboundTopicStream(trickle(wire.toByteArray()),
                new InboundHooks(aliases, gate, id -> { }), new CountingPacing());

        List<Packet> first = readPackets(stream, 3);
        assertThat(first).extracting(Packet::first).containsExactly(0xd0, 0x90, 0x40);

        gate.room = true;
        List<Packet> then = readPackets(stream, 3);
        assertThat(then).extracting(Packet::first).containsExactly(0x32, 0x62, 0x30);
        assertThat(then.get(0).topic()).isEqualTo("m/1");
        assertThat(aliases.restore(then.get(2).topic()).topic()).isEqualTo("😀/2");
        assertThat(then.get(2).rest()).containsExactly('b');
    }

    @Test
    void read_holdingMessages_readsWithShortTimeoutsAndGivesPahoItsTimeoutNowAndThen() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(0, "m/1", new byte[] {'a'}));
        Gate gate = new Gate();
        CountingPacing pacing = new CountingPacing();
        InputStream silentAfterOne = new InputStream() {
            private final InputStream data = new java.io.ByteArrayInputStream(wire.toByteArray());

            @Override
            public int read() throws IOException {
                int b = data.read();
                if (b < 0) {
                    throw new SocketTimeoutException("Read timed out"); // the broker sends nothing more
                }
                return b;
            }
        };
        InboundTopicStream stream = new InboundTopicStream(silentAfterOne, new InboundHooks(new TopicAliases(), gate,
                id -> { }), pacing);

        assertThatThrownBy(stream::read).isInstanceOf(SocketTimeoutException.class);
        assertThat(pacing.shortReads).as("short reads while a message is held").isTrue();
        gate.room = true;
        List<Packet> packets = readPackets(stream, 1);
        assertThat(packets.get(0).topic()).isEqualTo("m/1");
    }

    /** Records the read pacing the stream asks for; its socket timeout is 1 ms, so Paho gets its turn at once. */
    static final class CountingPacing implements ReadPacing {
        boolean shortReads;

        @Override
        public void shortReads(boolean on) {
            shortReads = on;
        }

        @Override
        public int timeoutMillis() {
            return 1;
        }
    }

    @Test
    void read_aliasWouldExceedTheMaximumLength_payloadGoesBesideTheAlias() throws IOException {
        TopicAliases aliases = new TopicAliases();
        byte[] topic = "😀".getBytes(StandardCharsets.UTF_8);
        int payload = 268_435_455 - 2 - topic.length;
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(0x30);
        head.writeBytes(PublishHeads.encodeLength(268_435_455));
        head.write(0);
        head.write(topic.length);
        head.writeBytes(topic);
        InputStream wire = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head.toByteArray()),
                new java.io.SequenceInputStream(zeros(payload), new java.io.ByteArrayInputStream(
                        publish(0, "next", new byte[] {'n'}))));

        List<Packet> packets = readPackets(new InboundTopicStream(wire, aliases), 2);

        assertThat(packets.get(0).rest()).isEmpty();
        TopicAliases.Restored restored = aliases.restore(packets.get(0).topic());
        assertThat(restored.topic()).isEqualTo("😀");
        assertThat(restored.payload()).hasSize(payload);
        assertThat(packets.get(1).topic()).isEqualTo("next");
        assertThat(aliases.pending()).isZero();
    }

    private static InputStream zeros(long count) {
        return new InputStream() {
            private long left = count;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                Arrays.fill(buffer, offset, offset + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void restore_aliasMadeByAnotherInstance_givesTheRealTopic() {
        byte[] alias = new TopicAliases().alias("sensor/😀".getBytes(StandardCharsets.UTF_8));

        TopicAliases afterARestart = new TopicAliases();
        TopicAliases.Restored restored = afterARestart.restore(new String(alias, StandardCharsets.US_ASCII));

        assertThat(restored.topic()).isEqualTo("sensor/😀");
        assertThat(restored.lost()).isFalse();
        assertThat(afterARestart.restore(TopicAliases.PREFIX + "n/7").lost()).isTrue();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
