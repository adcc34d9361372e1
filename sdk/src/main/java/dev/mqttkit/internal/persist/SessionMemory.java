package dev.mqttkit.internal.persist;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttPersistable;

/**
 * A client's session state in memory, for as long as the client object lives: unlike Paho's
 * {@code MemoryPersistence}, which starts empty at every {@code open} and empties at every {@code close} (Paho
 * closes it on each lost connection and each {@code stop()}), it keeps what it holds until Paho clears it for a
 * clean session. So a durable client that stops and starts again still has the QoS 2 messages it acknowledged
 * with PUBREC and not yet handed to its listeners (MQTT 3.1.1 section 3.1.2.4), and its own unacknowledged
 * publishes. Thread-safe.
 */
public final class SessionMemory implements MqttClientPersistence {

    private final Map<String, MqttPersistable> records = new ConcurrentHashMap<>();

    @Override
    public void open(String clientId, String serverUri) {
        // kept across opens: that is the point
    }

    @Override
    public void close() {
        // kept across closes: Paho closes on every lost connection
    }

    @Override
    public void put(String key, MqttPersistable persistable) {
        records.put(key, persistable);
    }

    @Override
    public MqttPersistable get(String key) {
        return records.get(key);
    }

    @Override
    public void remove(String key) {
        records.remove(key);
    }

    @Override
    public Enumeration<String> keys() {
        return Collections.enumeration(records.keySet());
    }

    @Override
    public void clear() {
        records.clear();
    }

    @Override
    public boolean containsKey(String key) {
        return records.containsKey(key);
    }
}
