package dev.mqttkit;

import dev.mqttkit.testing.BrokerFeature;
import dev.mqttkit.testing.MosquittoBroker;
import org.junit.jupiter.api.Assumptions;

/** What the tests expect of the broker kind they run on (the kit's {@code MQTTKIT_BROKER}). */
final class TestBrokers {

    private TestBrokers() {
    }

    /** The highest QoS the broker delivers at: 2, or 1 for NATS and RabbitMQ (they grant 1 for 2). */
    static Qos highestQos(MosquittoBroker broker) {
        return broker.supports(BrokerFeature.QOS_2) ? Qos.EXACTLY_ONCE : Qos.AT_LEAST_ONCE;
    }

    /** The QoS a message published and subscribed at these QoS arrives with on this broker. */
    static Qos delivered(MosquittoBroker broker, Qos published, Qos subscribed) {
        return published.min(subscribed).min(highestQos(broker));
    }

    /**
     * Skips the calling test on one kind of broker (the kit's {@code SkipReasons} prints the reason on the
     * console): for what that broker does differently and no {@link BrokerFeature} names.
     */
    static void skipOn(MosquittoBroker broker, MosquittoBroker.Kind kind, String why) {
        if (broker.kind() == kind) {
            Assumptions.abort("on " + kind + ": " + why); // the kit's SkipReasons prints it
        }
    }
}
