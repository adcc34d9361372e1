package dev.mqttkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiListingTest {

    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void of_sdkClasses_listsPublicTypesAndMembersButNoInternals() {
        List<String> listing = ApiListing.of(CLASSES);
        assertThat(listing).contains("public final class dev.mqttkit.MyMqtt",
                "    public java.util.concurrent.CompletableFuture<java.lang.Void> publish(java.lang.CharSequence,"
                        + "java.lang.String)");
        assertThat(listing).noneMatch(line -> line.contains("dev.mqttkit.internal"));
        assertThat(listing).noneMatch(line -> line.contains("send(java.lang.String,byte[]")); // package-private
    }

    @Test
    void check_listingMissingASignature_failsNamingItAndHowToUpdate(@TempDir Path module) throws IOException {
        List<String> listing = new ArrayList<>(ApiListing.of(CLASSES));
        String removed = listing.stream().filter(line -> line.contains(" subscribeWith()")).findFirst().orElseThrow();
        listing.remove(removed);
        listing.add("    public void publish(java.lang.String,java.lang.Object)"); // a signature that is gone
        Files.write(module.resolve("api.txt"), listing);
        Files.createDirectories(module.resolve("target"));
        Files.createSymbolicLink(module.resolve("target/classes"), CLASSES.toAbsolutePath());

        String failure;
        try {
            failure = ApiListing.check(module);
        } finally {
            Files.delete(module.resolve("target/classes")); // the link only, before JUnit cleans the folder up
        }

        assertThat(failure).isNotNull()
                .contains("Removed:\n  public void publish(java.lang.String,java.lang.Object)\n")
                .contains("Added:\n  " + removed.strip() + "\n")
                .contains("If the change is deliberate, update the listing from the repository's root: cp "
                        + module.getFileName() + "/target/api.txt " + module.getFileName() + "/api.txt");
    }

    @Test
    void check_sameListing_passes(@TempDir Path module) throws IOException {
        Files.write(module.resolve("api.txt"), ApiListing.of(CLASSES));
        Files.createDirectories(module.resolve("target"));
        Files.createSymbolicLink(module.resolve("target/classes"), CLASSES.toAbsolutePath());
        try {
            assertThat(ApiListing.check(module)).isNull();
        } finally {
            Files.delete(module.resolve("target/classes"));
        }
    }
}
