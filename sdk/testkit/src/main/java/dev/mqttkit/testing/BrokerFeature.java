package dev.mqttkit.testing;

/**
 * What a test may need from the broker beyond plain MQTT 3.1.1 publish and subscribe, and which not every kind
 * of broker the kit runs has. Ask with {@link MosquittoBroker#supports(BrokerFeature)}, or skip the test with
 * {@link MosquittoBroker#assumeSupports(BrokerFeature, String)}:
 *
 * <pre>{@code
 * @Test
 * void exactlyOnce(MosquittoBroker broker) {
 *     broker.assumeSupports(BrokerFeature.QOS_2, "counts each message exactly once");
 *     ...
 * }
 * }</pre>
 *
 * <p>Each claim of the kit about a kind is checked against the real broker by the kit's own tests.
 */
public enum BrokerFeature {
    /** A subscription is granted QoS 2 and a QoS 2 PUBLISH gets PUBREC / PUBCOMP. */
    QOS_2,
    /** {@code $share/<group>/<filter>} subscriptions: each message goes to one member of the group. */
    SHARED_SUBSCRIPTIONS,
    /** A new subscription with a wildcard ({@code a/#}, {@code a/+}) receives the retained messages it matches. */
    RETAINED_ON_WILDCARD,
    /** The broker publishes its own state under {@code $SYS/}. */
    SYS_TOPICS,
    /** {@link MosquittoBroker.Builder#user(String, String)}, {@code acl(...)} and {@code denySubscribe(...)}. */
    PASSWORD_AND_ACL_FILES,
    /** {@link MosquittoBroker.Builder#tls(java.nio.file.Path, java.nio.file.Path, java.nio.file.Path, boolean)}. */
    TLS,
    /**
     * {@link MosquittoBroker#kill()} (SIGKILL) and {@link MosquittoBroker#start()} keep a durable session and the
     * QoS 1 message queued for it once the broker has saved it: Mosquitto with
     * {@link MosquittoBroker.Builder#persistence(boolean) persistence(true)} saves every second; NATS (JetStream),
     * RabbitMQ and Artemis store the message before they acknowledge it, persistence set or not.
     */
    KILL_WITH_PERSISTENCE,
    /** A message matching two subscriptions of one client is delivered twice, once for each. */
    COPY_PER_OVERLAPPING_SUBSCRIPTION
}
