package dev.mqttkit.internal.net;

/**
 * What a client may receive, by MQTT 3.1.1's fixed header rules (sections 2.2 and 3): the packet types a server
 * sends, their reserved flags, a PUBLISH's QoS, and the non-zero packet identifier of a QoS 1 or 2 PUBLISH.
 */
final class PacketRules {

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBREL = 6;
    /** The largest remaining length MQTT can encode. */
    static final int MAX_REMAINING_LENGTH = 268_435_455;

    private static final String[] NAMES = {"reserved type 0", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC",
        "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT",
        "reserved type 15"};

    private PacketRules() {
    }

    /** Checks a packet's first byte. */
    static void checkFirstByte(int first) throws MalformedPacketException {
        int type = (first & 0xf0) >>> 4;
        int flags = first & 0x0f;
        switch (type) {
            case PUBLISH -> {
                if ((flags & 0x06) == 0x06) {
                    throw malformed("a PUBLISH with QoS 3, which MQTT 3.1.1 forbids");
                }
            }
            case PUBREL -> {
                if (flags != 0x02) {
                    throw malformed("a PUBREL with the flags " + flags + " instead of 2, which MQTT 3.1.1 forbids");
                }
            }
            case CONNACK, 4, 5, 7, 9, 11, 13 -> {
                if (flags != 0) {
                    throw malformed("a " + NAMES[type] + " with the reserved flags " + flags + " set, which MQTT "
                            + "3.1.1 forbids");
                }
            }
            case 1, 8, 10, 12, 14 -> throw malformed("a " + NAMES[type] + ", which only clients send");
            default -> throw malformed("a packet of the " + NAMES[type] + ", which MQTT 3.1.1 does not define");
        }
    }

    /** Checks a QoS 1 or 2 PUBLISH's packet identifier. */
    static void checkPacketId(int qos, int packetId) throws MalformedPacketException {
        if (packetId == 0) {
            throw malformed("a QoS " + qos + " PUBLISH with packet identifier 0, which MQTT 3.1.1 forbids");
        }
    }

    static int type(int first) {
        return (first & 0xf0) >>> 4;
    }

    /** A PUBLISH or a PUBREL: a message for the listeners (Paho hands a QoS 2 message over on its PUBREL). */
    static boolean isMessageFlow(int first) {
        int type = type(first);
        return type == PUBLISH || type == PUBREL;
    }

    private static MalformedPacketException malformed(String packet) {
        return new MalformedPacketException("Malformed MQTT packet: " + packet, packet);
    }
}
