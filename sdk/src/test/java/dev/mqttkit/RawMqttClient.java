package dev.mqttkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A minimal MQTT 3.1.1 client that writes packets itself: it publishes any topic bytes, including those Paho
 * refuses to send, the way any other client on a shared broker can. Test code.
 */
final class RawMqttClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private int packetId;

    private RawMqttClient(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects with a clean session and waits for CONNACK 0. */
    static RawMqttClient connect(String serverUri, String clientId) throws IOException {
        return connect(serverUri, clientId, javax.net.SocketFactory.getDefault());
    }

    /** Connects through a socket factory (TLS) with a clean session and waits for CONNACK 0. */
    static RawMqttClient connect(String serverUri, String clientId, javax.net.SocketFactory sockets)
            throws IOException {
        URI uri = URI.create(serverUri);
        RawMqttClient client = new RawMqttClient(sockets.createSocket(uri.getHost(), uri.getPort()));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT".getBytes(StandardCharsets.US_ASCII));
        body.write(4);           // protocol level 3.1.1
        body.write(0x02);        // clean session
        body.write(0);
        body.write(60);          // keep alive
        writeString(body, clientId.getBytes(StandardCharsets.UTF_8));
        client.send(0x10, body.toByteArray());
        int type = client.in.readUnsignedByte();
        int length = client.in.readUnsignedByte();
        byte[] ack = new byte[length];
        client.in.readFully(ack);
        if (type != 0x20 || ack[1] != 0) {
            throw new IOException("CONNACK refused: " + ack[1]);
        }
        return client;
    }

    /** Publishes at QoS 0. */
    void publish(byte[] topic, String payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(payload.getBytes(StandardCharsets.UTF_8));
        send(0x30, body.toByteArray());
    }

    /** Publishes at QoS 1 and waits for the broker's PUBACK. */
    void publishQos1(byte[] topic, String payload) throws IOException {
        int id = ++packetId;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(id >>> 8);
        body.write(id);
        body.write(payload.getBytes(StandardCharsets.UTF_8));
        send(0x32, body.toByteArray());
        int type = in.readUnsignedByte();
        int length = in.readUnsignedByte();
        in.readFully(new byte[length]);
        if (type != 0x40) {
            throw new IOException("Expected PUBACK, got packet type " + (type >>> 4));
        }
    }

    /** Publishes at QoS 2 and completes the exchange: PUBLISH, PUBREC, PUBREL, PUBCOMP. */
    void publishQos2(byte[] topic, String payload) throws IOException {
        int id = ++packetId;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(id >>> 8);
        body.write(id);
        body.write(payload.getBytes(StandardCharsets.UTF_8));
        send(0x34, body.toByteArray());
        expect(0x50, "PUBREC");
        send(0x62, new byte[] {(byte) (id >>> 8), (byte) id});
        expect(0x70, "PUBCOMP");
    }

    private void expect(int type, String name) throws IOException {
        int first = in.readUnsignedByte();
        int length = in.readUnsignedByte();
        in.readFully(new byte[length]);
        if (first != type) {
            throw new IOException("Expected " + name + ", got packet type " + (first >>> 4));
        }
    }

    private void send(int first, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(first);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body);
        out.write(packet.toByteArray());
        out.flush();
    }

    private static void writeString(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    @Override
    public void close() throws IOException {
        try {
            send(0xe0, new byte[0]); // DISCONNECT
        } finally {
            socket.close();
        }
    }
}
