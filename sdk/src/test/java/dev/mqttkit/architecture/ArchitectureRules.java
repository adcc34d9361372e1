package dev.mqttkit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layering of mqttkit, as rules over a package tree whose root is a parameter: {@code dev.mqttkit} for the
 * real code, and a tree of deliberate violations in the tests that shows each rule can fail.
 *
 * <ul>
 *   <li>{@code internal} never depends on the facade ({@code MyMqtt}) or the request types;</li>
 *   <li>no cycles between the packages under the root, nor between those under {@code internal}; the classes
 *       directly in {@code internal} (settings, topic rules) depend on none of those;</li>
 *   <li>only the session and the persistence packages use Paho;</li>
 *   <li>no public signature outside {@code internal} names a Paho type;</li>
 *   <li>no two top-level classes depend on each other (a mechanism cut in the wrong place), but for the API's
 *       {@code TopicTemplate} and {@code TypedTopic}, which name each other by design.</li>
 * </ul>
 */
final class ArchitectureRules {

    private static final String PAHO = "org.eclipse.paho..";
    private static final Set<String> FACADE = Set.of("MyMqtt", "PublishRequest", "TypedPublishRequest",
            "SubscribeRequest", "TypedSubscribeRequest");
    /**
     * Pairs of the public API that name each other by design, and may: a value and its typed view
     * ({@code template.typed(codec)}, {@code typedTopic.template()}).
     */
    private static final Set<String> API_PAIRS = Set.of("dev.mqttkit.topic.TopicTemplate dev.mqttkit.topic.TypedTopic");

    private ArchitectureRules() {
    }

    static List<ArchRule> all(String root) {
        return List.of(internalIgnoresTheFacade(root), noCyclesBetweenPackages(root),
                noCyclesInsideInternal(root), internalRootIsALeaf(root), pahoOnlyInSessionAndPersistence(root),
                noPahoTypeInPublicSignatures(root), noTwoClassesDependOnEachOther(root));
    }

    static ArchRule internalIgnoresTheFacade(String root) {
        DescribedPredicate<JavaClass> facade = new DescribedPredicate<>("the facade or a request type of " + root) {
            @Override
            public boolean test(JavaClass target) {
                return target.getPackageName().equals(root) && FACADE.contains(target.getSimpleName());
            }
        };
        return noClasses().that().resideInAPackage(root + ".internal..")
                .should().dependOnClassesThat(facade)
                .as("internal never depends on MyMqtt or the request types");
    }

    static ArchRule noCyclesBetweenPackages(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles()
                .as("no cycles between the packages under " + root);
    }

    static ArchRule noCyclesInsideInternal(String root) {
        return slices().matching(root + ".internal.(*)..").should().beFreeOfCycles()
                .as("no cycles between the packages under " + root + ".internal");
    }

    static ArchRule internalRootIsALeaf(String root) {
        return noClasses().that().resideInAPackage(root + ".internal")
                .should().dependOnClassesThat().resideInAPackage(root + ".internal.*..")
                .as("the classes directly in internal depend on none of its packages");
    }

    static ArchRule pahoOnlyInSessionAndPersistence(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(root + ".internal.session..", root + ".internal.persist..")
                .should().dependOnClassesThat().resideInAPackage(PAHO)
                .as("only the session and persistence packages use Paho");
    }

    static ArchRule noPahoTypeInPublicSignatures(String root) {
        return classes().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(root + ".internal..")
                .and().arePublic()
                .should(new ArchCondition<JavaClass>("name no Paho type in a public signature") {
                    @Override
                    public void check(JavaClass type, ConditionEvents events) {
                        Set<JavaClass> named = new HashSet<>();
                        type.getRawSuperclass().ifPresent(named::add);
                        named.addAll(type.getRawInterfaces());
                        for (JavaCodeUnit code : type.getCodeUnits()) {
                            if (code.getModifiers().contains(JavaModifier.PUBLIC)) {
                                named.add(code.getRawReturnType());
                                named.addAll(code.getRawParameterTypes());
                                named.addAll(code.getExceptionTypes());
                            }
                        }
                        for (JavaField field : type.getFields()) {
                            if (field.getModifiers().contains(JavaModifier.PUBLIC)) {
                                named.add(field.getRawType());
                            }
                        }
                        named.stream().filter(t -> t.getPackageName().startsWith("org.eclipse.paho"))
                                .forEach(t -> events.add(SimpleConditionEvent.violated(type, type.getName()
                                        + " names the Paho type " + t.getName() + " in a public signature")));
                    }
                })
                .as("no public signature names a Paho type");
    }

    static ArchRule noTwoClassesDependOnEachOther(String root) {
        return classes().that().resideInAPackage(root + "..")
                .should(new ArchCondition<JavaClass>("not depend on a class that depends on it") {
                    private final Map<String, Set<String>> uses = new HashMap<>();

                    @Override
                    public void init(Collection<JavaClass> all) {
                        for (JavaClass type : all) {
                            String owner = topLevel(type).getName();
                            Set<String> targets = uses.computeIfAbsent(owner, key -> new TreeSet<>());
                            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                                targets.add(topLevel(dependency.getTargetClass()).getName());
                            }
                            targets.remove(owner);
                        }
                    }

                    @Override
                    public void check(JavaClass type, ConditionEvents events) {
                        if (type.getEnclosingClass().isPresent()) {
                            return; // counted with its top-level class
                        }
                        for (String other : uses.getOrDefault(type.getName(), Set.of())) {
                            if (type.getName().compareTo(other) < 0
                                    && uses.getOrDefault(other, Set.of()).contains(type.getName())
                                    && !API_PAIRS.contains(type.getName() + " " + other)) {
                                events.add(SimpleConditionEvent.violated(type, type.getName() + " and " + other
                                        + " depend on each other"));
                            }
                        }
                    }
                })
                .as("no two top-level classes depend on each other");
    }

    private static JavaClass topLevel(JavaClass type) {
        JavaClass top = type;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }
}
