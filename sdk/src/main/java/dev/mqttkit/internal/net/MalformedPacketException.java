package dev.mqttkit.internal.net;

import java.io.IOException;

/**
 * A packet from the server that MQTT 3.1.1 does not allow. The socket reader throws it instead of passing the
 * packet to Paho (whose receive thread could die of it, or lose its place in the stream), which closes the
 * connection, as the specification asks (section 4.8).
 */
public final class MalformedPacketException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String packet;

    MalformedPacketException(String message, String packet) {
        super(message);
        this.packet = packet;
    }

    /**
     * Describes the packet, for a sentence: {@code a PUBLISH with QoS 3, which MQTT 3.1.1 forbids}.
     *
     * @return what was wrong with it
     */
    public String packet() {
        return packet;
    }
}
