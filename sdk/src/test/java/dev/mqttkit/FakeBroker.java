package dev.mqttkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A raw-socket MQTT 3.1.1 server for the malformed packets no real broker sends: it accepts connections on
 * 127.0.0.1, answers CONNECT, SUBSCRIBE, PINGREQ and the publish handshakes like a broker (without routing
 * anything), and lets a test send any bytes at all once a client subscribed ({@link #onSubscribe}).
 */
final class FakeBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeBroker.class);

    /** One client's connection. */
    final class Link {
        private final Socket socket;
        private final OutputStream out;
        private final int number;

        Link(Socket socket, int number) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.number = number;
        }

        /** 1 for the first connection the broker accepted, 2 for the next, ... */
        int number() {
            return number;
        }

        /** Sends bytes as they are. */
        synchronized void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Sends a PUBLISH: {@code first} is the whole first byte (type, DUP, QoS, RETAIN). */
        void publish(int first, String topic, int packetId, byte[] payload) throws IOException {
            send(publishPacket(first, topic.getBytes(StandardCharsets.UTF_8), packetId, payload));
        }

        /**
         * Sends a PUBLISH whose remaining length is given, streaming a payload of zeros to fill it (for packets too
         * large to build in memory).
         */
        synchronized void publishOfLength(int first, byte[] topic, int packetId, long remainingLength)
                throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write(first);
            head.writeBytes(encodeLength(remainingLength));
            head.write(topic.length >>> 8);
            head.write(topic.length);
            head.writeBytes(topic);
            int idBytes = (first & 0x06) == 0 ? 0 : 2;
            if (idBytes == 2) {
                head.write(packetId >>> 8);
                head.write(packetId);
            }
            out.write(head.toByteArray());
            long payload = remainingLength - 2 - topic.length - idBytes;
            byte[] zeros = new byte[1 << 20];
            while (payload > 0) {
                int n = (int) Math.min(zeros.length, payload);
                out.write(zeros, 0, n);
                payload -= n;
            }
            out.flush();
        }

        void close() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile Consumer<Link> onSubscribe = link -> { };
    private volatile boolean closed;
    private volatile boolean sessionPresentOnReconnect;

    FakeBroker() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-broker-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String uri() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** What to do once a client's SUBSCRIBE was answered, on that connection's thread. */
    FakeBroker onSubscribe(Consumer<Link> action) {
        this.onSubscribe = action;
        return this;
    }

    /**
     * Answers the CONNECTs after the first with session present, as a broker that kept the client's durable
     * session does (by default every CONNACK says no session).
     */
    FakeBroker sessionPresentOnReconnect() {
        this.sessionPresentOnReconnect = true;
        return this;
    }

    /** The connections accepted so far. */
    List<Link> links() {
        return links;
    }

    /** The packets the clients sent, as {@code "<type name> <packet id>"}, for example {@code "PUBACK 7"}. */
    List<String> received() {
        return received;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Link link = new Link(socket, links.size() + 1);
                links.add(link);
                Thread handler = new Thread(() -> serve(link), "fake-broker-link-" + link.number());
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("Fake broker accept failed: {}", e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(Link link) {
        try (Socket socket = link.socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int first = in.readUnsignedByte();
                int length = readLength(in);
                byte[] body = new byte[length];
                in.readFully(body);
                int type = first >>> 4;
                int id = body.length >= 2 ? (body[0] & 0xff) << 8 | body[1] & 0xff : 0;
                switch (type) {
                    case 1 -> link.send(new byte[] {0x20, 2, (byte) (sessionPresentOnReconnect && link.number() > 1 ? 1 : 0),
                        0});
                    case 3 -> answerPublish(link, first, body);
                    case 4 -> received.add("PUBACK " + id);
                    case 5 -> {
                        received.add("PUBREC " + id);
                        link.send(new byte[] {0x62, 2, body[0], body[1]});
                    }
                    case 6 -> {
                        received.add("PUBREL " + id);
                        link.send(new byte[] {0x70, 2, body[0], body[1]});
                    }
                    case 7 -> received.add("PUBCOMP " + id);
                    case 8 -> {
                        int filters = countFilters(body);
                        byte[] suback = new byte[4 + filters];
                        suback[0] = (byte) 0x90;
                        suback[1] = (byte) (2 + filters);
                        suback[2] = body[0];
                        suback[3] = body[1];
                        for (int i = 0; i < filters; i++) {
                            suback[4 + i] = grantedQos(body, i);
                        }
                        link.send(suback);
                        onSubscribe.accept(link);
                    }
                    case 10 -> link.send(new byte[] {(byte) 0xb0, 2, body[0], body[1]});
                    case 12 -> link.send(new byte[] {(byte) 0xd0, 0});
                    case 14 -> {
                        return;
                    }
                    default -> received.add("type " + type);
                }
            }
        } catch (EOFException | java.net.SocketException end) {
            LOG.debug("Fake broker link {} ended: {}", link.number(), end.getMessage());
        } catch (IOException e) {
            LOG.debug("Fake broker link {} failed: {}", link.number(), e.getMessage());
        }
    }

    private void answerPublish(Link link, int first, byte[] body) throws IOException {
        int qos = (first >>> 1) & 3;
        int topicLength = (body[0] & 0xff) << 8 | body[1] & 0xff;
        if (qos > 0) {
            byte high = body[2 + topicLength];
            byte low = body[3 + topicLength];
            link.send(new byte[] {(byte) (qos == 1 ? 0x40 : 0x50), 2, high, low});
        }
    }

    private static int countFilters(byte[] subscribe) {
        int count = 0;
        int at = 2;
        while (at < subscribe.length) {
            int length = (subscribe[at] & 0xff) << 8 | subscribe[at + 1] & 0xff;
            at += 2 + length + 1;
            count++;
        }
        return count;
    }

    private static byte grantedQos(byte[] subscribe, int index) {
        int at = 2;
        for (int i = 0; ; i++) {
            int length = (subscribe[at] & 0xff) << 8 | subscribe[at + 1] & 0xff;
            if (i == index) {
                return subscribe[at + 2 + length];
            }
            at += 2 + length + 1;
        }
    }

    private static int readLength(DataInputStream in) throws IOException {
        int value = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            value += (digit & 0x7f) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        return value;
    }

    static byte[] publishPacket(int first, byte[] topic, int packetId, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(topic.length >>> 8);
        body.write(topic.length);
        body.writeBytes(topic);
        if ((first & 0x06) != 0) {
            body.write(packetId >>> 8);
            body.write(packetId);
        }
        body.writeBytes(payload);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(first);
        packet.writeBytes(encodeLength(body.size()));
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    static byte[] encodeLength(long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long value = length;
        do {
            int digit = (int) (value % 128);
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Link link : links) {
            link.close();
        }
    }
}
