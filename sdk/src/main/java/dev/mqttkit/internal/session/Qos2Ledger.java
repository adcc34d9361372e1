package dev.mqttkit.internal.session;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes an inbound QoS 2 message run its listeners once, across connection losses.
 *
 * <p>Paho 1.2.5 hands a QoS 2 message over when the broker's PUBREL arrives and forgets it only when told the
 * listeners finished. If the connection drops in between, the broker sends PUBREL again on the next connection
 * of the durable session and Paho hands the same message over a second time, without its duplicate flag. The
 * ledger remembers each packet id from its arrival until its PUBCOMP went out on a live connection, so that the
 * second hand-over only completes the first one's acknowledgement.
 *
 * <p>It also remembers the last {@value #RECENT} messages it completed, by packet id with a hash of topic and
 * payload. Mosquitto 2.0.11, restarted, sends a QoS 2 message again as a new PUBLISH flagged DUP although the
 * client had completed it (the broker never processed the PUBCOMP); such a repeat, same packet id, same
 * content, DUP set, is acknowledged without running the listeners again. The socket reader tells the ledger of
 * each new QoS 2 message's packet id ({@link #reused}) as it arrives, so a broker that gives the next message the
 * lowest free id (HiveMQ) and resends it after a cut does not make it look like such a repeat; only a resend
 * whose first transmission never reached the client, of a message identical to the one completed before it
 * under the same id, would.
 */
final class Qos2Ledger {

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
        final int packetId;
        boolean done;
        long epoch;
        /** A new message took its packet id: the broker will not ask for its PUBCOMP any more. */
        boolean superseded;

        State(int packetId) {
            this.packetId = packetId;
        }
    }

    /**
     * A hand-over: what to do, and the message's own record, for {@link #finished(Object)}.
     *
     * @param arrival what to do with the message
     * @param ticket the record of this message (not of a later one under the same packet id)
     */
    public record Handover(Arrival arrival, Object ticket) {
    }

    /** How many completed messages are remembered for spotting a broker's repeat. */
    static final int RECENT = 4_096;

    private final Map<Integer, State> states = new HashMap<>();
    private final LinkedHashMap<Integer, Long> recent = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Long> eldest) {
            return size() > RECENT;
        }
    };

    /**
     * Tells whether a DUP-flagged message repeats one completed lately: same packet id, same topic and payload.
     *
     * @param packetId the packet identifier
     * @param topic the topic
     * @param payload the payload
     * @return {@code true} for a repeat whose listeners already ran
     */
    public synchronized boolean isRepeat(int packetId, String topic, byte[] payload) {
        Long seen = recent.get(packetId);
        return seen != null && seen == fingerprint(topic, payload);
    }

    /**
     * The broker sent a new message with this packet id (a PUBLISH without DUP): whatever the ledger held under
     * that id is over. A DUP-flagged copy with the same id that comes later resends the new one; and a message
     * handed over under the id whose PUBCOMP never went out (its connection died, and the broker, restarted
     * without it, will not send its PUBREL again) no longer stands in the new one's way: without this, the new
     * message was taken for a second hand-over of the old and acknowledged without reaching its listeners.
     *
     * @param packetId the packet identifier
     */
    public synchronized void reused(int packetId) {
        recent.remove(packetId);
        State old = states.remove(packetId);
        if (old != null) {
            old.superseded = true;
        }
    }

    /**
     * Remembers a completed message.
     *
     * @param packetId the packet identifier
     * @param topic the topic
     * @param payload the payload
     */
    public synchronized void completed(int packetId, String topic, byte[] payload) {
        recent.remove(packetId);
        recent.put(packetId, fingerprint(topic, payload));
    }

    private static long fingerprint(String topic, byte[] payload) {
        return ((long) topic.hashCode() << 32) ^ (Arrays.hashCode(payload) & 0xffffffffL) ^ payload.length;
    }

    /**
     * Records a hand-over.
     *
     * @param packetId the message's packet identifier
     * @param epoch the connection it came on
     * @return what to do with it
     */
    public synchronized Arrival arrived(int packetId, long epoch) {
        return handOver(packetId, epoch).arrival();
    }

    /**
     * Records a hand-over, with the message's own record.
     *
     * @param packetId the message's packet identifier
     * @param epoch the connection it came on
     * @return what to do with it, and its record for {@link #finished(Object)}
     */
    public synchronized Handover handOver(int packetId, long epoch) {
        State state = states.get(packetId);
        if (state == null) {
            state = new State(packetId);
            state.epoch = epoch;
            states.put(packetId, state);
            return new Handover(Arrival.NEW, state);
        }
        state.epoch = epoch;
        return new Handover(state.done ? Arrival.DONE : Arrival.QUEUED, state);
    }

    /**
     * Records that the listeners of the message a hand-over gave the record of finished.
     *
     * @param ticket {@link Handover#ticket()}
     * @return the connection its acknowledgement belongs to, or {@code -1} when none: the ledger forgot it, or a
     *     new message took its packet id
     */
    public synchronized long finished(Object ticket) {
        State state = (State) ticket;
        state.done = true;
        return state.superseded || states.get(state.packetId) != state ? -1 : state.epoch;
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
     * Forgets a message whose PUBCOMP is about to go out; from then on its packet id may name a new message.
     *
     * @param packetId the packet identifier
     */
    public synchronized void acknowledged(int packetId) {
        states.remove(packetId);
    }

    /**
     * Remembers again a message whose acknowledgement failed while Paho still holds it: its listeners ran, so
     * a later hand-over only acknowledges it.
     *
     * @param packetId the packet identifier
     * @param epoch the connection it belongs to
     */
    public synchronized void stillHeld(int packetId, long epoch) {
        State state = new State(packetId);
        state.done = true;
        state.epoch = epoch;
        states.put(packetId, state);
    }

    /** Forgets the messages whose listeners did not run (they were queued when the client stopped). */
    public synchronized void forgetUndelivered() {
        states.values().removeIf(state -> !state.done);
    }

    /** Forgets everything: the broker started a new session. */
    public synchronized void clear() {
        states.clear();
        recent.clear();
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
