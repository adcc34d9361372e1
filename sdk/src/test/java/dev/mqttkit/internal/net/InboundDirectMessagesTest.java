package dev.mqttkit.internal.net;

import static dev.mqttkit.internal.net.InboundTopicStreamTest.concat;
import static dev.mqttkit.internal.net.InboundTopicStreamTest.packet;
import static dev.mqttkit.internal.net.InboundTopicStreamTest.publish;
import static dev.mqttkit.internal.net.InboundTopicStreamTest.readPackets;
import static dev.mqttkit.internal.net.InboundTopicStreamTest.trickle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.internal.ClientCounters;
import dev.mqttkit.internal.net.InboundTopicStreamTest.CountingPacing;
import dev.mqttkit.internal.net.InboundTopicStreamTest.Gate;
import dev.mqttkit.internal.net.InboundTopicStreamTest.Packet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * QoS 0 and 1 messages handed over straight from the socket, past Paho, while Paho has no message of the
 * connection, each QoS 1 message with its PUBACK on that connection; and every message through Paho from the first
 * one it must see (QoS 2), so that none overtakes another.
 */
class InboundDirectMessagesTest {

    /** What happened, in order: a message delivered directly, or a packet Paho read. */
    private final List<String> events = new ArrayList<>();

    private record Delivered(String topic, byte[] payload, int qos, boolean retained, boolean duplicate,
            Runnable acknowledgement) {
    }

    private final List<Delivered> delivered = new ArrayList<>();
    private final List<Integer> pubacks = new ArrayList<>();

    private InboundTopicStream stream(InputStream wire, ReceiveGate gate) {
        return new InboundTopicStream(wire, new InboundHooks(new TopicAliases(), gate, id -> { },
                new ClientCounters(), (topic, payload, qos, retained, duplicate, acknowledgement) -> {
                    delivered.add(new Delivered(topic, payload, qos, retained, duplicate, acknowledgement));
                    events.add("direct " + topic);
                }), new CountingPacing(), pubacks::add);
    }

    private List<Packet> pahoReads(InboundTopicStream stream, int count) throws IOException {
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Packet packet = readPackets(stream, 1).get(0);
            events.add("paho " + (packet.topic() != null ? packet.topic() : Integer.toHexString(packet.first())));
            packets.add(packet);
        }
        return packets;
    }

    /** Reads on after the socket's timeouts, as Paho does, until a byte or the end of the stream. */
    private static int readToEnd(InputStream stream) throws IOException {
        while (true) {
            try {
                return stream.read();
            } catch (SocketTimeoutException timeout) {
                // again
            }
        }
    }

    @Test
    void qos0Publishes_goStraightToTheHook_pahoReadsOnlyTheControlPackets() throws IOException {
        byte[] large = new byte[100_000];
        Arrays.fill(large, (byte) 'x');
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(0, "room/1/light", "on".getBytes(StandardCharsets.UTF_8)));
        wire.writeBytes(publish(1, "chat/😀", "hi".getBytes(StandardCharsets.UTF_8)));    // retained, emoji
        wire.writeBytes(packet(0xd0, new byte[0]));                                        // PINGRESP
        wire.writeBytes(publish(0, "empty", new byte[0]));
        wire.writeBytes(publish(0, "big", large));
        wire.writeBytes(packet(0x40, new byte[] {0, 9}));                                  // PUBACK of our own

        InboundTopicStream stream = stream(trickle(wire.toByteArray()), ReceiveGate.OPEN);
        List<Packet> paho = pahoReads(stream, 2);

        assertThat(paho).extracting(Packet::first).containsExactly(0xd0, 0x40);
        assertThat(delivered).extracting(Delivered::topic).containsExactly("room/1/light", "chat/😀", "empty", "big");
        assertThat(delivered).extracting(Delivered::retained).containsExactly(false, true, false, false);
        assertThat(delivered.get(0).payload()).isEqualTo("on".getBytes(StandardCharsets.UTF_8));
        assertThat(delivered.get(2).payload()).isEmpty();
        assertThat(delivered.get(3).payload()).isEqualTo(large);
        assertThat(events).containsExactly("direct room/1/light", "direct chat/😀", "paho d0", "direct empty",
                "direct big", "paho 40");
        assertThat(readToEnd(stream)).isEqualTo(-1);
    }

    @Test
    void topicThatIsNotUtf8_isDeliveredUnderItsLossyDecoding() throws IOException {
        byte[] name = {'a', '/', (byte) 0xff};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(name.length);
        body.writeBytes(name);
        body.write('p');
        InboundTopicStream stream = stream(trickle(packet(0x30, body.toByteArray())), ReceiveGate.OPEN);

        assertThat(readToEnd(stream)).isEqualTo(-1);
        assertThat(delivered).extracting(Delivered::topic).containsExactly("a/\uFFFD");
    }

    @Test
    void qos1Publishes_goStraightToTheHook_eachAcknowledgedOnlyWhenItsAcknowledgementRuns() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(2, "a", new byte[] {0, 5, '1'}));        // QoS 1, packet id 5
        wire.writeBytes(publish(2 | 8, "b", new byte[] {1, 2, '2'}));    // QoS 1, DUP, packet id 258
        wire.writeBytes(publish(3, "c", new byte[] {0, 7}));             // QoS 1, retained, empty payload

        InboundTopicStream stream = stream(trickle(wire.toByteArray()), ReceiveGate.OPEN);
        assertThat(readToEnd(stream)).isEqualTo(-1);

        assertThat(delivered).extracting(Delivered::topic).containsExactly("a", "b", "c");
        assertThat(delivered).extracting(Delivered::qos).containsOnly(1);
        assertThat(delivered).extracting(Delivered::duplicate).containsExactly(false, true, false);
        assertThat(delivered).extracting(Delivered::retained).containsExactly(false, false, true);
        assertThat(delivered.get(0).payload()).containsExactly('1');
        assertThat(delivered.get(2).payload()).isEmpty();
        assertThat(pubacks).isEmpty(); // not before the listeners are done

        delivered.get(1).acknowledgement().run();
        delivered.get(0).acknowledgement().run();
        assertThat(pubacks).containsExactly(258, 5);
    }

    @Test
    void fromTheFirstQos2Publish_everyMessageGoesThroughPaho_inArrivalOrder() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(0, "a", new byte[] {'1'}));
        wire.writeBytes(publish(2, "b", new byte[] {0, 4, '2'}));  // QoS 1, packet id 4
        wire.writeBytes(publish(4, "q2", new byte[] {0, 5, '3'})); // QoS 2, packet id 5
        wire.writeBytes(publish(0, "c", new byte[] {'4'}));
        wire.writeBytes(publish(2, "d", new byte[] {0, 6, '5'}));  // QoS 1
        byte[] large = new byte[4_000];
        wire.writeBytes(publish(0, "e", large));

        InboundTopicStream stream = stream(trickle(wire.toByteArray()), ReceiveGate.OPEN);
        List<Packet> paho = pahoReads(stream, 4);

        assertThat(events).containsExactly("direct a", "direct b", "paho q2", "paho c", "paho d",
                "paho " + paho.get(3).topic());
        assertThat(paho.get(1).rest()).containsExactly('4');
        assertThat(paho.get(2).rest()).containsExactly(0, 6, '5');
    }

    @Test
    void withoutAWayToAcknowledge_qos1GoesToPaho_andQos0AfterItToo() throws IOException {
        byte[] wire = concat(concat(publish(0, "a", new byte[] {'1'}), publish(2, "b", new byte[] {0, 4, '2'})),
                publish(0, "c", new byte[] {'3'}));
        InboundTopicStream stream = new InboundTopicStream(trickle(wire), new InboundHooks(new TopicAliases(),
                ReceiveGate.OPEN, id -> { }, new ClientCounters(), (topic, payload, qos, retained, duplicate, ack) ->
                events.add("direct " + topic)), new CountingPacing());

        pahoReads(stream, 2);

        assertThat(events).containsExactly("direct a", "paho b", "paho c");
    }

    @Test
    void fromTheFirstPubrel_everyMessageGoesThroughPaho() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(0, "a", new byte[] {'1'}));
        wire.writeBytes(packet(0x62, new byte[] {0, 9}));           // PUBREL: Paho hands a QoS 2 message over
        wire.writeBytes(publish(0, "c", new byte[] {'3'}));

        pahoReads(stream(trickle(wire.toByteArray()), ReceiveGate.OPEN), 2);

        assertThat(events).containsExactly("direct a", "paho 62", "paho c");
    }

    @Test
    void aNewConnection_startsDeliveringDirectlyAgain() throws IOException {
        byte[] first = concat(publish(4, "q2", new byte[] {0, 1, 'x'}), publish(0, "late", new byte[] {'y'}));
        pahoReads(stream(trickle(first), ReceiveGate.OPEN), 2);

        InboundTopicStream next = stream(trickle(publish(2, "fresh", new byte[] {0, 1, 'z'})), ReceiveGate.OPEN);
        assertThat(readToEnd(next)).isEqualTo(-1);

        assertThat(events).containsExactly("paho q2", "paho late", "direct fresh");
    }

    @Test
    void noRoomForMessages_qos0IsHeldInLine_controlPacketsOvertake_thenAllInArrivalOrder() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(publish(0, "a", new byte[] {'1'}));
        wire.writeBytes(packet(0xd0, new byte[0]));                 // PINGRESP
        wire.writeBytes(publish(0, "b", new byte[] {'2'}));
        wire.writeBytes(publish(2, "c", new byte[] {0, 3, '3'}));   // QoS 1
        wire.writeBytes(publish(4, "q2", new byte[] {0, 4, '4'}));  // QoS 2: Paho's from here
        wire.writeBytes(publish(0, "d", new byte[] {'5'}));
        wire.writeBytes(packet(0x90, new byte[] {0, 5, 1}));        // SUBACK
        Gate gate = new Gate();
        InboundTopicStream stream = stream(trickle(wire.toByteArray()), gate);

        pahoReads(stream, 2);
        assertThat(events).containsExactly("paho d0", "paho 90");
        assertThat(delivered).isEmpty();

        gate.room = true;
        pahoReads(stream, 2);
        assertThat(events).containsExactly("paho d0", "paho 90", "direct a", "direct b", "direct c", "paho q2",
                "paho d");
    }
}
