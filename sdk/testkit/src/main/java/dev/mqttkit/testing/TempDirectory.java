package dev.mqttkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The brokers' temporary folders: created under {@code java.io.tmpdir}, deleted with all they hold. */
final class TempDirectory {

    /** Every broker folder starts with it, so that leak checks can find them. */
    static final String PREFIX = "mqttkit-broker-";

    private static final Logger LOG = LoggerFactory.getLogger(TempDirectory.class);

    private TempDirectory() {
    }

    static Path create() {
        try {
            return Files.createTempDirectory(PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("Could not delete {}: {}", directory, e.getMessage());
        }
    }
}
