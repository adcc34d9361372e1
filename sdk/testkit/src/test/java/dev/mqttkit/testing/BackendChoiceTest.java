package dev.mqttkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.mqttkit.testing.MosquittoBroker.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendChoiceTest {

    @ParameterizedTest
    @CsvSource({
        "docker,    LOCAL,  DOCKER",
        "local,     DOCKER, LOCAL",
        "embedded,  DOCKER, EMBEDDED",
        "mosquitto, LOCAL,  LOCAL",
        "auto,      DOCKER, DOCKER",
        "auto,,             EMBEDDED",
        "hivemq,    LOCAL,  EMBEDDED",
        "nats,      LOCAL,  NATS",
        "rabbitmq,  LOCAL,  RABBITMQ",
        "artemis,   LOCAL,  ARTEMIS",
    })
    void parse_mode_choosesKind(String mode, Kind realMosquitto, Kind expected) {
        assertThat(BackendChoice.parse(mode, () -> realMosquitto)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "mosquitto, 'MQTTKIT_BROKER=mosquitto but neither Docker nor a mosquitto binary is available: install mosquitto (apt-get install -y mosquitto) or start Docker.'",
        "emqx,      'MQTTKIT_BROKER / mqttkit.broker [emqx] must be one of auto, mosquitto, docker, local, embedded (or hivemq), nats, rabbitmq, artemis.'",
    })
    void parse_impossibleMode_throws(String mode, String message) {
        assertThatIllegalStateException().isThrownBy(() -> BackendChoice.parse(mode, () -> null)).withMessage(message);
    }
}
