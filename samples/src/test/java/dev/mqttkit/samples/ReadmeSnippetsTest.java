package dev.mqttkit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ```java} block of the README compiles as written, against the SDK, mqttkit-json, the samples and
 * the test fixture: a newcomer copies them.
 *
 * <p>A block that declares a class (or starts with an import or an annotation) is compiled as a file of its own.
 * Any other block is compiled as the body of a method, with the names the README's fragments use in scope:
 * clients {@code mqtt}, {@code client}, {@code sensor}, {@code dashboard}; {@code password}, {@code id},
 * {@code log}, and the helpers {@code alert(topic, error)} and {@code show(id, value)}.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern PUBLIC_TYPE = Pattern.compile("(?m)^public\\s+(?:final\\s+)?(?:class|record|interface|enum)\\s+(\\w+)");
    private static final String IMPORTS = String.join("\n",
            "import static java.nio.charset.StandardCharsets.UTF_8;",
            "import com.fasterxml.jackson.core.type.TypeReference;",
            "import com.fasterxml.jackson.databind.DeserializationFeature;",
            "import dev.mqttkit.*;",
            "import dev.mqttkit.codec.*;",
            "import dev.mqttkit.json.*;",
            "import dev.mqttkit.topic.*;",
            "import java.nio.file.Path;",
            "import java.time.Duration;",
            "import java.util.List;",
            "import java.util.Map;",
            "import org.slf4j.Logger;",
            "import org.slf4j.LoggerFactory;",
            "");

    /** A java block of the README and the line it starts on. */
    record Snippet(int line, String code) {
        boolean isWholeFile() {
            String start = code.stripLeading();
            return start.startsWith("import ") || start.startsWith("@") || code.matches("(?s).*(?m)^(public\\s+)?"
                    + "(final\\s+)?(abstract\\s+)?class\\s+\\w+.*");
        }

        @Override
        public String toString() {
            return "README.md line " + line;
        }
    }

    static List<Snippet> snippets() throws IOException {
        String readme = Files.readString(README);
        List<Snippet> snippets = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(readme);
        while (matcher.find()) {
            int line = (int) readme.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 2;
            snippets.add(new Snippet(line, matcher.group(1)));
        }
        return snippets;
    }

    @Test
    void readme_hasJavaSnippets() throws IOException {
        assertThat(snippets()).as("java blocks in the README").hasSizeGreaterThanOrEqualTo(9);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void snippet_compilesAsWritten(Snippet snippet, @TempDir Path out) throws IOException {
        String name;
        String source;
        if (snippet.isWholeFile()) {
            Matcher type = PUBLIC_TYPE.matcher(snippet.code());
            name = type.find() ? type.group(1) : "ReadmeSnippet" + snippet.line();
            source = IMPORTS + snippet.code();
        } else {
            name = "ReadmeSnippet" + snippet.line();
            source = IMPORTS + "abstract class " + name + " {\n"
                    + "    MyMqtt mqtt, client, sensor, dashboard;\n"
                    + "    char[] password = new char[0];\n"
                    + "    String id = \"1234\";\n"
                    + "    Logger log = LoggerFactory.getLogger(\"readme\");\n"
                    + "    abstract void alert(String topic, Throwable error);\n"
                    + "    abstract void show(String id, double value);\n"
                    + "    void snippet() throws Exception {\n"
                    + snippet.code()
                    + "    }\n}\n";
        }
        assertThat(compile(name, source, out)).as("compiler errors of the snippet at %s:%n%s", snippet, source)
                .isEmpty();
    }

    private static List<String> compile(String name, String source, Path out) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(),
                    "-proc:none", "-Xlint:none");
            compiler.getTask(null, files, diagnostics, options, null, List.of(file)).call();
        }
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.toList());
    }

}
