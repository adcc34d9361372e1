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

    /** The bytes written, and a mark where each flush came. */
    private static final class Wire extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int flushes;

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    private final Wire wire = new Wire();
    private final ClientCounters counters = new ClientCounters();
    private final PacketOutput output = new PacketOutput(wire, () -> { }, counters);

    private static byte[] puback(int id) {
        return new byte[] {0x40, 2, (byte) (id >>> 8), (byte) id};
    }

    @Test
    void puback_betweenPahosPackets_goesOutAtOnceAndIsFlushed() throws IOException {
        byte[] ping = {(byte) 0xc0, 0};
        output.write(ping);
        output.flush();

        output.puback(300);

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
        output.puback(1);
        output.write(publish, 1, 2);           // inside the remaining length
        output.puback(2);
        output.write(publish, 3, 10_000);      // inside the body
        output.puback(3);
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
        output.puback(4);
        output.write(subscribe[subscribe.length - 1]);
        output.puback(5);

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

        assertThatThrownBy(() -> closed.puback(1)).isInstanceOf(IOException.class).hasMessage("Socket closed");
    }
}
