package dev.mqttkit.internal.session;

import dev.mqttkit.internal.Logs;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;
import org.slf4j.Logger;

/**
 * Acknowledges incoming QoS 1 and 2 messages (Paho's manual acks) when their listeners are done, and only on the
 * connection they came on; runs each QoS 2 message's listeners once ({@link Qos2Ledger}).
 *
 * <p>Each connection attempt starts a new epoch: an acknowledgement that belongs to an earlier connection is
 * dropped, because its packet id may name another message on the new one; a durable session gets the message
 * again instead.
 */
final class Acknowledgements {

    private static final Logger LOG = Logs.get(Acknowledgements.class);
    private static final Runnable NONE = () -> { };

    private final String clientId;
    private final MqttAsyncClient client;
    private final Qos2Ledger ledger;
    private final Object lock = new Object();
    /** Counts connection attempts; an acknowledgement goes out only on the connection its message came on. */
    private volatile long epoch;

    Acknowledgements(String clientId, MqttAsyncClient client, Qos2Ledger ledger) {
        this.clientId = clientId;
        this.client = client;
        this.ledger = ledger;
    }

    /** A connection attempt begins: from here, acknowledgements of earlier connections are dropped. */
    void newConnection() {
        synchronized (lock) {
            epoch++;
        }
    }

    /** The broker kept no session: it keeps no QoS 2 state for this client either. */
    void sessionLost() {
        ledger.clear();
    }

    /** The socket reader saw a new QoS 2 message (no DUP flag) with this packet id, before Paho read it. */
    void newQos2Message(int packetId) {
        ledger.reused(packetId);
    }

    /**
     * Decides what to do with a message Paho handed over.
     *
     * @return the acknowledgement to run once the listeners returned, or {@code null} when the message must not
     *     reach the listeners (a QoS 2 message handed over again; it is acknowledged here when it is done)
     */
    Runnable arrived(int id, int qos, String topic, byte[] payload, boolean duplicate) {
        long arrival = epoch;
        if (qos == 0) {
            return NONE;
        }
        if (qos == 1) {
            return () -> acknowledge(id, qos, arrival);
        }
        if (duplicate && ledger.isRepeat(id, topic, payload)) {
            LOG.debug("QoS 2 message {} on [{}] repeats one completed lately (the broker lost its PUBCOMP); "
                    + "acknowledged without running the listeners again", id, topic);
            acknowledge(id, qos, arrival);
            return null;
        }
        Qos2Ledger.Handover handover = ledger.handOver(id, arrival);
        Qos2Ledger.Arrival seen = handover.arrival();
        if (seen != Qos2Ledger.Arrival.NEW) {
            LOG.debug("QoS 2 message {} on [{}] handed over again ({}); its listeners run once", id, topic, seen);
            if (seen == Qos2Ledger.Arrival.DONE) {
                acknowledge(id, qos, arrival);
            }
            return null;
        }
        return () -> {
            ledger.completed(id, topic, payload);
            acknowledge(id, qos, ledger.finished(handover.ticket()));
        };
    }

    /** Sends PUBACK/PUBCOMP, but only on the connection the message belongs to. */
    private void acknowledge(int id, int qos, long belongsTo) {
        synchronized (lock) {
            if (belongsTo != epoch || !client.isConnected()) {
                // the broker sends it again on the next connection of a durable session
                LOG.debug("Message {} (QoS {}) of [{}] not acknowledged: its connection is gone", id, qos, clientId);
                return;
            }
            if (qos == 2) {
                // forgotten before the PUBCOMP goes out: a broker that gives the next message the lowest free
                // packet id (HiveMQ) may reuse this one at once, and Paho can hand that new message over before
                // messageArrivedComplete() has returned here
                ledger.acknowledged(id);
            }
            try {
                client.messageArrivedComplete(id, qos);
            } catch (MqttException | RuntimeException e) {
                if (qos == 2 && e instanceof MqttPersistenceException) {
                    ledger.stillHeld(id, belongsTo); // Paho failed to forget it: a repeated PUBREL hands it over again
                }
                LOG.debug("Could not acknowledge message {} (QoS {}) of [{}]: {}", id, qos, clientId, e.getMessage());
            }
        }
    }
}
