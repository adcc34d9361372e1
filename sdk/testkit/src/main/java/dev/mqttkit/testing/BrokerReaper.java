package dev.mqttkit.testing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops, when the JVM exits, every broker a test run started and did not close, so that no broker process and
 * no temporary folder outlives the run.
 */
final class BrokerReaper {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerReaper.class);
    private static final Set<AutoCloseable> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(BrokerReaper::closeAll, "mqttkit-broker-reaper"));
    }

    private BrokerReaper() {
    }

    /** Closes {@code broker} at JVM exit unless {@link #release(AutoCloseable)} comes first. */
    static void watch(AutoCloseable broker) {
        LIVE.add(broker);
    }

    /** Forgets a broker that was closed. */
    static void release(AutoCloseable broker) {
        LIVE.remove(broker);
    }

    private static void closeAll() {
        for (AutoCloseable broker : List.copyOf(LIVE)) {
            try {
                broker.close();
            } catch (Exception e) {
                LOG.warn("Could not stop {} at exit: {}", broker, e.toString());
            }
        }
    }
}
