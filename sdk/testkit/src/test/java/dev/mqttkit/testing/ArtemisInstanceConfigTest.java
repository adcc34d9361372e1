package dev.mqttkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArtemisInstanceConfigTest {

    private static final String CREATED = """
                  <acceptors>
                     <acceptor name="artemis">tcp://127.0.0.1:61617?tcpSendBufferSize=1048576;protocols=CORE,AMQP,STOMP,HORNETQ,MQTT,OPENWIRE;useEpoll=true</acceptor>
                  </acceptors>
            """;

    @Test
    void createArguments_single_anonymousLoopbackCoreOnly() {
        List<String> args = new ArtemisInstanceConfig("b1", 61617, 1884, List.of())
                .createArguments(Path.of("/tmp/i"));

        assertThat(args).startsWith("create", "/tmp/i", "--silent").contains("--allow-anonymous", "--no-web",
                "--no-amqp-acceptor", "--no-hornetq-acceptor", "--no-stomp-acceptor", "--no-mqtt-acceptor")
                .containsSequence("--host", "127.0.0.1").containsSequence("--default-port", "61617")
                .containsSequence("--name", "b1").doesNotContain("--clustered");
    }

    @Test
    void createArguments_clustered_staticConnectorsToTheOtherNodes() {
        List<String> args = new ArtemisInstanceConfig("b1", 61617, 1884, List.of(61618, 61619))
                .createArguments(Path.of("/tmp/i"));

        assertThat(args).contains("--clustered")
                .containsSequence("--staticCluster", "tcp://127.0.0.1:61618,tcp://127.0.0.1:61619");
    }

    @Test
    void patchBrokerXml_created_addsLoopbackMqttAcceptorAndNarrowsCore() {
        String patched = new ArtemisInstanceConfig("b1", 61617, 1884, List.of()).patchBrokerXml(CREATED);

        assertThat(patched).isEqualTo("""
                      <acceptors>
                         <acceptor name="artemis">tcp://127.0.0.1:61617?tcpSendBufferSize=1048576;protocols=CORE;useEpoll=true</acceptor>
                         <acceptor name="mqtt">tcp://127.0.0.1:1884?protocols=MQTT</acceptor>
                      </acceptors>
                """);
    }

    @Test
    void patchBrokerXml_unexpected_throws() {
        assertThatIllegalStateException()
                .isThrownBy(() -> new ArtemisInstanceConfig("b1", 1, 2, List.of()).patchBrokerXml("<broker/>"))
                .withMessage("Unexpected broker.xml from artemis create: no </acceptors> or no "
                        + "[protocols=CORE,AMQP,STOMP,HORNETQ,MQTT,OPENWIRE]");
    }
}
