package dev.mqttkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.internal.ApiListing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The public API of mqttkit-micrometer is the one listed in {@code sdk/micrometer/api.txt}. */
class PublicApiTest {

    @Test
    void publicApi_matchesTheCheckedInListing() {
        assertThat(ApiListing.check(Path.of(""))).as("public API check").isNull();
    }
}
