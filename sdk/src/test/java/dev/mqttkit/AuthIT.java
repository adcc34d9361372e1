package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.testing.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Credentials and ACLs against a Mosquitto with a password file and an ACL file. */
class AuthIT {

    @RegisterExtension
    static final MosquittoBroker BROKER = MosquittoBroker.builder()
            .user("alice", "wonderland")
            .user("bob", "builder")
            .acl("user alice", "topic readwrite lab/#", "user bob", "topic read public/#")
            .build();

    @RegisterExtension
    final Clients clients = new Clients();

    @Test
    void start_rightCredentials_connectsAndExchanges() throws Exception {
        MyMqtt alice = clients.started(clients.builder(BROKER).credentials("alice", "wonderland".toCharArray()));
        Recorder recorder = new Recorder();
        alice.subscribe("lab/led", recorder);
        alice.publish("lab/led", "on").get();
        assertThat(recorder.awaitPayload("on")).containsExactly("on");
    }

    @Test
    void start_wrongPassword_throwsNotAuthorized() {
        MyMqtt intruder = clients.track(clients.builder(BROKER).clientId("intruder")
                .credentials("alice", "guess".toCharArray()).build());
        assertThatThrownBy(intruder::start).isInstanceOf(NotAuthorizedException.class)
                .hasMessage("Broker " + BROKER.uri()
                        + " refused the connection of client [intruder]: not authorised (CONNACK return code 5).");
        assertThat(intruder.isConnected()).isFalse();
    }

    @Test
    void publish_theAclForbids_isDroppedByTheBrokerWithoutTellingThePublisher() throws Exception {
        MyMqtt alice = clients.started(clients.builder(BROKER).credentials("alice", "wonderland".toCharArray()));
        Recorder recorder = new Recorder();
        alice.subscribe("lab/#", Qos.AT_LEAST_ONCE, recorder);
        MyMqtt bob = clients.started(clients.builder(BROKER).credentials("bob", "builder".toCharArray()));

        // bob may only read public/#: MQTT 3.1.1 has no way to refuse a PUBLISH, so Mosquitto acknowledges it and
        // drops it; the future completes normally
        bob.publish("lab/led", "forbidden", Qos.AT_LEAST_ONCE, false).get();
        alice.publish("lab/led", "allowed", Qos.AT_LEAST_ONCE, false).get();

        assertThat(recorder.awaitPayload("allowed")).containsExactly("allowed");
    }

    @Test
    void start_wrongPassword_neverShowsThePassword() {
        MyMqtt intruder = clients.track(clients.builder(BROKER).clientId("guesser")
                .credentials("alice", "my-Guess-42".toCharArray()).build());
        assertThatThrownBy(intruder::start).isInstanceOf(NotAuthorizedException.class)
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("my-Guess-42");
                    }
                });
        assertThat(intruder.toString()).doesNotContain("my-Guess-42");
    }

    @Test
    void start_anonymousWhenNotAllowed_throwsNotAuthorized() {
        MyMqtt anonymous = clients.track(clients.builder(BROKER).clientId("anonymous").build());
        assertThatThrownBy(anonymous::start).isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("refused the connection of client [anonymous]")
                .satisfies(e -> assertThat(((NotAuthorizedException) e).serverUri()).isEqualTo(BROKER.uri()));
    }
}
