package dev.mqttkit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's test-kit recipe, exactly as printed, is a project that Maven builds and whose tests run and pass:
 * its {@code pom.xml} and {@code ThermostatIT.java} are taken from the README, the artifacts of this build are
 * installed in the local repository, and {@code mvn verify} runs in a fresh folder.
 */
class TestKitRecipeIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = "0.1.0-SNAPSHOT";

    private static String block(String readme, String language, String after) {
        int section = readme.indexOf(after);
        assertThat(section).as("README section " + after).isNotNegative();
        Matcher block = Pattern.compile("(?s)```" + language + "\\n(.*?)\\n```").matcher(readme);
        assertThat(block.find(section)).as("a " + language + " block after " + after).isTrue();
        return block.group(1);
    }

    private static String run(Path directory, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("recipe-mvn", ".log");
        Process maven = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean ended = maven.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            maven.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        Files.delete(log);
        assertThat(ended).as("mvn %s ended within %d s; output:%n%s", args, timeoutSeconds, output).isTrue();
        assertThat(maven.exitValue()).as("mvn %s; output:%n%s", String.join(" ", args), output).isZero();
        return output;
    }

    @Test
    void readmeRecipe_builtByMaven_runsItsTestsAndTheyPass(@TempDir Path project) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String pom = block(readme, "xml", "## Testing with Mosquitto");
        String test = block(readme, "java", "## Testing with Mosquitto");
        assertThat(pom).contains("<artifactId>mqttkit-testkit</artifactId>");
        assertThat(test).contains("class ThermostatIT");

        // what `mvn install` of this repository would put in the local repository
        run(ROOT, 300, "-q", "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file",
                "-Dfile=" + ROOT.resolve("pom.xml"), "-DpomFile=" + ROOT.resolve("pom.xml"), "-Dpackaging=pom");
        run(ROOT, 300, "-q", "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file",
                "-Dfile=" + ROOT.resolve("sdk/testkit/target/mqttkit-testkit-" + VERSION + ".jar"),
                "-DpomFile=" + ROOT.resolve("sdk/testkit/pom.xml"));
        run(ROOT, 300, "-q", "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file",
                "-Dfile=" + ROOT.resolve("sdk/target/mqttkit-sdk-" + VERSION + ".jar"),
                "-DpomFile=" + ROOT.resolve("sdk/pom.xml"));

        Files.writeString(project.resolve("pom.xml"), pom);
        Path tests = Files.createDirectories(project.resolve("src/test/java"));
        Files.writeString(tests.resolve("ThermostatIT.java"), test);

        String output = run(project, 600, "verify");

        System.out.println("[TestKitRecipeIT] " + output.lines()
                .filter(line -> line.contains("Tests run:") && !line.contains(" -- in ")).reduce((a, b) -> b)
                .orElse("(no test summary)"));
        assertThat(output).contains("Running ThermostatIT", "Running SecuredIT",
                "Tests run: 2, Failures: 0, Errors: 0, Skipped: 0", "BUILD SUCCESS");
    }
}
