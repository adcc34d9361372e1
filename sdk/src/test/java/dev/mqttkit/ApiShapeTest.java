package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.topic.Topic;
import dev.mqttkit.topic.TopicFilter;
import dev.mqttkit.topic.TopicTemplate;
import dev.mqttkit.topic.TypedTopic;
import org.junit.jupiter.api.Test;

/**
 * The shape of the public API at compile time: every call here must compile as written (no overload that a
 * {@code null} or a lambda makes ambiguous), and fail at run time with a clear error, not a wrong overload.
 */
class ApiShapeTest {

    private static final TypedTopic<Double> TEMPERATURE =
            TopicTemplate.of("sensor/{id}/temperature").typed(PayloadCodecs.doubles());

    private final MyMqtt mqtt = MyMqtt.builder().serverUri("tcp://127.0.0.1:1").clientId("shape").build();

    @Test
    void nullsAndLambdas_compileToOneOverload_andFailWithTheArgumentsName() {
        assertThatNullPointerException().isThrownBy(() -> mqtt.publish(null, "x")).withMessage("topic");
        assertThatNullPointerException().isThrownBy(() -> mqtt.publish("x", null)).withMessage("text");
        assertThatNullPointerException().isThrownBy(() -> mqtt.subscribe("x", null, m -> { })).withMessage("qos");
        assertThatNullPointerException().isThrownBy(() -> mqtt.subscribe(null, m -> { })).withMessage("topicFilter");
        assertThatNullPointerException().isThrownBy(() -> mqtt.subscribe("x", Qos.AT_MOST_ONCE, null))
                .withMessage("listener");
        assertThatNullPointerException().isThrownBy(() -> mqtt.publish("x", null, Qos.AT_MOST_ONCE, false))
                .withMessage("text");
        assertThatNullPointerException().isThrownBy(() -> mqtt.publish("x", 1.0, null)).withMessage("codec");
        assertThatNullPointerException().isThrownBy(() -> mqtt.unsubscribe(null)).withMessage("topicFilter");
    }

    @Test
    void stringsAndTopicValues_goToTheSameMethods() {
        Topic topic = Topic.of("a/b");
        TopicFilter filter = TopicFilter.of("a/+");
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publish(topic, "x"));
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publish("a/b", "x"));
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publish(topic, "x", Qos.AT_LEAST_ONCE, true));
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publish(topic, 1.5, PayloadCodecs.doubles()));
        Subscription byValue = mqtt.subscribe(filter, message -> { });
        Subscription byText = mqtt.subscribe("a/#", Qos.AT_LEAST_ONCE, message -> { });
        assertThat(byValue.filter()).isEqualTo("a/+");
        assertThat(byText.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(byText.grantedQos()).isEmpty(); // not connected: nothing granted yet
        assertThat(mqtt.unsubscribe(filter)).isEqualTo(1);
    }

    @Test
    void requests_setEveryOptionByName() {
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publishWith().topic("a/b").text("x")
                .qos(Qos.AT_MOST_ONCE).retain(true).send());
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publishWith().topic(Topic.of("a/b"))
                .payload(new byte[] {1}).send());
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publishWith().topic("a/b")
                .value(21.5, PayloadCodecs.doubles()).send());
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publishWith(TEMPERATURE).parameter("id", "1")
                .qos(Qos.AT_LEAST_ONCE).retain(false).send(21.5));
        Subscription raw = mqtt.subscribeWith().filter("a/#").qos(Qos.AT_MOST_ONCE).listen(message -> { });
        Subscription typed = mqtt.subscribeWith().filter("b/#").decode(PayloadCodecs.doubles())
                .listen(message -> message.value().doubleValue());
        Subscription template = mqtt.subscribeWith(TEMPERATURE).qos(Qos.AT_LEAST_ONCE)
                .listen(message -> message.parameter("id"));
        assertThat(template.filter()).isEqualTo("sensor/+/temperature");
        assertThat(raw.qos()).isEqualTo(Qos.AT_MOST_ONCE);
        assertThat(typed.qos()).isEqualTo(Qos.EXACTLY_ONCE); // the client's default
        raw.close();
        typed.close();
        template.close();
    }

    @Test
    void requests_missingParts_sayWhatIsMissing() {
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publishWith().text("x").send())
                .withMessage("PublishRequest is missing the topic: call topic(...) before send().");
        assertThatIllegalStateException().isThrownBy(() -> mqtt.publishWith().topic("a").send())
                .withMessage("PublishRequest to [a] is missing the payload: call payload(...), text(...) or "
                        + "value(...) before send().");
        assertThatIllegalStateException().isThrownBy(() -> mqtt.subscribeWith().listen(message -> { }))
                .withMessage("SubscribeRequest is missing the filter: call filter(...) first.");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> mqtt.publishWith(TEMPERATURE).parameter("room", "1"))
                .withMessage("Topic template [sensor/{id}/temperature] has no parameter {room}; its parameters are "
                        + "[id].");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> mqtt.publishWith(TEMPERATURE).send(21.5))
                .withMessageStartingWith("Topic template [sensor/{id}/temperature] needs a value for {id}");
    }
}
