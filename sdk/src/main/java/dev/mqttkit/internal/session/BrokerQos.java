package dev.mqttkit.internal.session;

import dev.mqttkit.Qos;
import dev.mqttkit.internal.Logs;
import org.slf4j.Logger;

/**
 * The highest QoS the broker supports, as far as the client can tell: MQTT 3.1.1 gives a server no way to refuse QoS
 * 2 but to grant less in a SUBACK, to acknowledge a QoS 2 publish as if it were QoS 1 (RabbitMQ) or to close the
 * connection (NATS). Once seen, later publishes use that QoS (or fail, with {@code strictQos}), after one WARN.
 */
final class BrokerQos {

    private static final Logger LOG = Logs.get(BrokerQos.class);

    private final String clientId;
    private final String serverUri;
    private final boolean strict;
    private volatile Qos highest = Qos.EXACTLY_ONCE;
    /** Whether the broker has shown QoS 2: a PUBCOMP, or a SUBACK granting it. */
    private volatile boolean qos2Shown;

    BrokerQos(String clientId, String serverUri, boolean strict) {
        this.clientId = clientId;
        this.serverUri = serverUri;
        this.strict = strict;
    }

    /** The highest QoS the broker supports: {@link Qos#EXACTLY_ONCE} until it showed otherwise. */
    Qos highest() {
        return highest;
    }

    /** The broker completed a QoS 2 exchange or granted a QoS 2 subscription: it supports QoS 2. */
    void qos2Shown() {
        qos2Shown = true;
    }

    /** Whether the broker has ever shown that it supports QoS 2 (then a lost connection is just that). */
    boolean isQos2Shown() {
        return qos2Shown;
    }

    boolean strict() {
        return strict;
    }

    /** The QoS a publish asking for {@code qos} goes out with. */
    Qos effective(Qos qos) {
        Qos limit = highest;
        return qos.value() > limit.value() ? limit : qos;
    }

    /**
     * The broker showed that it supports at most {@code qos}; {@code how} says how, for the WARN.
     *
     * @return {@code true} the first time this limit is learned
     */
    synchronized boolean limitedTo(Qos qos, String how) {
        if (qos.value() >= highest.value()) {
            return false;
        }
        highest = qos;
        LOG.warn("Client [{}]: the broker {} supports at most QoS {}: {}. {}", clientId, serverUri, qos.value(), how,
                strict ? "Publishes at a higher QoS now fail with QosNotSupportedException (strictQos)."
                        : "Publishes at a higher QoS now go out at QoS " + qos.value() + " (at least once: a message "
                                + "may arrive twice); strictQos(true) makes them fail instead.");
        return true;
    }
}
