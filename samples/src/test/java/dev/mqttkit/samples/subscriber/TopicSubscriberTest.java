package dev.mqttkit.samples.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.Message;
import dev.mqttkit.Qos;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopicSubscriberTest {

    @Test
    void line_message_isTopicQosRetainedPayload() {
        Message message = new Message("robotcell1/temperature", "21.5".getBytes(StandardCharsets.UTF_8),
                Qos.AT_LEAST_ONCE, true, false);
        assertThat(TopicSubscriber.line(message)).isEqualTo("robotcell1/temperature (qos 1, retained 1) 21.5");
    }

    @Test
    void printable_utf8_isShownAsItIs() {
        assertThat(TopicSubscriber.printable("😀 ünïcode {\"a\": \"b\\\"c\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("😀 ünïcode {\"a\": \"b\\\"c\"}");
    }

    @Test
    void printable_controlCharacters_areEscapedSoTheLineStaysOne() {
        assertThat(TopicSubscriber.printable("a\tb\r\nc\u0001".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("a\\tb\\r\\nc\\x01");
    }

    @Test
    void printable_notUtf8_escapesEachByteThatIsNotPrintableAscii() {
        assertThat(TopicSubscriber.printable(new byte[] {'o', 'k', (byte) 0xc3, (byte) 0x28, '\n'}))
                .isEqualTo("ok\\xc3(\\n");
    }

    @Test
    void printable_empty_isEmpty() {
        assertThat(TopicSubscriber.printable(new byte[0])).isEmpty();
    }
}
