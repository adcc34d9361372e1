package dev.mqttkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a module as text, one signature a line, to check in beside the module ({@code api.txt}) and
 * compare in its build, so that a change to the public surface is always a deliberate one.
 *
 * <p>Lists every public type outside {@code internal} packages in a classes folder, and its public and protected
 * constructors, methods and fields with their generic signatures, sorted. Not API: test code of mqttkit's own.
 */
public final class ApiListing {

    private ApiListing() {
    }

    /**
     * Lists the public API of compiled classes.
     *
     * @param classes a classes folder, such as {@code target/classes}
     * @return the listing, sorted, one line per type and member
     */
    public static List<String> of(Path classes) {
        List<String> lines = new ArrayList<>();
        for (Class<?> type : publicTypes(classes)) {
            lines.add(type.toGenericString());
            List<String> members = new ArrayList<>();
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                addIfVisible(members, constructor, constructor.toGenericString());
            }
            for (Method method : type.getDeclaredMethods()) {
                if (!method.isSynthetic() && !method.isBridge()) {
                    addIfVisible(members, method, method.toGenericString());
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (!field.isSynthetic()) {
                    addIfVisible(members, field, field.toGenericString());
                }
            }
            members.stream().sorted().map(member -> "    " + member).forEach(lines::add);
        }
        return lines;
    }

    /**
     * Compares a module's listing with the one checked in, and says how to update it when they differ.
     *
     * @param module the module folder (its {@code api.txt} and {@code target/classes})
     * @return {@code null} when they match, else the message for the failing test
     */
    public static String check(Path module) {
        Path expectedFile = module.resolve("api.txt");
        List<String> actual = of(module.resolve("target/classes"));
        Path actualFile = module.resolve("target/api.txt");
        try {
            Files.write(actualFile, actual);
            List<String> expected = Files.exists(expectedFile) ? Files.readAllLines(expectedFile) : List.of();
            if (expected.equals(actual)) {
                return null;
            }
            Set<String> removed = new LinkedHashSet<>(expected);
            removed.removeAll(actual);
            Set<String> added = new LinkedHashSet<>(actual);
            added.removeAll(expected);
            Path name = module.toAbsolutePath().normalize().getFileName();
            return "The public API of " + name + " differs from " + name + "/api.txt.\nRemoved:\n" + indent(removed)
                    + "Added:\n" + indent(added) + "If the change is deliberate, update the listing from the "
                    + "repository's root: cp " + name + "/target/api.txt " + name + "/api.txt (and say so in "
                    + "CHANGELOG.md).";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String indent(Set<String> lines) {
        return lines.isEmpty() ? "  (none)\n" : lines.stream().map(line -> "  " + line.strip() + "\n")
                .collect(Collectors.joining());
    }

    private static void addIfVisible(List<String> members, Member member, String signature) {
        int modifiers = member.getModifiers();
        if (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)
                && !Modifier.isFinal(member.getDeclaringClass().getModifiers())) {
            members.add(member instanceof Executable ? signature.replace(member.getDeclaringClass().getName() + ".",
                    "") : signature);
        }
    }

    private static List<Class<?>> publicTypes(Path classes) {
        try (Stream<Path> files = Files.walk(classes, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .map(file -> classes.relativize(file).toString().replace(java.io.File.separatorChar, '.'))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .filter(name -> !name.contains(".internal.") && !name.endsWith("package-info")
                            && !name.endsWith("module-info"))
                    .sorted()
                    .map(ApiListing::load)
                    .filter(ApiListing::isExported)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isExported(Class<?> type) {
        for (Class<?> current = type; current != null; current = current.getDeclaringClass()) {
            if (!Modifier.isPublic(current.getModifiers()) || current.isAnonymousClass() || current.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ApiListing.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Cannot load " + name + " to list the API", e);
        }
    }
}
