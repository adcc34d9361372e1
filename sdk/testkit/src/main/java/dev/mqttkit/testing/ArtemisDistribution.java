package dev.mqttkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where ActiveMQ Artemis is installed: {@code MQTTKIT_ARTEMIS_HOME} / {@code -Dmqttkit.artemis.home}, or else the
 * bin distribution {@value #COORDINATES} from the local Maven repository (the test kit's build downloads it),
 * unpacked once into {@code java.io.tmpdir} and kept there for later runs. Nothing is downloaded at run time.
 */
final class ArtemisDistribution {

    static final String VERSION = "2.40.0";
    static final String COORDINATES = "org.apache.activemq:apache-artemis:" + VERSION + ":tar.gz:bin";

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisDistribution.class);
    private static Path home;

    private ArtemisDistribution() {
    }

    /** The installation's folder, with {@code bin/artemis}. */
    static synchronized Path home() {
        if (home != null) {
            return home;
        }
        String configured = System.getenv("MQTTKIT_ARTEMIS_HOME");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("mqttkit.artemis.home");
        }
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured.strip());
            if (!Files.isRegularFile(dir.resolve("bin/artemis"))) {
                throw new IllegalStateException("MQTTKIT_ARTEMIS_HOME / mqttkit.artemis.home [" + dir
                        + "] has no bin/artemis: point it at an unpacked ActiveMQ Artemis.");
            }
            home = dir;
            return home;
        }
        home = unpacked(archive());
        return home;
    }

    /** The archive in the local Maven repository ({@code maven.repo.local}, else {@code ~/.m2/repository}). */
    static Path archive() {
        String repository = System.getProperty("maven.repo.local");
        Path repo = repository != null && !repository.isBlank() ? Path.of(repository)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path archive = repo.resolve("org/apache/activemq/apache-artemis/" + VERSION + "/apache-artemis-" + VERSION
                + "-bin.tar.gz");
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("ActiveMQ Artemis " + VERSION + " is not in the local Maven repository ("
                    + archive + "): run mvn dependency:get -Dartifact=" + COORDINATES + " once, or set "
                    + "MQTTKIT_ARTEMIS_HOME to an unpacked Artemis.");
        }
        return archive;
    }

    private static Path unpacked(Path archive) {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "mqttkit-artemis-" + VERSION);
        Path home = target.resolve("apache-artemis-" + VERSION);
        if (Files.isRegularFile(home.resolve("bin/artemis"))) {
            return home;
        }
        try {
            Path staging = Files.createTempDirectory(target.getParent(), "mqttkit-artemis-unpacking-");
            LOG.info("Unpacking {} into {}", archive, target);
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", staging.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                TempDirectory.delete(staging);
                throw new IllegalStateException("tar could not unpack " + archive + ": " + output);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                TempDirectory.delete(staging); // another JVM unpacked it meanwhile
            } catch (IOException notEmpty) {
                TempDirectory.delete(staging);
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while unpacking " + archive, e);
        }
    }
}
