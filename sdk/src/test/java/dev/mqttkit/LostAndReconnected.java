package dev.mqttkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connection listener that records each loss as {@code lost} and each reconnect as {@code reconnected}. */
final class LostAndReconnected implements ConnectionListener {

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onConnectionLost(String serverUri, Throwable cause) {
        events.add("lost");
    }

    @Override
    public void onReconnected(String serverUri, boolean sessionPresent) {
        events.add("reconnected");
    }

    /** The events so far, in order; a live view. */
    List<String> events() {
        return events;
    }
}
