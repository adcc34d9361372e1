package dev.mqttkit.internal.net;

import static dev.mqttkit.internal.net.InboundTopicStreamTest.concat;
import static dev.mqttkit.internal.net.InboundTopicStreamTest.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.internal.ClientCounters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketOutputTest {

    /** The bytes written, how many writes brought them, and how many flushes came. */
    private static final class Wire extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;
        int flushes;

        @Override
        public void write(int b) {
            bytes.write(b);
            writes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            writes++;
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    private final Wire wire = new Wire();
    private final ClientCounters counters = new ClientCounters();
    /** The output's clock, in nanoseconds. */
    private long now;
    private final PacketOutput output = new PacketOutput(wire, () -> { }, counters, () -> now);

    private static byte[] puback(int id) {
        return new byte[] {0x40, 2, (byte) (id >>> 8), (byte) id};
    }

    @Test
    void puback_betweenPahosPackets_goesOutAtOnceAndIsFlushed() throws IOException {
        byte[] ping = {(byte) 0xc0, 0};
        output.write(ping);
        output.flush();

        output.puback(300, false);

        assertThat(wire.bytes.toByteArray()).isEqualTo(concat(ping, puback(300)));
        assertThat(wire.flushes).isEqualTo(2);
    }

    @Test
    void puback_whilePahoIsInsideAPacket_goesRightAfterThatPacket() throws IOException {
        byte[] body = new byte[20_000]; // a three-byte remaining length
        Arrays.fill(body, (byte) 7);
        byte[] publish = packet(0x32, body);
        byte[] next = packet(0x40, new byte[] {0, 9});

        output.write(publish, 0, 1);           // the first byte
        output.puback(1, false);
        output.write(publish, 1, 2);           // inside the remaining length
        output.puback(2, false);
        output.write(publish, 3, 10_000);      // inside the body
        output.puback(3, false);
        assertThat(wire.bytes.size()).isEqualTo(10_003); // nothing of ours inside Paho's packet
        output.write(publish, 10_003, publish.length - 10_003);
        output.write(next);

        assertThat(wire.bytes.toByteArray())
                .isEqualTo(concat(concat(publish, concat(concat(puback(1), puback(2)), puback(3))), next));
        assertThat(counters.bytesOut()).isEqualTo(publish.length + 12L + next.length);
    }

    @Test
    void packetsWrittenByteByByte_areFollowedToo() throws IOException {
        byte[] subscribe = packet(0x82, new byte[] {0, 1, 0, 1, 'a', 0});
        for (int i = 0; i < subscribe.length - 1; i++) {
            output.write(subscribe[i]);
        }
        output.puback(4, false);
        output.write(subscribe[subscribe.length - 1]);
        output.puback(5, false);

        assertThat(wire.bytes.toByteArray()).isEqualTo(concat(concat(subscribe, puback(4)), puback(5)));
    }

    @Test
    void puback_onAClosedConnection_throws() {
        PacketOutput closed = new PacketOutput(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Socket closed");
            }
        }, () -> { }, counters);

        assertThatThrownBy(() -> closed.puback(1, false)).isInstanceOf(IOException.class).hasMessage("Socket closed");
    }

    @Test
    void pubacksOfAFastStream_whileAnotherQos1MessageFollows_areHeldAndGoOutTogetherInOneWrite() throws IOException {
        output.puback(1, true); // the first of a stream: nobody to wait for
        now += 20_000;
        output.puback(2, true);
        now += 20_000;
        output.puback(3, true);
        assertThat(wire.bytes.toByteArray()).isEqualTo(puback(1));
        int writes = wire.writes;
        int flushes = wire.flushes;

        now += 20_000;
        output.puback(4, false); // the last of the line

        assertThat(wire.bytes.toByteArray()).isEqualTo(concat(concat(puback(1), puback(2)), concat(puback(3),
                puback(4))));
        assertThat(wire.writes - writes).isEqualTo(1);
        assertThat(wire.flushes - flushes).isEqualTo(1);
        assertThat(counters.bytesOut()).isEqualTo(16);
    }

    @Test
    void heldPubacks_goBeforePahosNextPacket_inTheirMessagesOrder() throws IOException {
        output.puback(1, true);
        now += 1_000;
        output.puback(2, true);
        now += 1_000;
        output.puback(3, true);

        byte[] pahosPuback = {0x40, 2, 0, 9}; // Paho acknowledging a later message itself
        output.write(pahosPuback);
        output.flush();

        assertThat(wire.bytes.toByteArray())
                .isEqualTo(concat(concat(puback(1), puback(2)), concat(puback(3), pahosPuback)));
    }

    @Test
    void pubackAfterASlowListener_goesOutAtOnce_evenWhenAnotherFollows() throws IOException {
        output.puback(1, true);
        now += PacketOutput.STREAM_NANOS; // the listeners took a millisecond or more

        output.puback(2, true);

        assertThat(wire.bytes.toByteArray()).isEqualTo(concat(puback(1), puback(2)));
        assertThat(wire.flushes).isEqualTo(2);
    }

    @Test
    void atMostSixteenPubacksAreHeld() throws IOException {
        output.puback(0, true);
        for (int id = 1; id <= PacketOutput.MAX_HELD; id++) {
            now += 1_000;
            output.puback(id, true);
            int written = wire.bytes.size() / 4;
            assertThat(written).as("PUBACKs written after the %dth held", id)
                    .isEqualTo(id < PacketOutput.MAX_HELD ? 1 : PacketOutput.MAX_HELD + 1);
        }
        assertThat(wire.flushes).isEqualTo(2);
    }

    @Test
    void pubackWithNothingToFollow_goesOutAtOnce_evenInAStream() throws IOException {
        output.puback(1, false);
        now += 1_000;
        output.puback(2, false);

        assertThat(wire.bytes.toByteArray()).isEqualTo(concat(puback(1), puback(2)));
        assertThat(wire.flushes).isEqualTo(2);
    }

    private static final byte[] CONNECT = packet(0x10, new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0});

    @Test
    void writePacket_beforePahosConnect_isRefusedAndNothingIsWritten() throws IOException {
        byte[] publish = PublishHeads.atMostOnce(new byte[] {'t'}, new byte[] {1}, false);

        assertThat(output.writePacket(publish)).isFalse();

        assertThat(wire.bytes.size()).isZero();
    }

    /** Paho's CONNECT went out, then PUBACK 1; PUBACK 2 followed within a millisecond and is held. */
    private void connectedWithPuback2Held() throws IOException {
        output.write(CONNECT);
        output.flush();
        output.puback(1, false);
        now += 1_000;
        output.puback(2, true);
    }

    @Test
    void writePacket_betweenPahosPackets_goesOutAtOnceInOneWriteWithTheHeldPubacks_andIsFlushed() throws IOException {
        connectedWithPuback2Held();
        byte[] publish = PublishHeads.atMostOnce(new byte[] {'t'}, new byte[] {1, 2}, true);
        int flushes = wire.flushes;
        int writes = wire.writes;

        assertThat(output.writePacket(publish)).isTrue();

        assertThat(wire.bytes.toByteArray()).isEqualTo(concat(concat(CONNECT, puback(1)), concat(puback(2), publish)));
        assertThat(wire.writes - writes).isEqualTo(1);
        assertThat(wire.flushes - flushes).isEqualTo(1);
        assertThat(counters.bytesOut()).isEqualTo(CONNECT.length + 8L + publish.length);
    }

    @Test
    void writePacket_ofALargeMessage_goesAfterTheHeldPubacks_withoutCopyingIt() throws IOException {
        connectedWithPuback2Held();
        byte[] publish = PublishHeads.atMostOnce(new byte[] {'t'}, new byte[10_000], false);
        int writes = wire.writes;

        assertThat(output.writePacket(publish)).isTrue();

        assertThat(wire.bytes.toByteArray()).isEqualTo(concat(concat(CONNECT, puback(1)), concat(puback(2), publish)));
        assertThat(wire.writes - writes).isEqualTo(2);
        assertThat(counters.bytesOut()).isEqualTo(CONNECT.length + 8L + publish.length);
    }

    @Test
    void writePacket_whilePahoIsInsideAPacket_goesRightAfterIt() throws IOException {
        output.write(CONNECT);
        byte[] pahos = packet(0x32, new byte[] {0, 1, 'a', 0, 5, 'x', 'y'});
        output.write(pahos, 0, 4);
        byte[] ours = PublishHeads.atMostOnce(new byte[] {'b'}, new byte[] {9}, false);

        assertThat(output.writePacket(ours)).isTrue();
        assertThat(wire.bytes.size()).isEqualTo(CONNECT.length + 4);
        output.write(pahos, 4, pahos.length - 4);

        assertThat(wire.bytes.toByteArray()).isEqualTo(concat(concat(CONNECT, pahos), ours));
    }

    @Test
    void writePacket_oncePahosDisconnectBegan_isRefused() throws IOException {
        output.write(CONNECT);
        byte[] disconnect = {(byte) 0xe0, 0};
        output.write(disconnect);

        assertThat(output.writePacket(PublishHeads.atMostOnce(new byte[] {'t'}, new byte[0], false))).isFalse();

        assertThat(wire.bytes.toByteArray()).isEqualTo(concat(CONNECT, disconnect));
    }

    @Test
    void atMostOnce_encodesAQos0PublishWithRetainFlagTopicAndPayload() {
        byte[] payload = new byte[200]; // a two-byte remaining length
        Arrays.fill(payload, (byte) 3);

        byte[] packet = PublishHeads.atMostOnce("a/é".getBytes(java.nio.charset.StandardCharsets.UTF_8), payload, true);

        byte[] head = {0x31, (byte) (206 & 0x7f | 0x80), 1, 0, 4, 'a', '/', (byte) 0xc3, (byte) 0xa9};
        assertThat(packet).isEqualTo(concat(head, payload));
        assertThat(PublishHeads.atMostOnce(new byte[] {'t'}, new byte[0], false)).containsExactly(0x30, 3, 0, 1, 't');
    }

    @Test
    void atMostOnce_encodesEachLengthOfRemainingLength_asTheRewrittenHeadsDo() {
        byte[] topic = {'t', '/', 'x'}; // remaining length = 5 + payload
        for (int remaining : new int[] {5, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152}) {
            byte[] payload = new byte[remaining - 5];
            Arrays.fill(payload, (byte) remaining);

            byte[] packet = PublishHeads.atMostOnce(topic, payload, false);

            byte[] head = PublishHeads.publishHead((byte) 0x30, topic, new byte[0], payload.length);
            assertThat(packet).as("remaining length %d", remaining).isEqualTo(concat(head, payload));
        }
    }
}
