package dev.mqttkit.internal.session;

import java.util.List;

/**
 * Failover over several brokers: each connection attempt tries them all, in order, starting with the one that
 * worked last; after a failed attempt the next one starts with the broker after it (round-robin).
 */
final class ServerRotation {

    /** The URIs Paho connects to. */
    private final List<String> uris;
    /** The URIs the user wrote, by the index of {@link #uris}. */
    private final List<String> userUris;
    /** Of {@link #uris}: the broker the next attempt tries first. */
    private int first;

    ServerRotation(List<String> uris) {
        this(uris, uris);
    }

    /**
     * @param userUris the brokers as the user wrote them
     * @param pahoUris the same brokers as Paho connects to them ({@code tcp://} where mqttkit opens the connection)
     */
    ServerRotation(List<String> userUris, List<String> pahoUris) {
        this.uris = List.copyOf(pahoUris);
        this.userUris = List.copyOf(userUris);
    }

    /** The user's URI for one of Paho's; {@code null} stays {@code null}, an unknown one stays as it is. */
    String userUri(String pahoUri) {
        int index = pahoUri == null ? -1 : uris.indexOf(pahoUri);
        return index < 0 ? pahoUri : userUris.get(index);
    }

    /** The brokers in the order the next attempt tries them. */
    synchronized String[] order() {
        String[] order = new String[uris.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = uris.get((first + i) % order.length);
        }
        return order;
    }

    /** An attempt failed on every broker: the next one starts with another. */
    synchronized void failed() {
        first = (first + 1) % uris.size();
    }

    /** An attempt succeeded: stay with the broker that works. */
    synchronized void connectedTo(String uri) {
        int index = uri == null ? -1 : uris.indexOf(uri);
        if (index >= 0) {
            first = index;
        }
    }

    int size() {
        return uris.size();
    }
}
