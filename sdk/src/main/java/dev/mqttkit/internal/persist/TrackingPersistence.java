package dev.mqttkit.internal.persist;

import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttPersistable;
import org.eclipse.paho.client.mqttv3.MqttPersistenceException;

/**
 * Paho's persistence (in memory or {@link FilePersistence}), watched so that no publish is sent twice or left
 * without an outcome.
 *
 * <p>Paho 1.2.5 stores an outbound QoS 1/2 message ({@code s-<id>}) before it registers the message's token, and
 * the registration throws 32102 ("disconnecting") when the connection is dropping at that instant. A durable
 * session then still holds the message and sends it again after the reconnect, but no callback ever reports on
 * it. This class tells the session whether the failed publish was stored ({@link #takeStoredKey()}), so
 * that it is not sent a second time from the offline buffer, and reports its completion when Paho removes it
 * after the broker's acknowledgement ({@link #whenRemoved}).
 */
public final class TrackingPersistence implements MqttClientPersistence {

    private static final String SENT = "s-";

    private final MqttClientPersistence delegate;
    private final ThreadLocal<String> storedByThisThread = new ThreadLocal<>();
    private final Map<String, Runnable> watched = new ConcurrentHashMap<>();

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

    /**
     * Runs {@code completion} once Paho removes the message (the broker acknowledged it).
     *
     * @param key the message's key from {@link #takeStoredKey()}
     * @param completion what to run
     */
    public void whenRemoved(String key, Runnable completion) {
        watched.put(key, completion);
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
        Runnable completion = watched.remove(key);
        if (completion != null) {
            completion.run();
        }
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
