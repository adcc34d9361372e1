package dev.mqttkit.internal.net;

import dev.mqttkit.internal.ClientCounters;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * What the socket reader ({@link InboundTopicStream}) works with, besides the socket: the aliases for topics Paho
 * cannot decode, the {@link ReceiveGate} it waits at before a PUBLISH, whom it tells the packet id of each
 * new QoS 2 message (a PUBLISH without the DUP flag) before Paho reads it, the client's counters, where the
 * socket adds the bytes it reads and writes, and whom it hands QoS 0 and 1 messages to directly, past Paho.
 *
 * @param aliases stand-in names for topics Paho cannot decode
 * @param gate where the reader waits until the listeners have room
 * @param newQos2Message told each new QoS 2 message's packet id, on the reader thread
 * @param counters counts the bytes in and out
 * @param direct takes QoS 0 and 1 messages straight from the socket, or {@code null} to leave them all to Paho
 */
public record InboundHooks(TopicAliases aliases, ReceiveGate gate, IntConsumer newQos2Message,
        ClientCounters counters, DirectMessages direct) {

    /**
     * Takes a QoS 0 or 1 message as the socket reader parsed it, on the reader thread, in arrival order; Paho never
     * sees it. It must not block: it queues the message for the listeners (the reader has waited for room).
     */
    @FunctionalInterface
    public interface DirectMessages {

        /**
         * A message arrived.
         *
         * @param topic its topic, decoded (lossily, if the broker sent bytes that are not UTF-8)
         * @param payload its payload
         * @param qos 0 or 1
         * @param retained whether the broker sent it as a retained message
         * @param duplicate whether the broker flagged it as sent again (DUP)
         * @param acknowledgement sends the PUBACK of a QoS 1 message on the connection it came on (does nothing
         *     for QoS 0): run it once the listeners are done
         */
        void arrived(String topic, byte[] payload, int qos, boolean retained, boolean duplicate,
                Runnable acknowledgement);
    }

    /** Checks that nothing is missing. */
    public InboundHooks {
        Objects.requireNonNull(aliases, "aliases");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(newQos2Message, "newQos2Message");
        Objects.requireNonNull(counters, "counters");
    }

    /**
     * Hooks that leave every message to Paho.
     *
     * @param aliases the aliases
     * @param gate the gate
     * @param newQos2Message told each new QoS 2 message's packet id
     * @param counters counts the bytes in and out
     */
    public InboundHooks(TopicAliases aliases, ReceiveGate gate, IntConsumer newQos2Message, ClientCounters counters) {
        this(aliases, gate, newQos2Message, counters, null);
    }

    /**
     * Hooks whose bytes nobody reads, for tests.
     *
     * @param aliases the aliases
     * @param gate the gate
     * @param newQos2Message told each new QoS 2 message's packet id
     */
    InboundHooks(TopicAliases aliases, ReceiveGate gate, IntConsumer newQos2Message) {
        this(aliases, gate, newQos2Message, new ClientCounters());
    }

    /**
     * Hooks that never wait and ignore QoS 2 arrivals, for tests.
     *
     * @param aliases the aliases
     * @return the hooks
     */
    static InboundHooks of(TopicAliases aliases) {
        return new InboundHooks(aliases, ReceiveGate.OPEN, id -> { });
    }
}
