package dev.mqttkit.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @ParameterizedTest
    @CsvSource({
        "tcp://localhost:1883, tcp, localhost, 1883, ''",
        "ssl://10.0.0.1:8883, ssl, 10.0.0.1, 8883, ''",
        "ws://broker.lab:9001/mqtt, ws, broker.lab, 9001, /mqtt",
        "ws://broker.lab:9001, ws, broker.lab, 9001, /mqtt",
        "ws://broker.lab, ws, broker.lab, 80, /mqtt",
        "wss://broker.lab/ws?token=1, wss, broker.lab, 443, /ws?token=1",
        "wss://[::1]:8084/, wss, ::1, 8084, /",
        "tcp://[::1]:1883, tcp, ::1, 1883, ''"
    })
    void parse_eachForm(String uri, String scheme, String host, int port, String path) {
        Endpoint endpoint = Endpoint.parse(uri);
        assertThat(endpoint).isEqualTo(new Endpoint(uri, scheme, host, port, path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqtt://localhost:1883", "tcp://localhost", "http://localhost:80", "tcp://:1883",
        "ws:///mqtt", "tcp://localhost:99999", "localhost:1883"})
    void parse_otherForms_areRefusedNamingTheForms(String uri) {
        assertThatThrownBy(() -> Endpoint.parse(uri)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Server URI [" + uri + "]");
    }

    @Test
    void parseAll_mixedSchemes_areRefused() {
        assertThatThrownBy(() -> Endpoint.parseAll(List.of("ws://a/mqtt", "tcp://b:1883")))
                .hasMessage("Server URIs [ws://a/mqtt, tcp://b:1883] must all have the same scheme (all tcp://, all "
                        + "ssl://, all ws:// or all wss://).");
    }

    @Test
    void advice_swapsTheTlsAndPlainSchemes() {
        assertThat(Endpoint.parse("wss://a:8084/mqtt").plainUri()).isEqualTo("ws://a:8084/mqtt");
        assertThat(Endpoint.parse("ws://a:8080/mqtt").secureUri()).isEqualTo("wss://a:8080/mqtt");
        assertThat(Endpoint.parse("ssl://a:8883").plainUri()).isEqualTo("tcp://a:8883");
        assertThat(Endpoint.parse("ws://[::1]:80/x").pahoTcpUri()).isEqualTo("tcp://[::1]:80");
    }
}
