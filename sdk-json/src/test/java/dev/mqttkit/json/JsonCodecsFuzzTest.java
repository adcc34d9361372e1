package dev.mqttkit.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.PayloadCodecException;
import dev.mqttkit.codec.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 10,000 hostile payloads through the JSON codecs, mutated from what the lab's Python clients send: each decodes,
 * or fails with {@link PayloadCodecException}; never another exception. Seeded; the counts go to the console.
 */
class JsonCodecsFuzzTest {

    private static final int INPUTS = 10_000;

    record Robot(String type, double temperatur) {
    }

    private static final String[] SEEDS = {
        "{\"type\": \"robot front\", \"temperatur\": 3}",
        "{\n    \"temperatur\": 75.27719645201488,\n    \"type\": \"robot back\"\n}",
        "{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity}",
        "{\"bn\": \"raspberry-1/\", \"bt\": 1732270530.5, \"e\": [{\"n\": \"t\", \"v\": 21.5}]}",
        "[1, 2, 3]", "\"text\"", "null", "1e309", "{\"@class\": \"java.lang.ProcessBuilder\"}"
    };

    private static byte[] mutate(Random random) {
        byte[] bytes = SEEDS[random.nextInt(SEEDS.length)].getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(6)) {
            case 0 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)); // truncated
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256); // flipped bytes
                }
            }
            case 2 -> bytes = ("[".repeat(90 + random.nextInt(30)) + "]".repeat(random.nextInt(130)))
                    .getBytes(StandardCharsets.UTF_8); // deep nesting around the limit
            case 3 -> bytes = ("{\"type\": \"x\", \"temperatur\": " + "9".repeat(990 + random.nextInt(20)) + "}")
                    .getBytes(StandardCharsets.UTF_8); // numbers around the 1,000-digit limit
            case 4 -> {
                byte[] noise = new byte[random.nextInt(64)];
                random.nextBytes(noise);
                bytes = noise;
            }
            default -> {
                // the seed as it is
            }
        }
        return bytes;
    }

    @Test
    void decode_hostilePayloads_valueOrPayloadCodecException() {
        Random random = new Random(21);
        List<PayloadCodec<?>> codecs = List.of(JsonCodecs.of(Robot.class), JsonCodecs.of(Map.class),
                JsonCodecs.of(Object.class));
        for (PayloadCodec<?> codec : codecs) {
            int accepted = 0;
            List<String> undocumented = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) {
                byte[] payload = mutate(random);
                try {
                    codec.decode(payload);
                    accepted++;
                } catch (PayloadCodecException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                } catch (RuntimeException e) {
                    undocumented.add("input " + i + ": " + e);
                }
            }
            System.out.printf(Locale.ROOT, "[fuzz] %s.decode: %,d inputs, %,d decoded, %,d refused with "
                    + "PayloadCodecException, %d other%n", codec, INPUTS, accepted, INPUTS - accepted
                    - undocumented.size(), undocumented.size());
            assertThat(undocumented).isEmpty();
        }
    }
}
