package dev.mqttkit.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mqttkit.codec.PayloadCodec;
import java.util.Objects;

/**
 * JSON payload codecs on Jackson: publish and receive Java records, classes and generic types as JSON.
 *
 * <pre>{@code
 * record Reading(String sensor, double value, Instant at) {}
 *
 * PayloadCodec<Reading> json = JsonCodecs.of(Reading.class);
 * mqtt.publish("robotcell1/temperature", new Reading("t1", 21.5, Instant.now()), json);
 * mqtt.subscribeWith().filter("robotcell1/temperature").decode(json).listen(message -> log.info("{}", message.value().value()));
 *
 * PayloadCodec<List<Reading>> batch = JsonCodecs.of(new TypeReference<List<Reading>>() { });
 * PayloadCodec<Map<String, Double>> joints = JsonCodecs.of(new TypeReference<Map<String, Double>>() { });
 * }</pre>
 *
 * <p><b>Defaults</b> (the {@link #defaultMapper()}):
 * <ul>
 *   <li>records, enums, {@code java.time} types (written as ISO-8601 text, not numbers), {@code Optional} and
 *       {@code null}s work without annotations;</li>
 *   <li>unknown properties are ignored, so a publisher may add fields; pass your own mapper with
 *       {@code DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES} to be strict;</li>
 *   <li>Python's {@code json.dumps} output reads as it is, including {@code NaN}, {@code Infinity} and
 *       {@code -Infinity}, which Python writes for such floats (and reads back); mqttkit writes them the same
 *       way, which strict JSON parsers such as JavaScript's {@code JSON.parse} reject;</li>
 *   <li>safe: no default typing, so a payload can never choose which class gets instantiated; stream read
 *       limits: documents up to {@value #MAX_DOCUMENT_BYTES} bytes, nesting up to {@value #MAX_NESTING_DEPTH}
 *       levels, strings up to {@value #MAX_STRING_LENGTH} characters, numbers up to
 *       {@value #MAX_NUMBER_LENGTH} digits.</li>
 * </ul>
 *
 * <p>Codecs are thread-safe and cheap to share; make each once. A payload that does not decode never reaches
 * the typed listener: it goes to the client's error hook as a {@link dev.mqttkit.PayloadDecodingException}
 * naming the topic, the type, Jackson's reason and a preview of the payload.
 */
public final class JsonCodecs {

    /** Largest JSON document the default mapper reads, in bytes (1 MiB). */
    public static final long MAX_DOCUMENT_BYTES = 1_048_576;
    /** Deepest nesting of arrays and objects the default mapper reads. */
    public static final int MAX_NESTING_DEPTH = 100;
    /** Longest string value the default mapper reads, in characters (1 Mi). */
    public static final int MAX_STRING_LENGTH = 1_048_576;
    /** Longest number the default mapper reads, in characters. */
    public static final int MAX_NUMBER_LENGTH = 1_000;

    private static final ObjectMapper DEFAULT = defaultMapper();

    private JsonCodecs() {
    }

    /**
     * A codec for a class, with the default mapper.
     *
     * @param type the class, for example a record
     * @param <T> the value type
     * @return the codec
     */
    public static <T> PayloadCodec<T> of(Class<T> type) {
        return of(type, DEFAULT);
    }

    /**
     * A codec for a class, with your mapper.
     *
     * @param type the class
     * @param mapper the mapper; start from {@link #mapperBuilder()} to keep mqttkit's safe defaults
     * @param <T> the value type
     * @return the codec
     */
    public static <T> PayloadCodec<T> of(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JacksonCodec<>(type, mapper.readerFor(type), mapper.writerFor(type));
    }

    /**
     * A codec for a generic type, such as {@code List<Reading>} or {@code Map<String, Double>}, with the
     * default mapper.
     *
     * @param type the type, as {@code new TypeReference<List<Reading>>() { }}
     * @param <T> the value type
     * @return the codec
     */
    public static <T> PayloadCodec<T> of(TypeReference<T> type) {
        return of(type, DEFAULT);
    }

    /**
     * A codec for a generic type, with your mapper.
     *
     * @param type the type
     * @param mapper the mapper
     * @param <T> the value type
     * @return the codec
     */
    public static <T> PayloadCodec<T> of(TypeReference<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JacksonCodec<>(type.getType(), mapper.readerFor(type), mapper.writerFor(type));
    }

    /**
     * Returns a new mapper with mqttkit's defaults (see the class documentation).
     *
     * @return a new mapper
     */
    public static ObjectMapper defaultMapper() {
        return mapperBuilder().build();
    }

    /**
     * Returns a mapper builder with mqttkit's defaults, to adjust and pass to {@code of(type, mapper)}:
     *
     * <pre>{@code
     * ObjectMapper strict = JsonCodecs.mapperBuilder()
     *         .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
     *         .build();
     * }</pre>
     *
     * @return a new builder
     */
    public static JsonMapper.Builder mapperBuilder() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_DOCUMENT_BYTES)
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(MapperFeature.BLOCK_UNSAFE_POLYMORPHIC_BASE_TYPES)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS);
    }
}
