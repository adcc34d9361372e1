package dev.mqttkit.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WebSocket framing as RFC 6455 section 5 has it, both ways, without a network. */
class WebSocketFramesTest {

    /** A server frame: FIN, the opcode, unmasked. */
    private static byte[] serverFrame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length < 65_536) {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static byte[] payload(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    /** Decodes the frames a client wrote: opcode and unmasked payload of each, checking each is masked. */
    private static List<byte[]> clientFrames(byte[] wire, List<Integer> opcodes) {
        List<byte[]> payloads = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            int first = wire[at++] & 0xff;
            int second = wire[at++] & 0xff;
            assertThat(first & 0x80).as("FIN").isNotZero();
            assertThat(second & 0x80).as("a client frame is masked").isNotZero();
            long length = second & 0x7f;
            if (length == 126) {
                length = ((wire[at] & 0xff) << 8) | (wire[at + 1] & 0xff);
                at += 2;
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (wire[at++] & 0xff);
                }
            }
            byte[] mask = Arrays.copyOfRange(wire, at, at + 4);
            at += 4;
            byte[] payload = new byte[(int) length];
            for (int i = 0; i < length; i++) {
                payload[i] = (byte) (wire[at + i] ^ mask[i & 3]);
            }
            at += (int) length;
            opcodes.add(first & 0x0f);
            payloads.add(payload);
        }
        return payloads;
    }

    @Test
    void output_onePacketFlushed_isOneMaskedBinaryFrame() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        WebSocketOutput out = new WebSocketOutput(wire);
        out.write(0x30);
        out.write(payload(300), 0, 300);
        out.flush();

        List<Integer> opcodes = new ArrayList<>();
        List<byte[]> frames = clientFrames(wire.toByteArray(), opcodes);
        assertThat(opcodes).containsExactly(WebSocketOutput.OPCODE_BINARY);
        assertThat(frames.get(0)).isEqualTo(concat(new byte[] {0x30}, payload(300)));
    }

    @Test
    void output_largerThanOneFrame_spansFramesAndKeepsEveryByte() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        WebSocketOutput out = new WebSocketOutput(wire);
        byte[] big = payload(200_000);
        out.write(big, 0, big.length);
        out.flush();

        List<Integer> opcodes = new ArrayList<>();
        List<byte[]> frames = clientFrames(wire.toByteArray(), opcodes);
        assertThat(frames).hasSizeGreaterThan(1).allMatch(f -> f.length <= WebSocketOutput.MAX_FRAME);
        assertThat(concat(frames.toArray(byte[][]::new))).isEqualTo(big);
    }

    @Test
    void output_nothingPending_flushSendsNoFrame() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        new WebSocketOutput(wire).flush();
        assertThat(wire.size()).isZero();
    }

    @Test
    void input_binaryAndContinuationFrames_giveTheirPayloadsInOrder() throws IOException {
        byte[] wire = concat(serverFrame(0x2, payload(10)), serverFrame(0x0, payload(70_000)),
                serverFrame(0x2, new byte[0]), serverFrame(0x2, payload(200)));
        WebSocketInput in = new WebSocketInput(new ByteArrayInputStream(wire),
                new WebSocketOutput(new ByteArrayOutputStream()));

        byte[] all = in.readAllBytes();

        assertThat(all).isEqualTo(concat(payload(10), payload(70_000), payload(200)));
    }

    @Test
    void input_ping_isAnsweredWithAPongCarryingItsPayload() throws IOException {
        byte[] wire = concat(serverFrame(0x9, new byte[] {1, 2, 3}), serverFrame(0x2, new byte[] {42}));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        WebSocketInput in = new WebSocketInput(new ByteArrayInputStream(wire), new WebSocketOutput(sent));

        assertThat(in.read()).isEqualTo(42);

        List<Integer> opcodes = new ArrayList<>();
        List<byte[]> frames = clientFrames(sent.toByteArray(), opcodes);
        assertThat(opcodes).containsExactly(WebSocketOutput.OPCODE_PONG);
        assertThat(frames.get(0)).containsExactly(1, 2, 3);
    }

    @Test
    void input_close_isAnsweredAndEndsTheStream() throws IOException {
        byte[] wire = concat(serverFrame(0x2, new byte[] {7}), serverFrame(0x8, new byte[] {0x03, (byte) 0xe8}),
                serverFrame(0x2, new byte[] {9}));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        WebSocketInput in = new WebSocketInput(new ByteArrayInputStream(wire), new WebSocketOutput(sent));

        assertThat(in.read()).isEqualTo(7);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read()).isEqualTo(-1);

        List<Integer> opcodes = new ArrayList<>();
        assertThat(clientFrames(sent.toByteArray(), opcodes).get(0)).containsExactly(0x03, 0xe8);
        assertThat(opcodes).containsExactly(WebSocketOutput.OPCODE_CLOSE);
    }

    @Test
    void input_timeoutsAnywhere_inAHeaderToo_loseNoByte() throws IOException {
        byte[] wire = concat(serverFrame(0x2, payload(300)), serverFrame(0x9, new byte[] {5}),
                serverFrame(0x2, payload(70_000)));
        // every read returns one byte, and every other read times out first
        InputStream stuttering = new InputStream() {
            private int at;
            private boolean timeOut = true;

            @Override
            public int read() throws IOException {
                if (at == wire.length) {
                    return -1;
                }
                timeOut = !timeOut;
                if (!timeOut) {
                    throw new SocketTimeoutException("Read timed out");
                }
                return wire[at++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int one = read();
                if (one < 0) {
                    return -1;
                }
                b[off] = (byte) one;
                return 1;
            }
        };
        WebSocketInput in = new WebSocketInput(stuttering, new WebSocketOutput(new ByteArrayOutputStream()));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int timeouts = 0;
        while (true) {
            int n;
            try {
                n = in.read(buffer, 0, buffer.length);
            } catch (SocketTimeoutException e) {
                timeouts++;
                continue;
            }
            if (n < 0) {
                break;
            }
            got.write(buffer, 0, n);
        }

        assertThat(got.toByteArray()).isEqualTo(concat(payload(300), payload(70_000)));
        assertThat(timeouts).isGreaterThan(70_000);
    }

    @Test
    void input_maskedFrame_isMalformed() {
        byte[] wire = {(byte) 0x82, (byte) 0x81, 1, 2, 3, 4, 5};
        WebSocketInput in = new WebSocketInput(new ByteArrayInputStream(wire),
                new WebSocketOutput(new ByteArrayOutputStream()));
        assertThatThrownBy(in::read).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("a masked WebSocket frame");
    }

    @Test
    void input_textFrame_isMalformed() {
        WebSocketInput in = new WebSocketInput(new ByteArrayInputStream(serverFrame(0x1, new byte[] {'a'})),
                new WebSocketOutput(new ByteArrayOutputStream()));
        assertThatThrownBy(in::read).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("a WebSocket text frame (MQTT goes in binary frames)");
    }

    @Test
    void input_endOfStreamInsideAFrame_isAnEofNotAnEnd() {
        byte[] frame = serverFrame(0x2, payload(100));
        WebSocketInput in = new WebSocketInput(new ByteArrayInputStream(Arrays.copyOf(frame, 50)),
                new WebSocketOutput(new ByteArrayOutputStream()));
        assertThatThrownBy(in::readAllBytes).isInstanceOf(java.io.EOFException.class)
                .hasMessageContaining("inside a WebSocket frame");
    }
}
