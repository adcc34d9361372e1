package dev.mqttkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NatsBackendTest {

    @Test
    void parseVersion_readsWhatNatsServerPrints() {
        assertThat(NatsBackend.parseVersion("nats-server: v2.9.10\n")).isEqualTo("2.9.10");
        assertThat(NatsBackend.parseVersion("nats-server: v2.10.27")).isEqualTo("2.10.27");
    }

    @Test
    void parseVersion_somethingElse_isNull() {
        assertThat(NatsBackend.parseVersion("flag provided but not defined: -v")).isNull();
        assertThat(NatsBackend.parseVersion("")).isNull();
    }
}
