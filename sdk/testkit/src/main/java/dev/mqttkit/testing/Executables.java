package dev.mqttkit.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds a broker's program on the {@code PATH} or in the places packages install it. */
final class Executables {

    private Executables() {
    }

    /** Returns the first executable {@code name} on the PATH, else the first of {@code wellKnown}, else null. */
    static Path find(String name, List<String> wellKnown) {
        List<String> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                candidates.add(dir + File.separator + name);
            }
        }
        candidates.addAll(wellKnown);
        for (String candidate : candidates) {
            Path file = Path.of(candidate);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return file;
            }
        }
        return null;
    }
}
