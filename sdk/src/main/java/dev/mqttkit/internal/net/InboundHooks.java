package dev.mqttkit.internal.net;

import dev.mqttkit.internal.ClientCounters;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * What the socket reader ({@link InboundTopicStream}) works with, besides the socket: the aliases for topics Paho
 * cannot decode, the {@link ReceiveGate} it waits at before a PUBLISH, and whom it tells the packet id of each
 * new QoS 2 message (a PUBLISH without the DUP flag) before Paho reads it; and the client's counters, where the
 * socket adds the bytes it reads and writes.
 *
 * @param aliases stand-in names for topics Paho cannot decode
 * @param gate where the reader waits until the listeners have room
 * @param newQos2Message told each new QoS 2 message's packet id, on the reader thread
 * @param counters counts the bytes in and out
 */
public record InboundHooks(TopicAliases aliases, ReceiveGate gate, IntConsumer newQos2Message,
        ClientCounters counters) {

    /** Checks that nothing is missing. */
    public InboundHooks {
        Objects.requireNonNull(aliases, "aliases");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(newQos2Message, "newQos2Message");
        Objects.requireNonNull(counters, "counters");
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
