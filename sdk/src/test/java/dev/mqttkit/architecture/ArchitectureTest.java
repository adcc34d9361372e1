package dev.mqttkit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.mqttkit.MyMqtt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layering of the sdk as tests ({@link ArchitectureRules}): every rule holds for the library's classes, and
 * fails for a tree of deliberate violations, so that none of them holds trivially.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.mqttkit";
    private static final String VIOLATIONS = "dev.mqttkit.architecture.violations";

    private static JavaClasses library;
    private static JavaClasses violations;

    @BeforeAll
    static void importClasses() {
        // the sdk's own classes only: the test kit's jar on the class path has dev.mqttkit classes too
        library = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importUrl(MyMqtt.class.getProtectionDomain().getCodeSource().getLocation());
        violations = new ClassFileImporter().importPackages(VIOLATIONS);
    }

    @Test
    void importedClasses_areTheLibraryAndTheViolations() {
        assertThat(library.contain("dev.mqttkit.internal.session.PahoSession")).isTrue();
        assertThat(library.stream().filter(type -> type.getPackageName().startsWith("dev.mqttkit.testing"))).isEmpty();
        assertThat(library.size()).isGreaterThan(60);
        assertThat(violations.size()).isEqualTo(7);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("internalIgnoresTheFacade", "Callback"),
                Arguments.of("noCyclesBetweenPackages", "Codec"),
                Arguments.of("noCyclesInsideInternal", "Session"),
                Arguments.of("internalRootIsALeaf", "Settings"),
                Arguments.of("pahoOnlyInSessionAndPersistence", "MqttMessage"),
                Arguments.of("noPahoTypeInPublicSignatures", "MqttMessage"),
                Arguments.of("noTwoClassesDependOnEachOther", "depend on each other"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule_libraryClasses_hold(String name, String violationText) throws Exception {
        EvaluationResult result = rule(name, ROOT).evaluate(library);

        assertThat(result.getFailureReport().getDetails()).as(name).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule_deliberateViolation_fails(String name, String violationText) throws Exception {
        EvaluationResult result = rule(name, VIOLATIONS).evaluate(violations);

        assertThat(result.hasViolation()).as(name).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails())).contains(violationText);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void all_listsEveryRule(String name, String violationText) throws Exception {
        String description = rule(name, ROOT).getDescription();

        assertThat(ArchitectureRules.all(ROOT)).extracting(ArchRule::getDescription).contains(description);
    }

    private static ArchRule rule(String name, String root) throws Exception {
        return (ArchRule) ArchitectureRules.class.getDeclaredMethod(name, String.class).invoke(null, root);
    }
}
