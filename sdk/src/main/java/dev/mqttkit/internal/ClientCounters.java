package dev.mqttkit.internal;

import dev.mqttkit.Qos;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * A client's running counts, from its creation on (across {@code stop()} and {@code start()}): what was published
 * and received, failures, reconnects and bytes. Each count is a {@link LongAdder}: the threads that count (the
 * socket reader and writer, the callback and dispatch threads, the publishing threads) never contend for one lock.
 */
public final class ClientCounters {

    private final LongAdder[] published = adders(3);
    private final LongAdder[] received = adders(3);
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder connectionLosses = new LongAdder();
    private final LongAdder listenerErrors = new LongAdder();
    private final LongAdder decodeErrors = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /**
     * A publish's future that counts how it ends: published at its QoS when it completes, a failure when it
     * completes exceptionally (each once; a cancelled future counts as neither).
     *
     * @param qos the QoS the publish asked for
     * @return a new, incomplete future
     */
    public CompletableFuture<Void> newPublish(Qos qos) {
        return new CountedPublish(published[qos.value()], publishFailures);
    }

    /** @param qos the QoS of a message that arrived from the broker (before its listeners run) */
    public void received(Qos qos) {
        received[qos.value()].increment();
    }

    /** A reconnect succeeded. */
    public void reconnected() {
        reconnects.increment();
    }

    /** An established connection was lost. */
    public void connectionLost() {
        connectionLosses.increment();
    }

    /** A listener, the notifier or a typed listener's code threw. */
    public void listenerError() {
        listenerErrors.increment();
    }

    /** A payload did not decode for a typed listener. */
    public void decodeError() {
        decodeErrors.increment();
    }

    /** @param count bytes read from the broker's connection */
    public void bytesIn(int count) {
        bytesIn.add(count);
    }

    /** @param count bytes written to the broker's connection */
    public void bytesOut(int count) {
        bytesOut.add(count);
    }

    /**
     * @param qos a QoS
     * @return publishes asked at that QoS that completed: acknowledged by the broker (QoS 0: written)
     */
    public long publishedAt(Qos qos) {
        return published[qos.value()].sum();
    }

    /**
     * @param qos a QoS
     * @return messages that arrived at that QoS
     */
    public long receivedAt(Qos qos) {
        return received[qos.value()].sum();
    }

    /** @return publish futures that failed */
    public long publishFailures() {
        return publishFailures.sum();
    }

    /** @return reconnects that succeeded */
    public long reconnects() {
        return reconnects.sum();
    }

    /** @return connections lost */
    public long connectionLosses() {
        return connectionLosses.sum();
    }

    /** @return listener failures */
    public long listenerErrors() {
        return listenerErrors.sum();
    }

    /** @return payloads that did not decode */
    public long decodeErrors() {
        return decodeErrors.sum();
    }

    /** @return bytes read */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** @return bytes written */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /**
     * Counts before it completes, so that whoever waits on the future ({@code get()}, a dependent stage) and then
     * reads the metrics finds it counted. The first {@code complete} or {@code completeExceptionally} counts; a
     * future cancelled before counts as neither. No allocation beyond the future itself.
     */
    private static final class CountedPublish extends CompletableFuture<Void> {

        private final LongAdder published;
        private final LongAdder failures;
        private static final AtomicIntegerFieldUpdater<CountedPublish> ENDING =
                AtomicIntegerFieldUpdater.newUpdater(CountedPublish.class, "ending");

        /** 1 once a completion was claimed: only the first one counts. */
        private volatile int ending;

        CountedPublish(LongAdder published, LongAdder failures) {
            this.published = published;
            this.failures = failures;
        }

        @Override
        public boolean complete(Void value) {
            if (!ENDING.compareAndSet(this, 0, 1)) {
                return false;
            }
            published.increment();
            if (super.complete(value)) {
                return true;
            }
            published.decrement(); // cancelled before
            return false;
        }

        @Override
        public boolean completeExceptionally(Throwable failure) {
            if (!ENDING.compareAndSet(this, 0, 1)) {
                return false;
            }
            failures.increment();
            if (super.completeExceptionally(failure)) {
                return true;
            }
            failures.decrement();
            return false;
        }
    }
}
