package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.codec.PayloadCodec;
import dev.mqttkit.codec.PayloadCodecs;
import dev.mqttkit.topic.Topic;
import dev.mqttkit.topic.TopicFilter;
import dev.mqttkit.topic.TopicTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * 10,000 hostile inputs through each pure entry point: each is accepted, or refused with the documented
 * exception; never another exception. Seeded, so a failure repeats; the counts go to the console.
 */
class InputFuzzTest {

    private static final int INPUTS = 10_000;

    /** Runs inputs through an entry point; returns how many it accepted. */
    private static int fuzz(String entryPoint, long seed, Class<? extends RuntimeException> documented,
            Consumer<Fuzz> call) {
        Fuzz fuzz = new Fuzz(seed);
        int accepted = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            try {
                call.accept(fuzz);
                accepted++;
            } catch (RuntimeException e) {
                if (!documented.isInstance(e)) {
                    failures.add("input " + i + ": " + e);
                }
            }
        }
        System.out.printf(Locale.ROOT, "[fuzz] %s: %,d inputs, %,d accepted, %,d refused with %s, %d other%n",
                entryPoint, INPUTS, accepted, INPUTS - accepted - failures.size(), documented.getSimpleName(),
                failures.size());
        assertThat(failures).as(entryPoint + " threw an undocumented exception").isEmpty();
        return accepted;
    }

    @Test
    void topicOf_hostileText_isATopicOrInvalidTopicException() {
        int accepted = fuzz("Topic.of", 1, InvalidTopicException.class, fuzz -> {
            String text = fuzz.text();
            Topic topic = Topic.of(text);
            assertThat(topic.toString()).isEqualTo(text);
            assertThat(topic.levels()).isNotEmpty();
        });
        assertThat(accepted).isBetween(100, INPUTS - 100);
    }

    @Test
    void topicFilterOf_hostileText_isAFilterOrInvalidTopicException() {
        int accepted = fuzz("TopicFilter.of", 2, InvalidTopicException.class, fuzz -> {
            TopicFilter filter = TopicFilter.of(fuzz.text());
            String other = fuzz.text();
            try {
                filter.matches(other); // any topic name, valid or not, gets an answer or InvalidTopicException
            } catch (InvalidTopicException notATopic) {
                assertThat(notATopic.getMessage()).startsWith("Topic [");
            }
        });
        assertThat(accepted).isBetween(100, INPUTS - 100);
    }

    @Test
    void topicTemplate_hostileTemplatesAndValues_areTopicsOrDocumentedErrors() {
        int accepted = fuzz("TopicTemplate.of + with", 3, InvalidTopicException.class, fuzz -> {
            TopicTemplate template = TopicTemplate.of(fuzz.text());
            List<String> namesAndValues = new ArrayList<>();
            for (String name : template.parameterNames()) {
                namesAndValues.add(name);
                namesAndValues.add(fuzz.text());
            }
            try {
                Topic topic = template.with(namesAndValues.toArray(new String[0]));
                assertThat(template.match(topic.toString())).as("a built topic matches its template").isPresent();
            } catch (InvalidTopicException badValue) {
                assertThat(badValue.getMessage()).isNotBlank();
            }
        });
        assertThat(accepted).isPositive();
    }

    @Test
    void codecs_hostileValuesAndPayloads_roundTripOrPayloadCodecException() {
        fuzz("PayloadCodecs.utf8().encode", 4, PayloadCodecException.class, fuzz -> {
            String text = fuzz.text();
            assertThat(PayloadCodecs.utf8().decode(PayloadCodecs.utf8().encode(text))).isEqualTo(text);
        });
        for (PayloadCodec<?> codec : List.of(PayloadCodecs.utf8(), PayloadCodecs.longs(), PayloadCodecs.integers(),
                PayloadCodecs.doubles(), PayloadCodecs.booleans(), PayloadCodecs.bytes())) {
            fuzz(codec + ".decode", 5, PayloadCodecException.class, fuzz -> {
                int kind = fuzz.nextInt(3);
                byte[] payload = kind == 0 ? fuzz.bytes()
                        : PayloadCodecs.utf8().encode(kind == 1 ? fuzz.validText() : fuzz.numberish());
                codec.decode(payload);
            });
        }
    }
}
