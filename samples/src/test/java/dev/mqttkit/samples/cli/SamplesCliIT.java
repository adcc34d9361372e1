package dev.mqttkit.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.MyMqtt;
import dev.mqttkit.samples.Probe;
import dev.mqttkit.samples.led.LedLight;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line in this JVM against a real broker: what each sample prints, and the errors students meet. */
@MosquittoTest
class SamplesCliIT {

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void publisher_count_publishesAndExitsZero(MosquittoBroker broker) {
        try (Probe subscriber = Probe.on(broker.uri(), "robotcell1/temperature")) {
            Run run = Run.complete("publisher", "--broker", broker.uri(), "--count", "3", "--interval", "10ms");
            assertThat(run.exitCode()).isZero();
            assertThat(run.outLines()).hasSize(3).allMatch(line -> line.matches("published \\d+\\.\\d+(E-?\\d+)? to "
                    + "robotcell1/temperature"));
            org.awaitility.Awaitility.await().until(() -> subscriber.payloads("robotcell1/temperature").size() == 3);
            assertThat(subscriber.payloads("robotcell1/temperature"))
                    .allSatisfy(payload -> assertThat(Double.parseDouble(payload)).isBetween(0.0, 100.0));
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void switch_on_setsTheLedAndExitsZero(MosquittoBroker broker) {
        Run led = Run.start("led", "--broker", broker.uri(), "--client-id", "cli-led");
        led.awaitOut("LED is OFF");
        Run on = Run.complete("switch", "on", "--broker", broker.uri());
        assertThat(on.exitCode()).isZero();
        assertThat(on.out()).isEqualTo("Sent on to the light; the broker acknowledged it." + System.lineSeparator());
        led.awaitOut("LED is now ON");
        Run toggle = Run.complete("switch", "toggle", "--broker", broker.uri(), "--qos", "1");
        assertThat(toggle.exitCode()).isZero();
        assertThat(toggle.out()).contains("Sent off to the light");
        led.awaitOut("LED is now OFF");
        kickOff(broker, "cli-led", led);
    }

    @Test
    void led_duplicateClientId_endsWithOneSentenceNamingTheId(MosquittoBroker broker) {
        Run led = Run.start("led", "--broker", broker.uri(), "--client-id", "twin");
        led.awaitOut("LED is OFF");
        kickOff(broker, "twin", led);
        assertThat(led.err()).contains("Lost the connection to " + broker.uri())
                .contains("most likely another client connected with the same client id [twin] (give each one its "
                        + "own --client-id, or leave it out for a random one), or the broker stopped.");
        assertThat(led.err().lines()).hasSize(1);
        assertThat(led.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void kickOff(MosquittoBroker broker, String clientId, Run run) {
        run.endByDuplicateId(broker, clientId);
    }

    @Test
    void chat_linesFromInput_sendsRefusesAndQuitsWithZero(MosquittoBroker broker) throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream input = new PipedInputStream(typing);
        try (Probe chat = Probe.on(broker.uri(), "chat")) {
            Run john = Run.withInput(input, "chat", "--user", "John", "--broker", broker.uri());
            john.awaitOut("Chatting on [chat] as John.");
            typing.write("Let\nit\n\n/quit\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            assertThat(john.exitCode()).isZero();
            assertThat(john.outLines()).containsExactly(
                    "Chatting on [chat] as John. Type a line and press enter; /quit leaves.",
                    "Not sent: wait for someone else to reply (the last message on [chat] is yours).");
            chat.awaitLast("chat", "{\"user\":\"John\",\"text\":\"Let\"}");
            assertThat(chat.payloads("chat")).containsExactly("{\"user\":\"John\",\"text\":\"Let\"}");
        }
    }

    @Test
    void chat_endOfInput_leavesWithZero(MosquittoBroker broker) {
        Run yoko = Run.complete("chat", "--user", "Yoko", "--broker", broker.uri());
        assertThat(yoko.exitCode()).isZero();
        assertThat(yoko.err()).isEmpty();
    }

    @Test
    void noBrokerListening_saysHowToStartOneAndExitsOne() throws IOException {
        int port = unusedPort();
        Run run = Run.complete("led", "--broker", "tcp://127.0.0.1:" + port);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Cannot connect to tcp://127.0.0.1:" + port + ": no MQTT broker is listening "
                + "there. Start one (for example sudo systemctl start mosquitto), check the port in --broker, or add "
                + "--embedded to run a broker inside this sample." + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void wrongPort_aServerThatIsNotMqtt_saysToCheckTheBrokerAndExitsOne() throws Exception {
        try (ServerSocket notMqtt = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (java.net.Socket client = notMqtt.accept()) {
                    client.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // the test ends the server by closing its socket
                }
            });
            server.start();
            Run run = Run.complete("switch", "on", "--broker", "tcp://127.0.0.1:" + notMqtt.getLocalPort());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).startsWith("Cannot connect")
                    .contains("tcp://127.0.0.1:" + notMqtt.getLocalPort())
                    .endsWith(" Check that --broker names an MQTT broker's address and port." + System.lineSeparator());
            assertThat(run.err().lines()).hasSize(1);
        }
    }

    @Test
    void invalidTopic_namesTheRuleAndExitsTwo(MosquittoBroker broker) {
        Run run = Run.complete("publisher", "--broker", broker.uri(), "--topic", "robotcell1/+/temperature",
                "--count", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Topic [robotcell1/+/temperature] must not contain the wildcard '+', found "
                + "at index 11; wildcards are only allowed in topic filters. Fix the topic: use + and # only in "
                + "subscriptions, never in a topic you publish to." + System.lineSeparator());
    }

    @Test
    void invalidFilter_namesTheRuleAndExitsTwo(MosquittoBroker broker) {
        Run run = Run.complete("subscriber", "--broker", broker.uri(), "--topic", "a/#/b");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Topic filter [a/#/b] must have '#' only as the last level, found at index "
                + "2. Fix the filter in --topic: + stands for one whole level (robotcell1/+/temperature), # for all "
                + "the levels below and only at the end (robotcell1/#)." + System.lineSeparator());
    }

    @Test
    void average_retainedReadings_showsItsBannerFirst(MosquittoBroker broker) {
        try (MyMqtt sensors = MyMqtt.builder().serverUri(broker.uri()).clientId("sensors").build()) {
            sensors.start();
            sensors.publish("robotcell1/temperature1", "21", dev.mqttkit.Qos.EXACTLY_ONCE, true).join();
            sensors.publish("robotcell1/temperature2", "26", dev.mqttkit.Qos.EXACTLY_ONCE, true).join();
            Run average = Run.start("average", "--broker", broker.uri(), "--client-id", "cli-average");
            average.awaitOut("robotcell1/avgtemperature = 23.5");
            kickOff(broker, "cli-average", average);
            assertThat(average.outLines()).startsWith(
                    "Waiting for robotcell1/temperature1 and robotcell1/temperature2 (numbers as text).");
            for (String topic : new String[] {"robotcell1/temperature1", "robotcell1/temperature2",
                    "robotcell1/avgtemperature"}) {
                sensors.publish(topic, "", dev.mqttkit.Qos.EXACTLY_ONCE, true).join();
            }
        }
    }

    @Test
    void wrongOptions_sayWhatIsWrongAndExitTwo(MosquittoBroker broker) {
        Run qos = Run.complete("publisher", "--broker", broker.uri(), "--qos", "3");
        assertThat(qos.exitCode()).isEqualTo(2);
        assertThat(qos.err()).contains("QoS [3] must be 0, 1 or 2");
        Run uri = Run.complete("led", "--broker", "localhost:1883");
        assertThat(uri.exitCode()).isEqualTo(2);
        assertThat(uri.err()).isEqualTo("Server URI [localhost:1883] must look like tcp://host:port, "
                + "ssl://host:port, ws://host:port/path or wss://host:port/path." + System.lineSeparator());
        Run action = Run.complete("switch", "dim", "--broker", broker.uri());
        assertThat(action.exitCode()).isEqualTo(2);
        assertThat(action.err()).contains("Invalid value for positional parameter at index 0 (on|off|toggle): "
                + "expected one of [on, off, toggle] (case-sensitive) but was 'dim'");
        Run none = Run.complete();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("Name a sample, for example: demo");
    }

    @Test
    void embedded_onAPortInUse_saysSoAndExitsOne(MosquittoBroker broker) {
        Run run = Run.complete("switch", "on", "--embedded", "--broker", broker.uri());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Cannot start the embedded broker on 127.0.0.1:" + broker.port() + ": the "
                + "port is in use, probably by a broker that already runs there (then leave out --embedded) or pick "
                + "another port with --broker tcp://localhost:<port>." + System.lineSeparator());
    }

    @Test
    void embedded_switchOn_startsABrokerSendsAndStopsIt() throws IOException {
        int port = unusedPort();
        Run run = Run.complete("switch", "on", "--embedded", "--broker", "tcp://localhost:" + port);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Sent on to the light");
        Run after = Run.complete("switch", "on", "--broker", "tcp://127.0.0.1:" + port);
        assertThat(after.exitCode()).as("the embedded broker is gone").isEqualTo(1);
    }

    @Test
    void toggle_withoutAnyLed_saysToStartTheLedFirst(MosquittoBroker broker) {
        try (MyMqtt cleaner = MyMqtt.builder().serverUri(broker.uri()).clientId("cleaner").build()) {
            cleaner.start();
            cleaner.publish(LedLight.STATUS_TOPIC, "", dev.mqttkit.Qos.EXACTLY_ONCE, true).join();
        }
        Run run = Run.complete("switch", "toggle", "--broker", broker.uri());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("No LED state on [led/status] within 3 s");
    }
}
