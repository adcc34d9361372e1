package dev.mqttkit.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.internal.ApiListing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The public API of mqttkit-json is the one listed in {@code sdk-json/api.txt}. */
class PublicApiTest {

    @Test
    void publicApi_matchesTheCheckedInListing() {
        assertThat(ApiListing.check(Path.of(""))).as("public API check").isNull();
    }
}
