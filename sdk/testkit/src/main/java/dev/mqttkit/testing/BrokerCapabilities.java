package dev.mqttkit.testing;

import static dev.mqttkit.testing.BrokerFeature.COPY_PER_OVERLAPPING_SUBSCRIPTION;
import static dev.mqttkit.testing.BrokerFeature.KILL_WITH_PERSISTENCE;
import static dev.mqttkit.testing.BrokerFeature.PASSWORD_AND_ACL_FILES;
import static dev.mqttkit.testing.BrokerFeature.QOS_2;
import static dev.mqttkit.testing.BrokerFeature.RETAINED_ON_WILDCARD;
import static dev.mqttkit.testing.BrokerFeature.SHARED_SUBSCRIPTIONS;
import static dev.mqttkit.testing.BrokerFeature.SYS_TOPICS;
import static dev.mqttkit.testing.BrokerFeature.TLS;

import dev.mqttkit.testing.MosquittoBroker.Kind;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which {@link BrokerFeature}s each kind of broker has, as the kit runs it (the versions of Debian 12: Mosquitto
 * 2.0.11, NATS 2.9.10, RabbitMQ 3.10.8; HiveMQ CE 2025.5, ActiveMQ Artemis 2.40.0). Each entry is pinned by a
 * {@code *CapabilitiesIT} against the real broker.
 */
final class BrokerCapabilities {

    private BrokerCapabilities() {
    }

    static Set<BrokerFeature> of(Kind kind) {
        return switch (kind) {
            // Mosquitto 2.0 sends one copy to a client whose subscriptions overlap
            case DOCKER, LOCAL -> EnumSet.complementOf(EnumSet.of(COPY_PER_OVERLAPPING_SUBSCRIPTION));
            // one copy per overlapping subscription, no $SYS, no process to kill, no TLS or users configured
            case EMBEDDED -> EnumSet.of(QOS_2, SHARED_SUBSCRIPTIONS, RETAINED_ON_WILDCARD);
            // NATS 2.9's MQTT: QoS 0 and 1 only (a QoS 2 PUBLISH closes the connection), no $share
            case NATS -> EnumSet.of(RETAINED_ON_WILDCARD, KILL_WITH_PERSISTENCE, COPY_PER_OVERLAPPING_SUBSCRIPTION);
            // RabbitMQ 3.10's MQTT plugin grants QoS 1 for 2; retained messages only on exact topics
            case RABBITMQ -> EnumSet.of(KILL_WITH_PERSISTENCE);
            case ARTEMIS -> EnumSet.of(QOS_2, SHARED_SUBSCRIPTIONS, RETAINED_ON_WILDCARD, KILL_WITH_PERSISTENCE,
                    COPY_PER_OVERLAPPING_SUBSCRIPTION);
        };
    }

    static boolean isMosquitto(Kind kind) {
        return kind == Kind.DOCKER || kind == Kind.LOCAL;
    }

    /** How skip messages name the kind: "the embedded HiveMQ CE broker", "NATS (MQTTKIT_BROKER=nats)". */
    static String displayName(Kind kind) {
        return switch (kind) {
            case DOCKER -> "Mosquitto in Docker";
            case LOCAL -> "the local Mosquitto";
            case EMBEDDED -> "the embedded HiveMQ CE broker";
            case NATS -> "NATS (MQTTKIT_BROKER=nats)";
            case RABBITMQ -> "RabbitMQ (MQTTKIT_BROKER=rabbitmq)";
            case ARTEMIS -> "ActiveMQ Artemis (MQTTKIT_BROKER=artemis)";
        };
    }
}
