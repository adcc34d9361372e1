package dev.mqttkit.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mqttkit.codec.PayloadCodec;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON codec against a bare, reused Jackson {@code ObjectReader}/{@code ObjectWriter} on the same mapper
 * settings: the codec must cost within 10% of Jackson itself. Run with {@code mvn -pl sdk-json -am -Pbench verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonCodecBenchmark {

    /** A SenML-like reading with a timestamp and a few measurements. */
    public record Measurement(String n, String u, double v) {
    }

    /** The benchmark payload type. */
    public record Reading(String sensor, Instant at, List<Measurement> e) {
    }

    private PayloadCodec<Reading> codec;
    private ObjectReader reader;
    private ObjectWriter writer;
    private Reading value;
    private byte[] payload;

    @Setup
    public void setUp() throws Exception {
        ObjectMapper mapper = JsonCodecs.defaultMapper();
        codec = JsonCodecs.of(Reading.class, mapper);
        reader = mapper.readerFor(Reading.class);
        writer = mapper.writerFor(Reading.class);
        value = new Reading("raspberry-1", Instant.parse("2026-11-22T10:15:30Z"),
                List.of(new Measurement("temperature", "Cel", 21.5), new Measurement("humidity", "%RH", 40.25)));
        payload = writer.writeValueAsBytes(value);
    }

    @Benchmark
    public Reading decodeCodec() throws Exception {
        return codec.decode(payload);
    }

    @Benchmark
    public Reading decodeBareJackson() throws Exception {
        return reader.readValue(payload);
    }

    @Benchmark
    public byte[] encodeCodec() {
        return codec.encode(value);
    }

    @Benchmark
    public byte[] encodeBareJackson() throws Exception {
        return writer.writeValueAsBytes(value);
    }
}
