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

    private static byte[] publish(int flags, String topic, byte[] rest) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(name.length >>> 8);
        body.write(name.length);
        body.writeBytes(name);
        body.writeBytes(rest);
        return packet(0x30 | flags, body.toByteArray());
    }

    private static byte[] packet(int first, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        out.writeBytes(InboundTopicStream.encodeLength(body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Reads packets the way Paho's MqttInputStream does: first byte, remaining length, then the body. */
    private static List<Packet> readPackets(InputStream stream, int count) throws IOException {
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
    private static InputStream trickle(byte[] bytes) {
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
        assertThat(aliases.restore(packets.get(0).topic())).isEqualTo("chat/😀");
        assertThat(packets.get(0).rest()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        assertThat(packets.get(1).first()).isEqualTo(0xd0);
        assertThat(packets.get(2).topic()).isEqualTo("plain/topic");
        assertThat(packets.get(2).rest()).containsExactly(0, 7, 'o', 'k');
        assertThat(packets.get(3).first()).isEqualTo(0x34);
        assertThat(aliases.restore(packets.get(3).topic())).isEqualTo("Ａ/big");
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
        assertThat(aliases.restore(packets.get(0).topic())).isEqualTo(lookalike);
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

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
