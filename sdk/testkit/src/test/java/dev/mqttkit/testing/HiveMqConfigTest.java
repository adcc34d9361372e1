package dev.mqttkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HiveMqConfigTest {

    @Test
    void render_inMemory_listensOnLoopbackPortQueuesAMillionPerClientWithoutStatistics() {
        String config = HiveMqConfig.render(41883, false);

        assertThat(config).contains("""
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>41883</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>1000000</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                    </mqtt>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """).doesNotContain("{");
    }

    @Test
    void render_webSocketPort_addsAWebSocketListenerOnMqttPath() {
        String config = HiveMqConfig.render(41883, false, 49001);

        String listener = config.substring(config.indexOf("<websocket-listener>"),
                config.indexOf("</websocket-listener>"));
        assertThat(listener).contains("<port>49001</port>", "<bind-address>127.0.0.1</bind-address>",
                "<path>/mqtt</path>", "<subprotocol>mqtt</subprotocol>");
        assertThat(config.indexOf("<websocket-listener>")).isBetween(config.indexOf("</tcp-listener>"),
                config.indexOf("</listeners>"));
        assertThat(HiveMqConfig.render(41883, false)).doesNotContain("websocket");
    }

    @Test
    void render_persistence_usesFileMode() {
        assertThat(HiveMqConfig.render(1, true)).contains("<mode>file</mode>").doesNotContain("in-memory");
    }

    @Test
    void write_folderMissing_createsItWithConfigXml(@TempDir Path dir) throws Exception {
        HiveMqConfig.write(dir.resolve("conf"), 2000, false);

        assertThat(Files.readString(dir.resolve("conf/config.xml"))).isEqualTo(HiveMqConfig.render(2000, false));
    }
}
