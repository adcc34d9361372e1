package dev.mqttkit.internal.persist;

import java.util.Enumeration;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttPersistable;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;

/**
 * Paho's persistence (in memory or {@link FilePersistence}), watched so that a publish Paho refused leaves nothing
 * behind.
 *
 * <p>Paho 1.2.5 stores an outbound QoS 1/2 message ({@code s-<id>}) before it registers the message's token, and
 * the registration throws 32102 ("disconnecting") when the connection is dropping at that instant; Paho then
 * takes the message out of its memory and, if it can, out of the store. This class tells the session which
 * record the failed publish put in the store ({@link #takeStoredKey()}), so that a record left there is removed
 * and the message is sent once, after the reconnect, by the caller.
 */
public final class TrackingPersistence implements MqttClientPersistence {

    private static final String SENT = "s-";

    private final MqttClientPersistence delegate;
    private final ThreadLocal<String> storedByThisThread = new ThreadLocal<>();

    public TrackingPersistence(MqttClientPersistence delegate) {
        this.delegate = delegate;
    }

    /**
     * Returns and forgets the key of the outbound message this thread stored last.
     *
     * @return a key like {@code s-12}, or {@code null}
     */
    public String takeStoredKey() {
        String key = storedByThisThread.get();
        storedByThisThread.remove();
        return key;
    }

    @Override
    public void put(String key, MqttPersistable persistable) throws MqttPersistenceException {
        delegate.put(key, persistable);
        if (key.startsWith(SENT)) {
            storedByThisThread.set(key);
        }
    }

    @Override
    public void remove(String key) throws MqttPersistenceException {
        delegate.remove(key);
    }

    @Override
    public void open(String clientId, String serverUri) throws MqttPersistenceException {
        delegate.open(clientId, serverUri);
    }

    @Override
    public void close() throws MqttPersistenceException {
        delegate.close();
    }

    @Override
    public MqttPersistable get(String key) throws MqttPersistenceException {
        return delegate.get(key);
    }

    @Override
    public Enumeration keys() throws MqttPersistenceException {
        return delegate.keys();
    }

    @Override
    public void clear() throws MqttPersistenceException {
        delegate.clear();
    }

    @Override
    public boolean containsKey(String key) throws MqttPersistenceException {
        return delegate.containsKey(key);
    }
}
