package dev.mqttkit.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link MosquittoBroker.Builder} collected, immutable: the values every backend and configuration writer
 * reads.
 *
 * @param users user names and passwords for the password file
 * @param acl ACL lines in Mosquitto's syntax
 * @param subscribeDenials subscription patterns the dynamic security plugin refuses
 * @param allowAnonymous whether clients without credentials may connect
 * @param persistence whether sessions and retained messages are kept on disk
 * @param tls the TLS listener's files, or {@code null} for plain TCP
 * @param requestedKind the kind forced by the builder, or {@code null} for the JVM-wide choice
 * @param readyTimeout how long a start may take, or {@code null} for the kind's default
 * @param webSocketPort the port of a WebSocket listener beside the MQTT one (TLS too when {@code tls} is set), or 0
 */
record BrokerSettings(Map<String, String> users, List<String> acl, List<String> subscribeDenials,
        boolean allowAnonymous, boolean persistence, TlsFiles tls, MosquittoBroker.Kind requestedKind,
        Duration readyTimeout, int webSocketPort) {

    BrokerSettings {
        users = Map.copyOf(users);
        acl = List.copyOf(acl);
        subscribeDenials = List.copyOf(subscribeDenials);
        if (!subscribeDenials.isEmpty() && !users.isEmpty()) {
            throw new IllegalStateException("MosquittoBroker: denySubscribe(...) uses Mosquitto's dynamic security "
                    + "plugin for anonymous clients and cannot be combined with user(...).");
        }
    }

    /** How long a start of {@code kind} may take: as set, else 30 s (Artemis 60 s, RabbitMQ 90 s). */
    Duration readyTimeoutFor(MosquittoBroker.Kind kind) {
        if (readyTimeout != null) {
            return readyTimeout;
        }
        return switch (kind) {
            case RABBITMQ -> Duration.ofSeconds(90);
            case ARTEMIS -> Duration.ofSeconds(60);
            default -> Duration.ofSeconds(30);
        };
    }

    /** Tells whether the test relies on Mosquitto's password file, ACL file or security plugin. */
    boolean needsMosquittoSecurity() {
        return !users.isEmpty() || !acl.isEmpty() || !subscribeDenials.isEmpty();
    }
}
