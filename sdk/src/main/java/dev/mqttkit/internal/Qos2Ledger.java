package dev.mqttkit.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Makes an inbound QoS 2 message run its listeners once, across connection losses.
 *
 * <p>Paho 1.2.5 hands a QoS 2 message over when the broker's PUBREL arrives and forgets it only when told the
 * listeners finished. If the connection drops in between, the broker sends PUBREL again on the next connection
 * of the durable session and Paho hands the same message over a second time, without its duplicate flag. The
 * ledger remembers each packet id from its arrival until its PUBCOMP went out on a live connection, so that the
 * second hand-over only completes the first one's acknowledgement.
 */
public final class Qos2Ledger {

    /** What to do with a QoS 2 message Paho handed over. */
    public enum Arrival {
        /** First time: run the listeners. */
        NEW,
        /** Its first copy still waits for its listeners: do nothing, that copy acknowledges on this connection. */
        QUEUED,
        /** Its listeners already ran: only acknowledge it now. */
        DONE
    }

    private static final class State {
        boolean done;
        long epoch;
    }

    private final Map<Integer, State> states = new HashMap<>();

    /**
     * Records a hand-over.
     *
     * @param packetId the message's packet identifier
     * @param epoch the connection it came on
     * @return what to do with it
     */
    public synchronized Arrival arrived(int packetId, long epoch) {
        State state = states.get(packetId);
        if (state == null) {
            state = new State();
            state.epoch = epoch;
            states.put(packetId, state);
            return Arrival.NEW;
        }
        state.epoch = epoch;
        return state.done ? Arrival.DONE : Arrival.QUEUED;
    }

    /**
     * Records that the listeners finished.
     *
     * @param packetId the packet identifier
     * @return the connection its acknowledgement belongs to (the latest one it was handed over on), or
     *     {@code -1} when the ledger forgot it (the session was reset)
     */
    public synchronized long finished(int packetId) {
        State state = states.get(packetId);
        if (state == null) {
            return -1;
        }
        state.done = true;
        return state.epoch;
    }

    /**
     * Forgets a message whose PUBCOMP went out.
     *
     * @param packetId the packet identifier
     */
    public synchronized void acknowledged(int packetId) {
        states.remove(packetId);
    }

    /** Forgets everything: the broker started a new session. */
    public synchronized void clear() {
        states.clear();
    }

    /**
     * Returns how many messages it remembers.
     *
     * @return the count
     */
    public synchronized int size() {
        return states.size();
    }
}
