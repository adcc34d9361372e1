package dev.mqttkit.samples.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttkit.InvalidTopicException;
import dev.mqttkit.Qos;
import dev.mqttkit.topic.Topic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The page's publish form: {@code {"topic", "payload", "qos", "retain"}} in, a sentence out. An invalid topic is
 * refused with the SDK's own message ({@link Topic#of(String)}), the one a Java program would get.
 */
final class PublishEndpoint {

    /** How long the form waits for the broker's acknowledgement (QoS 1 and 2). */
    static final Duration ACK_WAIT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The answer: an HTTP status and a sentence for the page.
     *
     * @param status 200 when sent, 4xx for what the form got wrong, 5xx for what the broker did
     * @param sentence what the page shows
     */
    record Reply(int status, String sentence) {
        boolean ok() {
            return status == 200;
        }
    }

    private final BrokerLink link;

    PublishEndpoint(BrokerLink link) {
        this.link = link;
    }

    Reply publish(byte[] body) throws InterruptedException {
        JsonNode form;
        try {
            form = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Reply(400, "The form did not send JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Reply(400, "The form could not be read: " + e.getMessage());
        }
        if (form == null || !form.isObject()) {
            return new Reply(400, "The form must send a JSON object with topic, payload, qos and retain.");
        }
        String topic = form.path("topic").asText("");
        String payload = form.path("payload").asText("");
        JsonNode qosField = form.path("qos");
        int qosValue = qosField.isIntegralNumber() ? qosField.asInt() : qosField.isTextual()
                ? parseOr(qosField.asText(), -1) : -1;
        if (qosValue < 0 || qosValue > 2) {
            return new Reply(400, "QoS [" + qosField.asText() + "] must be 0, 1 or 2.");
        }
        boolean retain = form.path("retain").asBoolean(false);
        try {
            Topic.of(topic);
            Qos qos = Qos.of(qosValue);
            link.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain)
                    .get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new Reply(200, "Published to [" + topic + "] at QoS " + qosValue + (retain ? ", retained" : "")
                    + ".");
        } catch (InvalidTopicException e) {
            return new Reply(400, e.getMessage());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Reply(502, "Not published: " + cause.getMessage());
        } catch (TimeoutException e) {
            return new Reply(504, "Not acknowledged by the broker within " + ACK_WAIT.toSeconds() + " s; it may "
                    + "still arrive.");
        } catch (IllegalStateException e) {
            return new Reply(503, "Not published: " + e.getMessage());
        }
    }

    private static int parseOr(String text, int otherwise) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
