package dev.mqttkit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttkit.Message;
import dev.mqttkit.MyMqtt;
import dev.mqttkit.PayloadDecodingException;
import dev.mqttkit.Qos;
import dev.mqttkit.TypedMessage;
import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import dev.mqttkit.topic.TopicTemplate;
import dev.mqttkit.topic.TypedTopic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** JSON payloads through a real broker, as the course's Python publishers send them. */
@MosquittoTest
class JsonIT {

    record Robot(String type, double temperatur) {
    }

    record Reading(String sensor, double value, Instant at) {
    }

    private final List<MyMqtt> clients = new CopyOnWriteArrayList<>();

    private MyMqtt started(MosquittoBroker broker, MyMqtt.Builder builder) {
        MyMqtt client = builder.serverUri(broker.uri()).build();
        clients.add(client);
        client.start();
        return client;
    }

    @AfterEach
    void stopClients() {
        clients.forEach(MyMqtt::stop);
    }

    @Test
    void pythonJsonPayload_receivedAsRecord_malformedGoesToErrorHook(MosquittoBroker broker) throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Message> rawErrors = new CopyOnWriteArrayList<>();
        MyMqtt subscriber = started(broker, MyMqtt.builder().errorListener((message, error) -> {
            rawErrors.add(message);
            errors.add(error);
        }));
        List<TypedMessage<Robot>> received = new CopyOnWriteArrayList<>();
        subscriber.subscribeWith().filter("robotcell1/temperature").decode(JsonCodecs.of(Robot.class)).listen(received::add);
        MyMqtt python = started(broker, MyMqtt.builder());

        // json.dumps({"temperatur": 3, "type": "robot front"}, indent=4), byte for byte
        python.publish("robotcell1/temperature",
                "{\n    \"temperatur\": 3,\n    \"type\": \"robot front\"\n}", Qos.AT_MOST_ONCE, false).get();
        python.publish("robotcell1/temperature", "{\"temperatur\": 3, \"type\": ", Qos.AT_MOST_ONCE, false).get();
        // json.dumps({"temperatur": 75.27719645201488, "type": "robot back"})
        python.publish("robotcell1/temperature",
                "{\"temperatur\": 75.27719645201488, \"type\": \"robot back\"}", Qos.AT_MOST_ONCE, false).get();

        await().atMost(Duration.ofSeconds(15)).until(() -> received.size() == 2);
        assertThat(received).extracting(TypedMessage::value)
                .containsExactly(new Robot("robot front", 3), new Robot("robot back", 75.27719645201488));
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).isInstanceOf(PayloadDecodingException.class)
                .hasMessage("Payload on [robotcell1/temperature] is not a valid dev.mqttkit.json.JsonIT$Robot: "
                        + "Unexpected end-of-input within/between Object entries; payload (26 bytes): "
                        + "\"{\"temperatur\": 3, \"type\": \"");
        PayloadDecodingException decoding = (PayloadDecodingException) errors.get(0);
        assertThat(decoding.topic()).isEqualTo("robotcell1/temperature");
        assertThat(decoding.targetType()).isEqualTo("dev.mqttkit.json.JsonIT$Robot");
        assertThat(rawErrors).singleElement().extracting(Message::payloadAsString)
                .isEqualTo("{\"temperatur\": 3, \"type\": ");
        assertThat(subscriber.isConnected()).isTrue();
    }

    @Test
    void typedTemplate_jsonRecord_roundTripWithParameters(MosquittoBroker broker) throws Exception {
        TypedTopic<Reading> readings = TopicTemplate.of("building/{building}/sensor/{id}").typed(JsonCodecs.of(Reading.class));
        MyMqtt dashboard = started(broker, MyMqtt.builder());
        List<TypedMessage<Reading>> received = new CopyOnWriteArrayList<>();
        dashboard.subscribeWith(readings).qos(Qos.AT_LEAST_ONCE).listen(received::add);
        MyMqtt sensor = started(broker, MyMqtt.builder());

        Reading reading = new Reading("t1", 21.5, Instant.parse("2026-11-22T10:15:30Z"));
        sensor.publishWith(readings).parameter("building", "b7").parameter("id", "t1").send(reading).get();

        await().atMost(Duration.ofSeconds(15)).until(() -> received.size() == 1);
        TypedMessage<Reading> message = received.get(0);
        assertThat(message.value()).isEqualTo(reading);
        assertThat(message.parameter("building")).isEqualTo("b7");
        assertThat(message.parameter("id")).isEqualTo("t1");
        assertThat(message.topic()).isEqualTo("building/b7/sensor/t1");
    }

    @Test
    void senmlPack_fromPythonLab_decodesAsRecords(MosquittoBroker broker) throws Exception {
        PayloadCodec<SenMl.Pack> senml = JsonCodecs.of(SenMl.Pack.class);
        MyMqtt subscriber = started(broker, MyMqtt.builder());
        List<SenMl.Pack> packs = new CopyOnWriteArrayList<>();
        subscriber.subscribeWith().filter("senml/#").qos(Qos.AT_LEAST_ONCE).decode(senml)
                .listen(message -> packs.add(message.value()));
        MyMqtt python = started(broker, MyMqtt.builder());

        python.publish("senml/raspberry", SenMl.PYTHON_EXAMPLE, Qos.AT_LEAST_ONCE, false).get();

        await().atMost(Duration.ofSeconds(15)).until(() -> packs.size() == 1);
        SenMl.Pack pack = packs.get(0);
        assertThat(pack.bn()).isEqualTo("raspberry-1/");
        assertThat(pack.e()).extracting(SenMl.Record::n, SenMl.Record::u, SenMl.Record::v)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("temperature", "Cel", 21.5),
                        org.assertj.core.groups.Tuple.tuple("humidity", "%RH", 40.0));
    }
}
