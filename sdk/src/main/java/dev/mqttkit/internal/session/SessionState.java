package dev.mqttkit.internal.session;

import dev.mqttkit.internal.ClientSettings;
import dev.mqttkit.internal.persist.FilePersistence;
import dev.mqttkit.internal.persist.SessionMemory;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;

/**
 * What a client keeps of its MQTT session from one {@code start()} to the next, as the protocol asks of a durable
 * session: the messages Paho holds (in memory, {@link SessionMemory}, or in the file store) and the QoS 2
 * messages whose listeners ran ({@link Qos2Ledger}). One per client object; each {@link PahoSession} works on it.
 */
public final class SessionState {

    private final MqttClientPersistence store;
    private final Qos2Ledger ledger = new Qos2Ledger();

    private SessionState(MqttClientPersistence store) {
        this.store = store;
    }

    /**
     * Makes the state a client's settings ask for: in memory, or in {@code persistence(dir)}'s file store.
     *
     * @param settings the client's settings
     * @return the state, empty until the first connection
     */
    public static SessionState of(ClientSettings settings) {
        return new SessionState(settings.persistence() == null ? new SessionMemory()
                : new FilePersistence(settings.persistence()));
    }

    MqttClientPersistence store() {
        return store;
    }

    Qos2Ledger ledger() {
        return ledger;
    }

    /**
     * A connection's lifetime ended with {@code stop()}: the QoS 2 messages handed to its listeners that never ran
     * are forgotten, so that they run when the broker sends their PUBREL again; those whose listeners ran stay
     * known, so that they are only acknowledged then.
     */
    public void runEnded() {
        ledger.forgetUndelivered();
    }
}
