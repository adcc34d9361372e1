package dev.mqttkit.internal.net;

import java.util.Arrays;

/**
 * The heads of the PUBLISH packets {@link InboundTopicStream} rewrites for Paho (a topic replaced by its alias, the
 * remaining length encoded anew as MQTT's variable-length integer), and the QoS 0 PUBLISH packets mqttkit sends
 * past Paho.
 */
final class PublishHeads {

    private PublishHeads() {
    }

    /** A PUBLISH head with another topic: first byte, remaining length, topic, packet id (if any). */
    static byte[] publishHead(byte first, byte[] topic, byte[] packetId, long rest) {
        long length = 2L + topic.length + packetId.length + rest;
        byte[] encodedLength = encodeLength(length);
        byte[] out = new byte[1 + encodedLength.length + 2 + topic.length + packetId.length];
        out[0] = first;
        System.arraycopy(encodedLength, 0, out, 1, encodedLength.length);
        int at = 1 + encodedLength.length;
        out[at] = (byte) (topic.length >>> 8);
        out[at + 1] = (byte) topic.length;
        System.arraycopy(topic, 0, out, at + 2, topic.length);
        System.arraycopy(packetId, 0, out, at + 2 + topic.length, packetId.length);
        return out;
    }

    /**
     * A whole QoS 0 PUBLISH packet (MQTT 3.1.1 section 3.3): no packet id, no DUP flag; one array, written in
     * one go.
     *
     * @param topic the topic name in UTF-8, checked by the caller
     * @param payload the payload
     * @param retain the retain flag
     * @return the packet's bytes
     */
    static byte[] atMostOnce(byte[] topic, byte[] payload, boolean retain) {
        long length = 2L + topic.length + payload.length;
        if (length > PacketRules.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("Remaining length " + length + " exceeds MQTT's maximum");
        }
        int digits = length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 4;
        byte[] packet = new byte[1 + digits + (int) length];
        packet[0] = (byte) (retain ? 0x31 : 0x30);
        long value = length;
        for (int i = 1; i <= digits; i++) {
            packet[i] = (byte) (value % 128 | (i < digits ? 0x80 : 0));
            value /= 128;
        }
        int at = 1 + digits;
        packet[at] = (byte) (topic.length >>> 8);
        packet[at + 1] = (byte) topic.length;
        System.arraycopy(topic, 0, packet, at + 2, topic.length);
        System.arraycopy(payload, 0, packet, at + 2 + topic.length, payload.length);
        return packet;
    }

    /** MQTT's variable-length encoding of a remaining length, in 1 to 4 bytes. */
    static byte[] encodeLength(long length) {
        if (length > PacketRules.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("Remaining length " + length + " exceeds MQTT's maximum");
        }
        byte[] out = new byte[4];
        int count = 0;
        long value = length;
        do {
            byte digit = (byte) (value % 128);
            value /= 128;
            if (value > 0) {
                digit |= (byte) 0x80;
            }
            out[count++] = digit;
        } while (value > 0);
        return Arrays.copyOf(out, count);
    }
}
