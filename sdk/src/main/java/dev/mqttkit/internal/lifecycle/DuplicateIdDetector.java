package dev.mqttkit.internal.lifecycle;

import dev.mqttkit.internal.Logs;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Spots a duplicate client id: when a broker drops every connection soon after it was made, again and again,
 * another client is probably connecting with the same id (the broker drops the older connection of an id when a
 * newer one arrives, and with both reconnecting this never ends). It logs one WARN saying so. Not thread-safe:
 * the {@link Reconnector} calls it under its lock.
 */
final class DuplicateIdDetector {

    /** A connection that lived less than this counts as dropped right after connecting. */
    static final Duration STABLE = Duration.ofSeconds(5);
    /** This many such drops in a row make the WARN. */
    static final int DROPS = 3;

    private static final Logger LOG = Logs.get(DuplicateIdDetector.class);

    private final String clientId;
    private final String serverUri;
    private long connectedAt = System.nanoTime();
    private int quickDrops;
    private boolean warned;

    DuplicateIdDetector(String clientId, String serverUri) {
        this.clientId = clientId;
        this.serverUri = serverUri;
    }

    /** A connection was made (the first one, or a reconnect). */
    void connected() {
        connectedAt = System.nanoTime();
    }

    /**
     * The connection dropped.
     *
     * @return whether it dropped soon after it was made
     */
    boolean lost() {
        boolean quick = System.nanoTime() - connectedAt < STABLE.toNanos();
        quickDrops = quick ? quickDrops + 1 : 0;
        if (quickDrops >= DROPS && !warned) {
            warned = true;
            LOG.warn("Client [{}] lost its connection to {} within {} s of connecting, {} times in a row: another "
                    + "client is probably using the same client id [{}] (the broker drops the older connection "
                    + "when a new one uses its id). Give each client a unique id.", clientId, serverUri,
                    STABLE.toSeconds(), quickDrops, clientId);
        }
        return quick;
    }
}
