package dev.mqttkit.samples.monitor;

/**
 * One topic as the page shows it, taken under the store's lock and read without it.
 *
 * @param topic the topic name
 * @param count messages received on it
 * @param rate messages per second over the last ten seconds, one decimal
 * @param qos the QoS of the last message, as delivered to the monitor
 * @param retained whether the last message was a retained one
 * @param time when the last message arrived, in milliseconds since the epoch
 * @param size the last payload's size in bytes
 * @param payload the last payload, or its first bytes; shared, never changed
 * @param history the last numbers the topic carried, oldest first
 */
record TopicSnapshot(String topic, long count, double rate, int qos, boolean retained, long time, int size,
        byte[] payload, double[] history) {

    /** The payload made readable; computed here, outside the store's lock. */
    PayloadView view() {
        return PayloadView.of(payload, size);
    }
}
