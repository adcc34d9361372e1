package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.testing.MosquittoBroker;
import dev.mqttkit.testing.MosquittoTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The 15-row exercise of course-week-mqtt: which subscriptions receive a message published to a/b/c/d? */
@MosquittoTest
class WildcardTableIT {

    @RegisterExtension
    final Clients clients = new Clients();

    @ParameterizedTest(name = "row {0}: {1} receives a/b/c/d? {2}")
    @CsvSource(delimiter = '|', value = {
        " 1 | #         | true",
        " 2 | +/+/+     | false",
        " 3 | +/+/+/+   | true",
        " 4 | +/b/c/#   | true",
        " 5 | +/b/c/d   | true",
        " 6 | a/#       | true",
        " 7 | a/+/+/d   | true",
        " 8 | a/+/c/d   | true",
        " 9 | a/b/#     | true",
        "10 | a/b/c     | false",
        "11 | a/b/c/#   | true",
        "12 | a/b/c/d/# | true",
        "13 | a/b/c/d   | true",
        "14 | b/+/c/d   | false",
        "15 | a/b/c/d/+ | false",
    })
    void publishToABCD_subscription_receivesAsTheCourseSays(int row, String filter, boolean receives,
            MosquittoBroker broker) throws Exception {
        MyMqtt subscriber = clients.started(broker);
        Recorder recorder = new Recorder();
        subscriber.subscribe(filter, Qos.AT_LEAST_ONCE, recorder);
        MyMqtt publisher = clients.started(broker);

        publisher.publish("a/b/c/d", "row " + row, Qos.AT_LEAST_ONCE, false).get();
        // a marker on a topic the filter surely matches, published after: once it arrived, a/b/c/d would have too
        String marker = filter.replace("+", "m").replace("#", "m");
        publisher.publish(marker, "marker", Qos.AT_LEAST_ONCE, false).get();

        recorder.awaitPayload("marker");
        if (receives) {
            assertThat(recorder.topics()).containsExactly("a/b/c/d", marker);
        } else {
            assertThat(recorder.topics()).containsExactly(marker);
        }
    }
}
