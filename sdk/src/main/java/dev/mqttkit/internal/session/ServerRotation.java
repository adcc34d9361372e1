package dev.mqttkit.internal.session;

import java.util.List;

/**
 * Failover over several brokers: each connection attempt tries them all, in order, starting with the one that
 * worked last; after a failed attempt the next one starts with the broker after it (round-robin).
 */
final class ServerRotation {

    private final List<String> uris;
    /** Of {@link #uris}: the broker the next attempt tries first. */
    private int first;

    ServerRotation(List<String> uris) {
        this.uris = List.copyOf(uris);
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
