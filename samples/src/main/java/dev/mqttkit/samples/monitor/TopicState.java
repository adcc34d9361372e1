package dev.mqttkit.samples.monitor;

import dev.mqttkit.Qos;

/**
 * What the monitor keeps of one topic: counts, rate, the last message (its first bytes when it is large) and
 * the last numbers it carried. Its size is bounded whatever the traffic on the topic. Not thread-safe: the
 * {@link TopicStore} lock guards it.
 */
final class TopicState {

    /** What an entry costs beyond its payload, topic and history: object headers, fields, the map's entry. */
    private static final long OVERHEAD_BYTES = 320;

    final String topic;
    private final RateMeter rate;
    private final double[] history;
    private int historyStart;
    private int historyLength;
    private long count;
    private byte[] payload;
    private int size;
    private Qos qos;
    private boolean retained;
    private long time;
    /** The store's version when a message last arrived, and when the rate shown last changed. */
    long version;
    long rateVersion;
    private double reportedRate;

    TopicState(String topic, int historySize, long nowMillis) {
        this.topic = topic;
        this.rate = new RateMeter(nowMillis);
        this.history = new double[historySize];
    }

    /**
     * Takes a message in.
     *
     * @param kept the payload or its first bytes, not copied (the store never changes it)
     * @param fullSize the payload's size
     * @param number the number it carries, or NaN
     */
    void record(byte[] kept, int fullSize, double number, Qos messageQos, boolean messageRetained, long nowMillis,
            long storeVersion) {
        count++;
        rate.record(nowMillis);
        payload = kept;
        size = fullSize;
        qos = messageQos;
        retained = messageRetained;
        time = nowMillis;
        version = storeVersion;
        if (!Double.isNaN(number) && history.length > 0) {
            int end = (historyStart + historyLength) % history.length;
            history[end] = number;
            if (historyLength < history.length) {
                historyLength++;
            } else {
                historyStart = (historyStart + 1) % history.length;
            }
        }
    }

    /**
     * Recomputes the rate; tells whether what the page shows (one decimal) changed.
     */
    boolean refreshRate(long nowMillis) {
        double rounded = Math.round(rate.perSecond(nowMillis) * 10) / 10.0;
        if (rounded == reportedRate) {
            return false;
        }
        reportedRate = rounded;
        return true;
    }

    double reportedRate() {
        return reportedRate;
    }

    /** The bytes this entry holds, about: what the store's byte budget counts. */
    long bytes() {
        return OVERHEAD_BYTES + 2L * topic.length() + (payload == null ? 0 : payload.length) + 8L * history.length;
    }

    TopicSnapshot snapshot(long nowMillis) {
        refreshRate(nowMillis);
        double[] values = new double[historyLength];
        for (int i = 0; i < historyLength; i++) {
            values[i] = history[(historyStart + i) % history.length];
        }
        return new TopicSnapshot(topic, count, reportedRate, qos.value(), retained, time, size, payload, values);
    }

    @Override
    public String toString() {
        return "TopicState[" + topic + ", " + count + " messages, last " + size + " bytes]";
    }
}
