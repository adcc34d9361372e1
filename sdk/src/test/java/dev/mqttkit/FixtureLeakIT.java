package dev.mqttkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttkit.testing.MosquittoBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The test fixture leaves nothing behind, even when a broker fails to come up after its process was spawned. */
class FixtureLeakIT {

    private static Set<Long> brokerProcesses() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("mqttkit-broker-"))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static Set<Path> brokerFolders() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("mqttkit-broker-")).collect(Collectors.toSet());
        }
    }

    @Test
    void start_failingAfterTheProcessWasSpawned_leavesNoProcessAndNoFiles() throws Exception {
        Set<Long> processesBefore = brokerProcesses();
        Set<Path> foldersBefore = brokerFolders();
        MosquittoBroker broker = MosquittoBroker.builder().kind(MosquittoBroker.Kind.LOCAL)
                .readyTimeout(Duration.ofMillis(1)).build(); // the port cannot be open 1 ms after the spawn
        try {
            assertThatThrownBy(broker::start).isInstanceOf(RuntimeException.class)
                    .satisfies(e -> Assumptions.assumeFalse(e.getMessage().startsWith("No mosquitto binary"),
                            "needs the local mosquitto binary"));
            assertThat(brokerProcesses()).as("mosquitto processes of the fixture").isEqualTo(processesBefore);
        } finally {
            broker.close();
        }
        assertThat(brokerFolders()).as("the fixture's temporary folders").isEqualTo(foldersBefore);
        assertThat(broker.isRunning()).isFalse();
    }
}
