package dev.mqttkit.internal.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The status line and headers of an HTTP/1.1 response (a proxy's answer to {@code CONNECT}, a server's answer to a
 * WebSocket upgrade), read up to the empty line and not one byte further: what follows belongs to the tunnel.
 *
 * @param status the status code, for example 101 or 407
 * @param reason the reason phrase, for example {@code Switching Protocols}
 * @param headers header values by lower-case name
 */
record HttpResponseHead(int status, String reason, Map<String, String> headers) {

    /** Longer heads are not what a proxy or a WebSocket server sends. */
    private static final int MAX_BYTES = 16 * 1024;

    /** What came instead of an HTTP response: nothing at all, or bytes that are not HTTP. */
    static final class NotHttpException extends IOException {
        private static final long serialVersionUID = 1L;
        private final byte[] start;

        NotHttpException(byte[] start, Throwable cause) {
            super(start.length == 0 ? "the connection closed before any answer" : "the answer is not HTTP", cause);
            this.start = start;
        }

        /** The first bytes that came (none when the connection closed first). */
        byte[] start() {
            return start.clone();
        }

        /** The first bytes in hex, for a message: {@code 0x15 0x03 0x03}. */
        String startHex() {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(4, start.length); i++) {
                hex.append(i == 0 ? "" : " ").append(String.format("0x%02x", start[i] & 0xff));
            }
            return hex.toString();
        }
    }

    /**
     * Reads one response head, one byte at a time (the stream must not read ahead).
     *
     * @param in the connection's input
     * @return the head
     * @throws NotHttpException when the connection closed first or the bytes are not HTTP
     * @throws IOException when reading fails (a timeout, say)
     */
    static HttpResponseHead read(InputStream in) throws IOException {
        byte[] bytes = new byte[512];
        int n = 0;
        while (n < 4 || bytes[n - 4] != '\r' || bytes[n - 3] != '\n' || bytes[n - 2] != '\r' || bytes[n - 1] != '\n') {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketException reset) {
                throw new NotHttpException(java.util.Arrays.copyOf(bytes, n), reset);
            }
            if (b < 0) {
                throw new NotHttpException(java.util.Arrays.copyOf(bytes, n), new EOFException());
            }
            if (n == bytes.length) {
                if (n >= MAX_BYTES) {
                    throw new NotHttpException(java.util.Arrays.copyOf(bytes, 8), null);
                }
                bytes = java.util.Arrays.copyOf(bytes, n * 2);
            }
            bytes[n++] = (byte) b;
            if (n == 5 && !new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("HTTP/")) {
                throw new NotHttpException(java.util.Arrays.copyOf(bytes, n), null);
            }
        }
        String[] lines = new String(bytes, 0, n - 4, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine.length > 1 ? statusLine[1] : "");
        } catch (NumberFormatException e) {
            throw new NotHttpException(java.util.Arrays.copyOf(bytes, n), e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        return new HttpResponseHead(status, statusLine.length > 2 ? statusLine[2] : "", Map.copyOf(headers));
    }

    /** {@code 407 Proxy Authentication Required}. */
    String statusText() {
        return reason.isEmpty() ? Integer.toString(status) : status + " " + reason;
    }

    /** A header's value, or {@code null}. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
