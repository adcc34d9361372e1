package dev.mqttkit.samples.monitor;

/**
 * Messages per second on one topic, over the last ten seconds: ten one-second buckets, so a topic costs the
 * same memory at 1 message a minute as at 10,000 a second. Not thread-safe: the {@link TopicStore} lock guards it.
 */
final class RateMeter {

    private static final int WINDOW_SECONDS = 10;

    private final long[] buckets = new long[WINDOW_SECONDS];
    private final long firstMillis;
    private long currentSecond;

    RateMeter(long nowMillis) {
        this.firstMillis = nowMillis;
        this.currentSecond = Math.floorDiv(nowMillis, 1000);
    }

    void record(long nowMillis) {
        advance(nowMillis);
        buckets[(int) Math.floorMod(currentSecond, WINDOW_SECONDS)]++;
    }

    /**
     * The rate over the window, or over the topic's lifetime while it is younger than the window (a topic seen
     * for 2 s at 5 messages a second shows 5, not 1), and at least one second so a first message is 1/s.
     */
    double perSecond(long nowMillis) {
        advance(nowMillis);
        long sum = 0;
        for (long bucket : buckets) {
            sum += bucket;
        }
        double seconds = Math.min(WINDOW_SECONDS, Math.max(1.0, (nowMillis - firstMillis) / 1000.0));
        return sum / seconds;
    }

    private void advance(long nowMillis) {
        long second = Math.floorDiv(nowMillis, 1000);
        if (second <= currentSecond) {
            return; // a clock that steps back keeps counting into the current second
        }
        long gap = Math.min(second - currentSecond, WINDOW_SECONDS);
        for (long s = 1; s <= gap; s++) {
            buckets[(int) Math.floorMod(currentSecond + s, WINDOW_SECONDS)] = 0;
        }
        currentSecond = second;
    }
}
