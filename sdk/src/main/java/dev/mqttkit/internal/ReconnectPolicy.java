package dev.mqttkit.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try again after a lost connection: exponential backoff with jitter.
 *
 * <p>Attempt 1 waits about {@code initialDelay}, each later attempt twice as long as the one before, never more
 * than {@code maxDelay}. Every wait is spread at random over [50%, 100%] of its value, so that a fleet of
 * devices that lost the same broker does not come back in one burst.
 *
 * @param initialDelay the wait before the first attempt
 * @param maxDelay the longest wait
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay) {

    /** 1 s, doubling up to 30 s. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException when a delay is not positive or the maximum is below the initial delay
     */
    public ReconnectPolicy {
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("Initial reconnect delay [" + initialDelay + "] must be positive.");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("Maximum reconnect delay [" + maxDelay
                    + "] must be at least the initial delay [" + initialDelay + "].");
        }
    }

    /**
     * Returns the upper bound of the wait before an attempt, before jitter.
     *
     * @param attempt 1 for the first attempt after the loss
     * @return {@code initialDelay * 2^(attempt-1)}, capped at {@code maxDelay}
     */
    public Duration ceiling(int attempt) {
        long initial = initialDelay.toMillis();
        long max = maxDelay.toMillis();
        int doublings = Math.min(Math.max(attempt - 1, 0), 40);
        long delay = initial << doublings;
        return Duration.ofMillis(delay <= 0 || delay > max ? max : delay);
    }

    /**
     * Returns the wait before an attempt, with jitter.
     *
     * @param attempt 1 for the first attempt after the loss
     * @return between half of {@link #ceiling(int)} and all of it
     */
    public Duration delay(int attempt) {
        long ceiling = Math.max(1, ceiling(attempt).toMillis());
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
