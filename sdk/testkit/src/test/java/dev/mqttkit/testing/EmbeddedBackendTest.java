package dev.mqttkit.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

class EmbeddedBackendTest {

    @Test
    void checkLoggingProvider_logback_passes() {
        assertThatCode(() -> EmbeddedBackend.checkLoggingProvider("ch.qos.logback.classic.LoggerContext"))
                .doesNotThrowAnyException();
    }

    @Test
    void checkLoggingProvider_otherProvider_saysWhatToAdd() {
        assertThatIllegalStateException()
                .isThrownBy(() -> EmbeddedBackend.checkLoggingProvider("org.slf4j.simple.SimpleLoggerFactory"))
                .withMessage("The embedded HiveMQ CE broker runs only with logback as the SLF4J provider, and these "
                        + "tests use org.slf4j.simple.SimpleLoggerFactory: add ch.qos.logback:logback-classic in test "
                        + "scope instead, or install mosquitto or Docker so that the tests use real Mosquitto.");
    }
}
