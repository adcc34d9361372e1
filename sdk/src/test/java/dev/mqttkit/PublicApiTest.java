package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttkit.internal.ApiListing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The public API of mqttkit-sdk is the one listed in {@code sdk/api.txt}: changing it is a deliberate act. */
class PublicApiTest {

    @Test
    void publicApi_matchesTheCheckedInListing() {
        assertThat(ApiListing.check(Path.of(""))).as("public API check").isNull();
    }

    @Test
    void publicApi_hasNoPahoTypes() {
        assertThat(ApiListing.of(Path.of("target/classes"))).noneMatch(line -> line.contains("org.eclipse.paho"));
    }
}
