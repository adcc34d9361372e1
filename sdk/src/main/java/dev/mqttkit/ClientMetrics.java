package dev.mqttkit;

import dev.mqttkit.internal.ClientCounters;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a client has done so far, at one moment: an immutable snapshot from {@link MyMqtt#metrics()}.
 *
 * <p>Counts run from the client's creation on, across {@code stop()} and {@code start()}; the gauges
 * ({@link #inFlight()}, {@link #bufferedOffline()}, {@link #receiveQueue()}, {@link #connected()}) are those of the
 * moment the snapshot was taken, zero while the client is stopped. Counts are read one after the other without
 * stopping the client, so two of them may be a message apart.
 *
 * <pre>{@code
 * ClientMetrics metrics = client.metrics();
 * log.info("{} received, {} publishes failed, {} reconnects", metrics.received(), metrics.publishFailures(),
 *         metrics.reconnects());
 * }</pre>
 *
 * <p>For Micrometer, {@code mqttkit-micrometer}'s {@code MqttKitMetrics} binds these to meters.
 */
public final class ClientMetrics {

    private final long[] published = new long[3];
    private final long[] received = new long[3];
    private final long publishFailures;
    private final int inFlight;
    private final int bufferedOffline;
    private final int receiveQueue;
    private final long reconnects;
    private final long connectionLosses;
    private final long listenerErrors;
    private final long decodeErrors;
    private final long bytesIn;
    private final long bytesOut;
    private final boolean connected;

    ClientMetrics(ClientCounters counters, boolean connected, int inFlight, int bufferedOffline, int receiveQueue) {
        for (Qos qos : Qos.values()) {
            published[qos.value()] = counters.publishedAt(qos);
            received[qos.value()] = counters.receivedAt(qos);
        }
        this.publishFailures = counters.publishFailures();
        this.reconnects = counters.reconnects();
        this.connectionLosses = counters.connectionLosses();
        this.listenerErrors = counters.listenerErrors();
        this.decodeErrors = counters.decodeErrors();
        this.bytesIn = counters.bytesIn();
        this.bytesOut = counters.bytesOut();
        this.connected = connected;
        this.inFlight = inFlight;
        this.bufferedOffline = bufferedOffline;
        this.receiveQueue = receiveQueue;
    }

    /**
     * Publishes asked at a QoS whose future completed: the broker acknowledged them (PUBACK for QoS 1, PUBCOMP for
     * QoS 2), or, at QoS 0, they were written to the connection.
     *
     * @param qos the QoS the publish asked for
     * @return how many
     */
    public long published(Qos qos) {
        return published[qos.value()];
    }

    /** @return publishes completed at any QoS; see {@link #published(Qos)} */
    public long published() {
        return Arrays.stream(published).sum();
    }

    /**
     * Messages that arrived from the broker at a QoS, counted as they arrive (before their listeners run; a QoS 1
     * message the broker sends again after a cut counts again).
     *
     * @param qos the QoS the broker sent the message with
     * @return how many
     */
    public long received(Qos qos) {
        return received[qos.value()];
    }

    /** @return messages received at any QoS; see {@link #received(Qos)} */
    public long received() {
        return Arrays.stream(received).sum();
    }

    /** @return publish futures that completed exceptionally (not sent, timed out, refused, in doubt) */
    public long publishFailures() {
        return publishFailures;
    }

    /** @return publishes sent and waiting for the broker's acknowledgement, now */
    public int inFlight() {
        return inFlight;
    }

    /** @return publishes waiting in the offline buffer for the connection to come back, now */
    public int bufferedOffline() {
        return bufferedOffline;
    }

    /** @return messages received and waiting for their listeners (the receive queue), now */
    public int receiveQueue() {
        return receiveQueue;
    }

    /** @return reconnects that succeeded */
    public long reconnects() {
        return reconnects;
    }

    /** @return established connections that were lost (a broker that stopped, a network cut) */
    public long connectionLosses() {
        return connectionLosses;
    }

    /** @return times a listener, the notifier or a typed listener threw */
    public long listenerErrors() {
        return listenerErrors;
    }

    /** @return payloads a typed listener could not decode (the listener did not run) */
    public long decodeErrors() {
        return decodeErrors;
    }

    /** @return MQTT bytes read from the broker (inside TLS: what TLS decrypted) */
    public long bytesIn() {
        return bytesIn;
    }

    /** @return MQTT bytes written to the broker */
    public long bytesOut() {
        return bytesOut;
    }

    /** @return whether the client was connected when the snapshot was taken */
    public boolean connected() {
        return connected;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClientMetrics[connected=%s, published=%d/%d/%d (QoS 0/1/2), "
                + "received=%d/%d/%d, publishFailures=%d, inFlight=%d, bufferedOffline=%d, receiveQueue=%d, "
                + "reconnects=%d, connectionLosses=%d, listenerErrors=%d, decodeErrors=%d, bytesIn=%d, bytesOut=%d]",
                connected, published[0], published[1], published[2], received[0], received[1], received[2],
                publishFailures, inFlight, bufferedOffline, receiveQueue, reconnects, connectionLosses, listenerErrors,
                decodeErrors, bytesIn, bytesOut);
    }
}
