package dev.mqttkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Pins each {@link BrokerFeature} claim of {@link BrokerCapabilities} against a real broker of one kind, with a
 * raw Paho client: where the kit says a kind has a feature, the feature works; where it says not, it does not.
 */
abstract class CapabilitiesContract {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final MosquittoBroker broker;
    private final String prefix = "caps/" + UUID.randomUUID().toString().substring(0, 8);

    CapabilitiesContract(MosquittoBroker broker) {
        this.broker = broker;
    }

    @Test
    void qos2_subscribedAtQos2_grantedAsClaimed() throws Exception {
        String topic = prefix + "/qos2";
        try (RawClient subscriber = RawClient.connect(broker.uri()); RawClient publisher = RawClient.connect(broker.uri())) {
            int granted = subscriber.subscribe(topic, 2);

            if (broker.supports(BrokerFeature.QOS_2)) {
                assertThat(granted).isEqualTo(2);
                publisher.publish(topic, "exactly-once", 2, false);
                await().atMost(TIMEOUT).until(() -> subscriber.hasReceived(topic));
                assertThat(subscriber.received).containsExactly(new RawClient.Received(topic, "exactly-once", 2, false));
            } else {
                assertThat(granted).isEqualTo(1);
            }
        }
    }

    @Test
    void sharedSubscriptions_twoMembers_eachMessageOnceAsClaimed() throws Exception {
        String topic = prefix + "/shared";
        String done = prefix + "/done";
        try (RawClient first = RawClient.connect(broker.uri()); RawClient second = RawClient.connect(broker.uri());
             RawClient publisher = RawClient.connect(broker.uri())) {
            int grantedFirst = first.subscribe("$share/group/" + topic, 1);
            int grantedSecond = second.subscribe("$share/group/" + topic, 1);
            first.subscribe(done, 1);
            second.subscribe(done, 1);

            for (int i = 0; i < 10; i++) {
                publisher.publish(topic, "m" + i, 1, false);
            }
            publisher.publish(done, "done", 1, false);
            await().atMost(TIMEOUT).until(() -> first.hasReceived(done) && second.hasReceived(done));
            long shared = first.topics().stream().filter(topic::equals).count()
                    + second.topics().stream().filter(topic::equals).count();

            if (broker.supports(BrokerFeature.SHARED_SUBSCRIPTIONS)) {
                assertThat(List.of(grantedFirst, grantedSecond)).containsExactly(1, 1);
                // a broker may deliver to a member after the "done" message: wait for all ten
                await().atMost(TIMEOUT).until(() -> first.topics().stream().filter(topic::equals).count()
                        + second.topics().stream().filter(topic::equals).count() >= 10);
                assertThat(first.topics().stream().filter(topic::equals).count()
                        + second.topics().stream().filter(topic::equals).count()).isEqualTo(10);
            } else {
                assertThat(shared).isZero();
            }
        }
    }

    @Test
    void retainedOnWildcard_newWildcardSubscription_getsRetainedAsClaimed() throws Exception {
        String retainedTopic = prefix + "/retained/x";
        String live = prefix + "/retained/live";
        try (RawClient publisher = RawClient.connect(broker.uri())) {
            publisher.publish(retainedTopic, "kept", 1, true);
            try (RawClient exact = RawClient.connect(broker.uri())) {
                exact.subscribe(retainedTopic, 1); // the broker has stored it once this arrives
                await().atMost(TIMEOUT).until(() -> exact.hasReceived(retainedTopic));
            }
            try (RawClient wildcard = RawClient.connect(broker.uri())) {
                wildcard.subscribe(prefix + "/retained/#", 1);
                publisher.publish(live, "now", 1, false);
                await().atMost(TIMEOUT).until(() -> wildcard.hasReceived(live));

                if (broker.supports(BrokerFeature.RETAINED_ON_WILDCARD)) {
                    // HiveMQ may send the retained message after a live one
                    await().atMost(TIMEOUT).until(() -> wildcard.hasReceived(retainedTopic));
                    assertThat(wildcard.received).containsExactlyInAnyOrder(
                            new RawClient.Received(retainedTopic, "kept", 1, true),
                            new RawClient.Received(live, "now", 1, false));
                } else {
                    assertThat(wildcard.received).containsExactly(new RawClient.Received(live, "now", 1, false));
                }
            }
        }
    }

    @Test
    void sysTopics_subscribed_brokerPublishesAsClaimed() throws Exception {
        String marker = prefix + "/sys-marker";
        try (RawClient client = RawClient.connect(broker.uri())) {
            int granted = client.subscribe("$SYS/#", 0);
            if (client.isConnected()) {
                client.subscribe(marker, 1);
                client.publish(marker, "after", 1, false);
            }

            if (broker.supports(BrokerFeature.SYS_TOPICS)) {
                assertThat(granted).isZero();
                await().atMost(TIMEOUT).until(() -> client.hasReceived(marker));
                assertThat(client.topics()).anyMatch(topic -> topic.startsWith("$SYS/broker/"));
            } else if (client.isConnected()) {
                await().atMost(TIMEOUT).until(() -> client.hasReceived(marker));
                assertThat(client.topics()).containsExactly(marker);
            }
        }
    }

    @Test
    void passwordAndAclFiles_userConfigured_enforcedOrTestSkippedAsClaimed() throws Exception {
        MosquittoBroker secured = MosquittoBroker.builder().kind(broker.kind()).user("alice", "secret")
                .acl("user alice", "topic readwrite lab/#").build();
        try {
            if (broker.supports(BrokerFeature.PASSWORD_AND_ACL_FILES)) {
                secured.start();
                assertThatThrownBy(() -> RawClient.connect(secured.uri()).close()).isInstanceOf(MqttException.class)
                        .extracting(e -> ((MqttException) e).getReasonCode())
                        .isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
                try (RawClient alice = RawClient.connect(secured.uri(), "alice", true, "alice", "secret", null)) {
                    assertThat(alice.isConnected()).isTrue();
                }
            } else {
                assertThatThrownBy(secured::start).isInstanceOf(TestAbortedException.class);
                assertThat(secured.isRunning()).isFalse();
            }
        } finally {
            secured.close();
        }
    }

    @Test
    void tls_listenerConfigured_acceptsTlsClientsOrTestSkippedAsClaimed(@TempDir Path dir) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
        Path cert = dir.resolve("cert.pem");
        MosquittoBroker secured = MosquittoBroker.builder().kind(broker.kind())
                .tls(cert, cert, dir.resolve("key.pem"), false).build();
        try {
            if (broker.supports(BrokerFeature.TLS)) {
                secured.start();
                assertThat(secured.uri()).isEqualTo("ssl://127.0.0.1:" + secured.port());
                try (RawClient client = RawClient.connect(secured.uri(), "tls", true, null, null, trusting(cert))) {
                    assertThat(client.isConnected()).isTrue();
                }
            } else {
                assertThatThrownBy(secured::start).isInstanceOf(TestAbortedException.class);
            }
        } finally {
            secured.close();
        }
    }

    @Test
    void killWithPersistence_queuedMessage_survivesKillAsClaimed() throws Exception {
        String topic = prefix + "/durable";
        String clientId = "durable-" + UUID.randomUUID().toString().substring(0, 8);
        if (!broker.supports(BrokerFeature.KILL_WITH_PERSISTENCE)) {
            assertThatThrownBy(broker::kill).isInstanceOf(TestAbortedException.class);
            assertThat(broker.isRunning()).isTrue();
            return;
        }
        try (RawClient durable = RawClient.connect(broker.uri(), clientId, false, null, null, null)) {
            durable.subscribe(topic, 1);
            durable.disconnect();
        }
        try (RawClient publisher = RawClient.connect(broker.uri())) {
            publisher.publish(topic, "kept", 1, false); // returns once the broker acknowledged it
        }
        Instant published = Instant.now();
        awaitSaved(published);

        broker.kill();
        assertThat(broker.isRunning()).isFalse();
        broker.start();

        try (RawClient durable = RawClient.connect(broker.uri(), clientId, false, null, null, null)) {
            await().atMost(TIMEOUT).until(() -> durable.hasReceived(topic));
            assertThat(durable.received).containsExactly(new RawClient.Received(topic, "kept", 1, false));
        }
    }

    @Test
    void overlappingSubscriptions_oneClient_copiesAsClaimed() throws Exception {
        String topic = prefix + "/overlap/a/x";
        String end = prefix + "/overlap/end";
        try (RawClient client = RawClient.connect(broker.uri()); RawClient publisher = RawClient.connect(broker.uri())) {
            client.subscribe(prefix + "/overlap/#", 1);
            client.subscribe(prefix + "/overlap/+/x", 1);

            publisher.publish(topic, "one", 1, false);
            publisher.publish(end, "end", 1, false);
            await().atMost(TIMEOUT).until(() -> client.hasReceived(end));

            long copies = client.topics().stream().filter(topic::equals).count();
            assertThat(copies).isEqualTo(broker.supports(BrokerFeature.COPY_PER_OVERLAPPING_SUBSCRIPTION) ? 2 : 1);
        }
    }

    /**
     * Mosquitto writes its persistence file every second (autosave_interval 1): wait for a save after the
     * message was acknowledged. The other kinds store a QoS 1 message before they acknowledge it.
     */
    private void awaitSaved(Instant after) {
        if (BrokerCapabilities.isMosquitto(broker.kind())) {
            Path file = broker.directory().resolve("data/mosquitto.db");
            await().atMost(TIMEOUT).until(() -> Files.exists(file)
                    && Files.getLastModifiedTime(file).toInstant().isAfter(after));
        }
    }

    private static javax.net.SocketFactory trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (FileInputStream in = new FileInputStream(certificate.toFile())) {
            trust.setCertificateEntry("broker", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
