package dev.ringbuf.samples.spring.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

/**
 * Examples that cannot drift: every {@code ```java} block of README.md and docs/*.md is compiled against every
 * module of the project (this module sees them all), wrapped as a subclass of {@link SnippetContext}: statements go
 * into a method, declarations (annotated beans, classes, methods) into the class. A snippet that declares
 * {@code public static void main} is a complete program and is run. A failure names the file and line of the
 * snippet, so an example that no longer matches the API fails {@code mvn verify}.
 */
class DocSnippetsTest {

    /** Declarations rather than statements: an annotation, a type, or a method with a body. */
    private static final Pattern MEMBER = Pattern.compile(
            "^(@\\w+.*|(public |protected |private |static |final |abstract )*(class|interface|enum) \\w+.*"
                    + "|(public |protected |private |static )*(?!record )[\\w<>\\[\\], ?]+ \\w+\\([^;]*\\)\\s*\\{.*)$");
    private static final Pattern PROGRAM_CLASS = Pattern.compile("public (?:final )?class (\\w+)");
    /**
     * docs/kernel-rings.md needs ringbuf-bpf, which only a JDK 22+ builds (this module's kernel-rings profile puts it
     * on the test class path then); on an older JDK its snippets are left out, and the test says so.
     */
    private static final boolean KERNEL_RINGS = isOnClassPath("dev.ringbuf.bpf.KernelRingBuffer");

    private static final String IMPORTS = String.join("\n",
            "import dev.ringbuf.core.Record;",
            "import dev.ringbuf.core.Reservation;",
            "import dev.ringbuf.core.RingBuffer;",
            "import dev.ringbuf.core.RingGroup;",
            "import dev.ringbuf.core.Wakeup;",
            "import dev.ringbuf.reactor.*;",
            "import dev.ringbuf.kafka.*;",
            "import dev.ringbuf.test.*;",
            "import dev.ringbuf.spring.boot.autoconfigure.*;",
            "import org.junit.jupiter.api.Test;",
            "import org.junit.jupiter.api.extension.ExtendWith;",
            "import static org.junit.jupiter.api.Assertions.assertEquals;",
            KERNEL_RINGS ? "import dev.ringbuf.bpf.*;" : "",
            "import io.micrometer.core.instrument.Counter;",
            "import io.micrometer.core.instrument.MeterRegistry;",
            "import io.micrometer.core.instrument.Tags;",
            "import io.micrometer.core.instrument.binder.MeterBinder;",
            "import java.nio.file.Path;",
            "import java.time.Duration;",
            "import java.util.List;",
            "import java.util.Map;",
            "import reactor.core.observability.micrometer.Micrometer;",
            "import reactor.core.publisher.BufferOverflowStrategy;",
            "import reactor.core.publisher.Flux;",
            "import reactor.core.publisher.Mono;",
            "import reactor.core.publisher.Sinks;",
            "import reactor.core.scheduler.Schedulers;",
            "import org.springframework.beans.factory.annotation.Qualifier;",
            "import org.springframework.context.annotation.Bean;",
            "import org.springframework.context.annotation.Configuration;",
            "import org.springframework.http.MediaType;",
            "import org.springframework.http.codec.ServerSentEvent;",
            "import org.springframework.stereotype.Component;",
            "import org.springframework.stereotype.Service;",
            "import org.springframework.web.bind.annotation.GetMapping;",
            "import org.springframework.web.bind.annotation.RequestParam;");

    @Test
    void everyJavaSnippetInTheDocsCompilesAndCompleteProgramsRun(@TempDir Path classes) throws Exception {
        final List<Snippet> snippets = new ArrayList<>();
        final Path root = projectRoot();
        snippets.addAll(Snippet.extract(root, root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            for (Path doc : docs.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                if (!KERNEL_RINGS && doc.getFileName().toString().equals("kernel-rings.md")) {
                    System.out.println("DocSnippetsTest: docs/kernel-rings.md left out: ringbuf-bpf needs a JDK 22+");
                    continue;
                }
                snippets.addAll(Snippet.extract(root, doc));
            }
        }
        assertThat(snippets).as("the docs have Java snippets").hasSizeGreaterThan(20);

        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            final List<String> options = List.of("-classpath", testClassPath(), "-d", classes.toString(),
                    "-proc:none", "-Xlint:none", "-nowarn");
            final boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
                    snippets.stream().map(Snippet::source).collect(Collectors.toList())).call();
            final List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
                    .map(DocSnippetsTest::locate)
                    .collect(Collectors.toList());
            assertThat(errors).as("snippets that do not compile (file:line of the snippet's own line)").isEmpty();
            assertThat(compiled).isTrue();
        }

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                DocSnippetsTest.class.getClassLoader())) {
            for (Snippet snippet : snippets) {
                if (snippet.isProgram()) {
                    final Method main = loader.loadClass(snippet.className()).getMethod("main", String[].class);
                    try {
                        main.invoke(null, (Object) new String[0]);
                    } catch (java.lang.reflect.InvocationTargetException failed) {
                        throw new AssertionError(snippet.locate(0) + ": the program " + snippet.className
                                + " failed: " + failed.getCause(), failed.getCause());
                    }
                }
            }
        }
    }

    private static String locate(Diagnostic<? extends JavaFileObject> diagnostic) {
        final Snippet.Source source = (Snippet.Source) diagnostic.getSource();
        final String where = source == null ? "?" : source.snippet.locate(diagnostic.getLineNumber());
        return where + ": " + diagnostic.getMessage(Locale.ROOT);
    }

    private static String testClassPath() {
        final String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("docs")) && Files.exists(dir.resolve("README.md"))
                && Files.exists(dir.resolve("ringbuf-core")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the project root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    /** One ```java block: where it is, and its text wrapped into a compilation unit. */
    private static final class Snippet {
        private final String file;
        private final int firstLine; // the line of the block's first code line in the markdown file
        private final List<String> lines;
        private String className;
        private int offset; // generated line number of the snippet's first line, minus one

        private Snippet(String file, int firstLine, List<String> lines) {
            this.file = file;
            this.firstLine = firstLine;
            this.lines = lines;
            this.className = "Snippet_" + file.replaceAll("[^A-Za-z0-9]", "_") + "_" + firstLine;
        }

        static List<Snippet> extract(Path root, Path markdown) throws IOException {
            final List<String> text = Files.readAllLines(markdown);
            final List<Snippet> found = new ArrayList<>();
            for (int i = 0; i < text.size(); i++) {
                if (text.get(i).strip().equals("```java")) {
                    final int start = i + 1;
                    int end = start;
                    while (end < text.size() && !text.get(end).strip().equals("```")) {
                        end++;
                    }
                    found.add(new Snippet(root.relativize(markdown).toString(), start + 1,
                            text.subList(start, end)));
                    i = end;
                }
            }
            return found;
        }

        String className() {
            return "dev.ringbuf.samples.spring.docs." + className;
        }

        boolean isProgram() {
            return lines.stream().anyMatch(line -> line.contains("static void main("));
        }

        String locate(long generatedLine) {
            final long line = generatedLine - offset;
            return file + ":" + (line >= 1 && line <= lines.size() ? firstLine + line - 1 : firstLine);
        }

        JavaFileObject source() {
            final StringBuilder unit = new StringBuilder("package dev.ringbuf.samples.spring.docs;\n")
                    .append(IMPORTS).append('\n');
            int generated = 1 + IMPORTS.split("\n").length;
            if (isProgram()) { // a complete program: compiled as it is written (its own class, its own imports)
                final java.util.regex.Matcher declared = PROGRAM_CLASS.matcher(String.join("\n", lines));
                assertThat(declared.find()).as("%s:%d declares main in a public class", file, firstLine).isTrue();
                className = declared.group(1);
                offset = generated;
                lines.forEach(line -> unit.append(line).append('\n'));
                return new Source(this, unit.toString());
            }
            // A snippet's own imports stay on their lines (as comments) so that line numbers still match.
            final List<String> body = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("import ")) {
                    unit.append(line).append('\n');
                    generated++;
                    body.add("");
                } else {
                    body.add(line);
                }
            }
            final boolean member = body.stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("//"))
                    .findFirst().map(line -> MEMBER.matcher(line).matches()).orElse(false);
            unit.append("public class ").append(className).append(" extends SnippetContext {")
                    .append(member ? "" : " void snippet() throws Exception {").append('\n');
            generated++;
            offset = generated;
            for (String line : body) {
                unit.append(line).append('\n');
            }
            unit.append(member ? "}\n" : "}}\n");
            return new Source(this, unit.toString());
        }

        /** The generated source, pointing back at its snippet. */
        private static final class Source extends SimpleJavaFileObject {
            final Snippet snippet;
            private final String code;

            Source(Snippet snippet, String code) {
                super(java.net.URI.create("string:///dev/ringbuf/samples/spring/docs/" + snippet.className
                        + Kind.SOURCE.extension), Kind.SOURCE);
                this.snippet = snippet;
                this.code = code;
            }

            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        }
    }

    private static boolean isOnClassPath(String className) {
        try {
            Class.forName(className, false, DocSnippetsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }
}
