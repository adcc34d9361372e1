package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input fails in the call itself, with a message naming the value and the rule; the client stays up. */
@MosquittoTest
class InputValidationIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @ParameterizedTest(name = "publish to [{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a/+/b | Topic [a/+/b] must not contain the wildcard '+', found at index 2; wildcards are only allowed in topic filters.",
        "a/#   | Topic [a/#] must not contain the wildcard '#', found at index 2; wildcards are only allowed in topic filters.",
        "+     | Topic [+] must not contain the wildcard '+', found at index 0; wildcards are only allowed in topic filters.",
        "\"\"  | Topic [] must not be empty.",
    })
    void publish_invalidTopic_throwsNamingValueAndRule(String topic, String expected, MosquittoBroker broker) {
        MyMqtt client = clients.started(broker);
        assertThatThrownBy(() -> client.publish(topic, "x")).isInstanceOf(InvalidTopicException.class)
                .hasMessage(expected);
        assertThat(client.isConnected()).isTrue();
    }

    @ParameterizedTest(name = "subscribe to [{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a/#/b  | Topic filter [a/#/b] must have '#' only as the last level, found at index 2.",
        "a/b#   | Topic filter [a/b#] must have '#' as a whole level, found at index 3.",
        "a/b+   | Topic filter [a/b+] must have '+' as a whole level, found at index 3.",
        "+a/b   | Topic filter [+a/b] must have '+' as a whole level, found at index 0.",
        "\"\"   | Topic filter [] must not be empty.",
    })
    void subscribe_invalidFilter_throwsNamingValueAndRule(String filter, String expected, MosquittoBroker broker) {
        MyMqtt client = clients.started(broker);
        assertThatThrownBy(() -> client.subscribe(filter, message -> { })).isInstanceOf(InvalidTopicException.class)
                .hasMessage(expected);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void publish_nulCharacter_throws(MosquittoBroker broker) {
        MyMqtt client = clients.started(broker);
        assertThatThrownBy(() -> client.publish("a\u0000b", "x")).isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [a\\u0000b] must not contain the null character U+0000, found at index 1.");
        assertThatThrownBy(() -> client.subscribe("a/\u0000", message -> { })).isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic filter [a/\\u0000] must not contain the null character U+0000, found at index 2.");
    }

    @Test
    void publish_topicOver65535Bytes_throws(MosquittoBroker broker) {
        MyMqtt client = clients.started(broker);
        String tooLong = "a".repeat(65_536);
        assertThatThrownBy(() -> client.publish(tooLong, "x")).isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [" + "a".repeat(60) + "...(65,536 chars)] must be at most 65,535 bytes in UTF-8, "
                        + "was 65,536.");
        // three bytes per character in UTF-8: 21,846 characters are 65,538 bytes
        String multiByte = "€".repeat(21_846);
        assertThatThrownBy(() -> client.subscribe(multiByte, message -> { })).isInstanceOf(InvalidTopicException.class)
                .hasMessageEndingWith("must be at most 65,535 bytes in UTF-8, was 65,538.");
    }

    @Test
    void publish_longestValidTopic_delivered(MosquittoBroker broker) throws Exception {
        MyMqtt client = clients.started(broker);
        String longest = "a".repeat(65_535);
        Recorder recorder = new Recorder();
        client.subscribe(longest, Qos.AT_LEAST_ONCE, recorder);
        client.publish(longest, "fits", Qos.AT_LEAST_ONCE, false).get();
        assertThat(recorder.awaitCount(1).get(0).topic()).isEqualTo(longest);
    }

    @Test
    void publish_payloadOverMqttMaximum_throws(MosquittoBroker broker) {
        MyMqtt client = clients.started(broker);
        byte[] tooBig = new byte[MyMqtt.MAX_PAYLOAD_BYTES + 1];
        assertThatThrownBy(() -> client.publishWith().topic("firmware").payload(tooBig).send())
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("Payload of 268,435,456 bytes for topic [firmware] exceeds the MQTT maximum of "
                        + "268,435,455 bytes.");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void builder_badValues_throwNamingValue() {
        assertThatThrownBy(() -> MyMqtt.builder().serverUri("http://localhost:1883"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Server URI [http://localhost:1883] must look like tcp://host:port, ssl://host:port, "
                        + "ws://host:port/path or wss://host:port/path.");
        assertThatThrownBy(() -> new MyMqtt("id", "localhost", 70_000, (t, p) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Port [70000] must be between 1 and 65535.");
        assertThatThrownBy(() -> MyMqtt.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("MyMqtt.Builder is missing the serverUri, for example tcp://localhost:1883.");
        assertThatThrownBy(() -> MyMqtt.builder().maxInflight(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Max inflight [0] must be between 1 and 65534.");
        assertThatThrownBy(() -> MyMqtt.builder().lastWill("status/#", new byte[0], Qos.AT_LEAST_ONCE, false))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Topic [status/#] must not contain the wildcard '#', found at index 7; wildcards are only "
                        + "allowed in topic filters.");
        assertThatThrownBy(() -> MyMqtt.builder().serverUri("tcp://localhost:1883").build().subscribe("led"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("has no notifier: pass one to the constructor or the builder, or use "
                        + "subscribe(filter, listener).");
    }

    @Test
    void labConstructor_nullNotifier_isAPublishOnlyClient(MosquittoBroker broker) throws Exception {
        // the course's MyMQTT(clientID, broker, port, None): a switch only publishes
        java.net.URI uri = java.net.URI.create(broker.uri());
        String id = Clients.uniqueId("switch");
        MyMqtt lightSwitch = clients.track(new MyMqtt(id, uri.getHost(), uri.getPort(), null));
        Recorder light = new Recorder();
        clients.started(broker).subscribe("led", Qos.EXACTLY_ONCE, light);

        lightSwitch.start();
        lightSwitch.publish("led", "on").get(5, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(light.awaitPayload("on")).containsExactly("on");
        assertThatThrownBy(() -> lightSwitch.subscribe("led")).isInstanceOf(IllegalStateException.class)
                .hasMessage("MyMqtt [" + id + "] has no notifier: pass one to the constructor or the builder, or use "
                        + "subscribe(filter, listener).");
    }
}
