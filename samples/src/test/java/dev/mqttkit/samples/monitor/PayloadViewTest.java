package dev.mqttkit.samples.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.samples.monitor.PayloadView.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PayloadViewTest {

    private static PayloadView view(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return PayloadView.of(bytes, bytes.length);
    }

    @Test
    void of_jsonObject_isPrettyPrintedAsSent() {
        assertThat(view("{\"status\":\"on\",\"value\":21.50,\"list\":[1,2]}")).isEqualTo(new PayloadView(Kind.JSON,
                "{\n  \"status\" : \"on\",\n  \"value\" : 21.50,\n  \"list\" : [ 1, 2 ]\n}", false));
    }

    @Test
    void of_number_isTheNumber() {
        assertThat(view(" 75.27719645201488\n")).isEqualTo(new PayloadView(Kind.NUMBER, "75.27719645201488", false));
    }

    @Test
    void of_html_isTextAsItIs() {
        assertThat(view("<script>alert(1)</script>"))
                .isEqualTo(new PayloadView(Kind.TEXT, "<script>alert(1)</script>", false));
    }

    @Test
    void of_brokenJson_isText() {
        assertThat(view("{\"status\": on}")).isEqualTo(new PayloadView(Kind.TEXT, "{\"status\": on}", false));
        assertThat(view("{} trailing")).isEqualTo(new PayloadView(Kind.TEXT, "{} trailing", false));
    }

    @Test
    void of_empty_isEmpty() {
        assertThat(PayloadView.of(new byte[0], 0)).isEqualTo(new PayloadView(Kind.EMPTY, "", false));
    }

    @Test
    void of_bytesThatAreNotUtf8_isAHexDump() {
        byte[] payload = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 'h', 'i', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(PayloadView.of(payload, payload.length)).isEqualTo(new PayloadView(Kind.BINARY,
                "0000  de ad be ef 68 69 00 01 02 03 04 05 06 07 08 09  ....hi..........\n"
                        + "0010  0a                                               .", false));
    }

    @Test
    void of_textWithAnEscapeCharacter_isAHexDump() {
        assertThat(view("\u001b[31mred").kind()).isEqualTo(Kind.BINARY);
    }

    @Test
    void of_largeBinary_showsTheFirstBytesOnly() {
        byte[] payload = new byte[2_000];
        Arrays.fill(payload, (byte) 0xff);
        PayloadView view = PayloadView.of(payload, payload.length);
        assertThat(view.truncated()).isTrue();
        assertThat(view.display().lines()).hasSize(PayloadView.MAX_HEX_BYTES / 16);
    }

    @Test
    void of_prefixCutInsideACharacter_isTextMarkedTruncated() {
        byte[] whole = "température élevée".getBytes(StandardCharsets.UTF_8);
        byte[] prefix = Arrays.copyOf(whole, 5); // "temp" + the first byte of 'é'
        assertThat(PayloadView.of(prefix, whole.length)).isEqualTo(new PayloadView(Kind.TEXT, "temp", true));
    }

    @Test
    void of_longText_isCutAtTheDisplayLimit() {
        PayloadView view = view("x".repeat(PayloadView.MAX_DISPLAY_CHARS + 10));
        assertThat(view.display()).hasSize(PayloadView.MAX_DISPLAY_CHARS);
        assertThat(view.truncated()).isTrue();
    }

    @ParameterizedTest(name = "[{0}] carries {1}")
    @CsvSource(delimiter = '|', value = {
            "21.5|21.5",
            "75.27719645201488|75.27719645201488",
            "-3|-3.0",
            "1e-05|1.0E-5",
            "' 22 '|22.0",
            "{\"sensor\": \"s1\", \"value\": 23.5, \"time\": 1732270530.5}|23.5",
            "{\"value\": \"23.5\"}|NaN",
            "{\"status\": \"on\"}|NaN",
            "nan|NaN",
            "inf|NaN",
            "True|NaN",
            "21.5 degrees|NaN",
            "[21.5]|NaN",
    })
    void number_payload_isTheNumberItCarries(String payload, double expected) {
        assertThat(Double.valueOf(PayloadView.number(payload.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(Double.valueOf(expected)); // boxed: NaN equals NaN
    }
}
