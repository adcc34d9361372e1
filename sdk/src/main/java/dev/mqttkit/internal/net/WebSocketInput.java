package dev.mqttkit.internal.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the MQTT bytes out of a server's WebSocket frames (RFC 6455 section 5): binary and continuation frames give
 * their payload, a ping is answered with a pong, a pong is dropped, a close is answered and ends the stream. A frame
 * that breaks the protocol (masked, text, an extension bit, a long control frame) is a {@link MalformedPacketException}
 * that ends the connection, as MQTT asks.
 *
 * <p>Every step keeps its state in fields, so a read that times out (Paho's read timeout, the receive gate's short
 * reads) can stop anywhere, in a frame header too, and the next read carries on where it stopped.
 */
final class WebSocketInput extends InputStream {

    private final InputStream in;
    private final WebSocketOutput out;
    private final byte[] header = new byte[10];
    private int headerRead;
    /** Payload bytes of the current data frame not read yet. */
    private long remaining;
    private final byte[] control = new byte[125];
    private int controlLength = -1;
    private int controlRead;
    private int controlOpcode;
    private boolean closed;

    WebSocketInput(InputStream in, WebSocketOutput out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!closed) {
            if (remaining > 0) {
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("The broker closed the connection inside a WebSocket frame");
                }
                remaining -= n;
                return n;
            }
            if (controlLength >= 0) {
                readControl();
                continue;
            }
            if (!readHeader()) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(remaining, in.available());
    }

    /** Reads one frame header; {@code false} at an end of stream between frames. */
    private boolean readHeader() throws IOException {
        while (headerRead < 2 || headerRead < headerLength()) {
            int b = in.read();
            if (b < 0) {
                if (headerRead == 0) {
                    return false;
                }
                throw new EOFException("The broker closed the connection inside a WebSocket frame header");
            }
            header[headerRead++] = (byte) b;
        }
        int first = header[0] & 0xff;
        int second = header[1] & 0xff;
        int opcode = first & 0x0f;
        long length = second & 0x7f;
        if (length == 126) {
            length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        } else if (length == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xff);
            }
        }
        headerRead = 0;
        if ((second & 0x80) != 0) {
            throw malformed("a masked WebSocket frame (a server must not mask)");
        }
        if ((first & 0x70) != 0) {
            throw malformed("a WebSocket frame with an extension bit set (none was agreed)");
        }
        switch (opcode) {
            case 0x0, WebSocketOutput.OPCODE_BINARY -> remaining = length;
            case WebSocketOutput.OPCODE_CLOSE, WebSocketOutput.OPCODE_PING, WebSocketOutput.OPCODE_PONG -> {
                if (length > 125 || (first & 0x80) == 0) {
                    throw malformed("a WebSocket control frame longer than 125 bytes or "
                            + "fragmented");
                }
                controlOpcode = opcode;
                controlLength = (int) length;
                controlRead = 0;
            }
            case 0x1 -> throw malformed("a WebSocket text frame (MQTT goes in binary frames)");
            default -> throw malformed("a WebSocket frame with the unknown opcode " + opcode);
        }
        return true;
    }

    private static MalformedPacketException malformed(String frame) {
        return new MalformedPacketException("Malformed WebSocket frame from the broker: " + frame, frame);
    }

    private int headerLength() {
        int length = header[1] & 0x7f;
        return 2 + (length == 126 ? 2 : length == 127 ? 8 : 0);
    }

    private void readControl() throws IOException {
        while (controlRead < controlLength) {
            int n = in.read(control, controlRead, controlLength - controlRead);
            if (n < 0) {
                throw new EOFException("The broker closed the connection inside a WebSocket control frame");
            }
            controlRead += n;
        }
        int length = controlLength;
        controlLength = -1;
        if (controlOpcode == WebSocketOutput.OPCODE_PING) {
            out.control(WebSocketOutput.OPCODE_PONG, control, length);
        } else if (controlOpcode == WebSocketOutput.OPCODE_CLOSE) {
            closed = true;
            try {
                out.control(WebSocketOutput.OPCODE_CLOSE, control, Math.min(length, 2)); // echo the status code
            } catch (IOException alreadyGone) {
                // the broker may have closed the TCP connection right after its close frame: nothing to answer
            }
        }
    }
}
