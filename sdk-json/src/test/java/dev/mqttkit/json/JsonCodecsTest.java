package dev.mqttkit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttkit.PayloadCodecException;
import dev.mqttkit.codec.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonCodecsTest {

    enum Mode { ON, OFF, BLINK }

    record Reading(String sensor, double value, Instant at) {
    }

    record Light(String name, Mode mode, Optional<Integer> brightness, String note) {
    }

    record Schedule(LocalDate day, OffsetDateTime from, Duration length) {
    }

    record Robot(String type, int temperatur) {
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void record_roundTrip_keepsEveryField() {
        PayloadCodec<Reading> codec = JsonCodecs.of(Reading.class);
        Reading reading = new Reading("t1", 21.5, Instant.parse("2026-11-22T10:15:30Z"));

        byte[] json = codec.encode(reading);

        assertThat(utf8(json)).isEqualTo("{\"sensor\":\"t1\",\"value\":21.5,\"at\":\"2026-11-22T10:15:30Z\"}");
        assertThat(codec.decode(json)).isEqualTo(reading);
        assertThat(codec.type()).isEqualTo(Reading.class);
    }

    @Test
    void javaTime_writtenAsIso8601_andReadBack() {
        PayloadCodec<Schedule> codec = JsonCodecs.of(Schedule.class);
        Schedule schedule = new Schedule(LocalDate.of(2026, 11, 22),
                OffsetDateTime.of(2026, 11, 22, 8, 0, 0, 0, ZoneOffset.ofHours(1)), Duration.ofMinutes(90));

        String json = utf8(codec.encode(schedule));

        assertThat(json).isEqualTo("{\"day\":\"2026-11-22\",\"from\":\"2026-11-22T08:00:00+01:00\",\"length\":\"PT1H30M\"}");
        assertThat(codec.decode(bytes(json))).isEqualTo(schedule);
    }

    @Test
    void enumsOptionalsAndNulls_roundTrip() {
        PayloadCodec<Light> codec = JsonCodecs.of(Light.class);
        Light dimmed = new Light("l1", Mode.ON, Optional.of(40), null);
        Light plain = new Light("l2", Mode.BLINK, Optional.empty(), "garage");

        assertThat(utf8(codec.encode(dimmed))).isEqualTo("{\"name\":\"l1\",\"mode\":\"ON\",\"brightness\":40,\"note\":null}");
        assertThat(codec.decode(codec.encode(dimmed))).isEqualTo(dimmed);
        assertThat(codec.decode(codec.encode(plain))).isEqualTo(plain);
        assertThat(codec.decode(bytes("{\"name\":\"l3\",\"mode\":\"OFF\"}")))
                .isEqualTo(new Light("l3", Mode.OFF, Optional.empty(), null));
    }

    @Test
    void generics_listAndMap_roundTrip() {
        PayloadCodec<List<Reading>> batch = JsonCodecs.of(new TypeReference<List<Reading>>() { });
        List<Reading> readings = List.of(new Reading("a", 1.0, Instant.EPOCH), new Reading("b", 2.5, Instant.EPOCH));
        assertThat(batch.decode(batch.encode(readings))).isEqualTo(readings);
        assertThat(batch.type().getTypeName()).isEqualTo("java.util.List<dev.mqttkit.json.JsonCodecsTest$Reading>");

        PayloadCodec<Map<String, Double>> joints = JsonCodecs.of(new TypeReference<Map<String, Double>>() { });
        // the notebook's compact format: json.dumps({"joint0": 10, ...})
        assertThat(joints.decode(bytes("{\"joint0\": 10, \"joint1\": 42, \"joint2\": 53.5}")))
                .containsExactly(Map.entry("joint0", 10.0), Map.entry("joint1", 42.0), Map.entry("joint2", 53.5));
    }

    @Test
    void pythonJsonDumps_indented_readsAsRecord() {
        // json.dumps({"temperatur": 3, "type": "robot front"}, indent=4), byte for byte
        byte[] python = bytes("{\n    \"temperatur\": 3,\n    \"type\": \"robot front\"\n}");
        assertThat(JsonCodecs.of(Robot.class).decode(python)).isEqualTo(new Robot("robot front", 3));
    }

    @Test
    void pythonNonFiniteFloats_readAndWrittenAsPythonDoes() {
        PayloadCodec<Map<String, Double>> codec = JsonCodecs.of(new TypeReference<Map<String, Double>>() { });
        // json.dumps({"a": float("nan"), "b": float("inf"), "c": -float("inf")})
        Map<String, Double> values = codec.decode(bytes("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity}"));
        assertThat(values.get("a")).isNaN();
        assertThat(values.get("b")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(values.get("c")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(utf8(codec.encode(new java.util.LinkedHashMap<>(Map.of("a", Double.NaN)))))
                .isEqualTo("{\"a\":NaN}");
    }

    @Test
    void unknownProperties_ignoredByDefault() {
        Robot robot = JsonCodecs.of(Robot.class).decode(bytes("{\"type\":\"arm\",\"temperatur\":7,\"extra\":[1,2]}"));
        assertThat(robot).isEqualTo(new Robot("arm", 7));
    }

    @Test
    void unknownProperties_failWithStrictMapper() {
        ObjectMapper strict = JsonCodecs.mapperBuilder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        PayloadCodec<Robot> codec = JsonCodecs.of(Robot.class, strict);
        assertThatThrownBy(() -> codec.decode(bytes("{\"type\":\"arm\",\"temperatur\":7,\"extra\":1}")))
                .hasMessageStartingWith("Unrecognized field \"extra\"");
    }

    @Test
    void decode_notJson_throwsWithJacksonReason() {
        assertThatThrownBy(() -> JsonCodecs.of(Robot.class).decode(bytes("warm")))
                .isInstanceOf(PayloadCodecException.class) // unchecked: no IOException to catch
                .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonParseException.class)
                .hasMessageStartingWith("Unrecognized token 'warm'");
    }

    @Test
    void decode_wrongShape_throws() {
        assertThatThrownBy(() -> JsonCodecs.of(Robot.class).decode(bytes("[1,2,3]")))
                .hasMessageStartingWith("Cannot deserialize value of type `dev.mqttkit.json.JsonCodecsTest$Robot` from "
                        + "Array value");
    }

    @Test
    void decode_wrongFieldType_throws() {
        assertThatThrownBy(() -> JsonCodecs.of(Robot.class).decode(bytes("{\"type\":\"arm\",\"temperatur\":\"hot\"}")))
                .hasMessageStartingWith("Cannot deserialize value of type `int` from String \"hot\"");
    }

    @Test
    void decode_emptyPayload_throws() {
        assertThatThrownBy(() -> JsonCodecs.of(Robot.class).decode(new byte[0]))
                .hasMessageStartingWith("No content to map due to end-of-input");
    }

    @Test
    void decode_nestingBeyondLimit_throws() {
        String deep = "[".repeat(JsonCodecs.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonCodecs.MAX_NESTING_DEPTH + 1);
        assertThatThrownBy(() -> JsonCodecs.of(Object.class).decode(bytes(deep)))
                .hasMessageContaining("Document nesting depth (101) exceeds the maximum allowed (100");
        String ok = "[".repeat(JsonCodecs.MAX_NESTING_DEPTH) + "]".repeat(JsonCodecs.MAX_NESTING_DEPTH);
        org.assertj.core.api.Assertions.assertThatCode(() -> JsonCodecs.of(Object.class).decode(bytes(ok)))
                .doesNotThrowAnyException();
    }

    @Test
    void decode_documentBeyondLimit_throws() {
        String big = "\"" + "x".repeat((int) JsonCodecs.MAX_DOCUMENT_BYTES) + "\"";
        assertThatThrownBy(() -> JsonCodecs.of(String.class).decode(bytes(big)))
                .hasMessageContaining("exceeds the maximum allowed");
    }

    @Test
    void decode_polymorphicHint_neverInstantiatesNamedClass() {
        // without default typing a "@class" property is just an unknown field of a Map or ignored on a record
        Object value = JsonCodecs.of(Object.class)
                .decode(bytes("[\"java.lang.ProcessBuilder\",{\"command\":[\"touch\",\"/tmp/pwned\"]}]"));
        assertThat(value).isInstanceOf(List.class);
        Robot robot = JsonCodecs.of(Robot.class).decode(bytes("{\"@class\":\"java.lang.ProcessBuilder\",\"type\":\"x\"}"));
        assertThat(robot).isEqualTo(new Robot("x", 0));
    }

    @Test
    void encode_unserializable_throwsNamingType() {
        PayloadCodec<Object> codec = JsonCodecs.of(Object.class);
        assertThatThrownBy(() -> codec.encode(new Object()))
                .isInstanceOf(PayloadCodecException.class)
                .hasMessageStartingWith("Cannot write java.lang.Object as JSON: No serializer found for class java.lang.Object");
    }

    @Test
    void codec_toString_namesType() {
        assertThat(JsonCodecs.of(Reading.class)).hasToString("JsonCodec[dev.mqttkit.json.JsonCodecsTest$Reading]");
    }
}
