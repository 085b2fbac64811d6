package dev.ringbuf.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The published artifacts as `mvn verify` packaged them (failsafe runs this after every published module is
 * packaged): each jar's {@code Automatic-Module-Name}, its sources and javadoc jars, and the BOM that lists them.
 */
class PublishedJarsIT {

    /** Directory, artifactId and module name of each published jar. */
    private static final List<String[]> PUBLISHED = List.of(
            new String[] {"ringbuf-core", "ringbuf-core", "dev.ringbuf.core"},
            new String[] {"ringbuf-reactor", "ringbuf-reactor", "dev.ringbuf.reactor"},
            new String[] {"ringbuf-kafka", "ringbuf-kafka", "dev.ringbuf.kafka"},
            new String[] {"ringbuf-test", "ringbuf-test", "dev.ringbuf.test"},
            new String[] {"ringbuf-spring-boot-autoconfigure", "ringbuf-spring-boot-autoconfigure",
                    "dev.ringbuf.spring.boot.autoconfigure"},
            new String[] {"ringbuf-spring-boot-starter", "ringbuf-spring-boot-starter",
                    "dev.ringbuf.spring.boot.starter"});

    /** The kernel-ring module: in the BOM, built only in the parent's JDK 22+ profile. */
    private static final String KERNEL_RINGS = "ringbuf-bpf";

    /** The starter has no code: no sources, no javadoc. */
    private static final String CODELESS = "ringbuf-spring-boot-starter";

    private final Path root = Path.of(System.getProperty("ringbuf.root", "..")).toAbsolutePath().normalize();
    private final String version = System.getProperty("ringbuf.version", "0.1.0-SNAPSHOT");

    private Path jar(String directory, String artifact, String classifier) {
        return root.resolve(directory).resolve("target")
                .resolve(artifact + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar");
    }

    @Test
    void everyPublishedJarNamesItsModule() throws IOException {
        for (String[] published : PUBLISHED) {
            final Path jar = jar(published[0], published[1], "");
            assertThat(jar).as(published[1]).exists();
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                        .as(jar.toString()).isEqualTo(published[2]);
            }
        }
    }

    @Test
    void everyPublishedModuleWithCodeHasSourcesAndJavadocJars() throws IOException {
        for (String[] published : PUBLISHED) {
            if (published[1].equals(CODELESS)) {
                continue;
            }
            final Path sources = jar(published[0], published[1], "sources");
            final Path javadoc = jar(published[0], published[1], "javadoc");
            assertThat(sources).as(published[1] + " sources").exists();
            assertThat(javadoc).as(published[1] + " javadoc").exists();
            try (JarFile file = new JarFile(javadoc.toFile())) {
                assertThat(file.getEntry("index.html")).as(javadoc + " index.html").isNotNull();
            }
            try (JarFile file = new JarFile(sources.toFile())) {
                final String packagePath = published[2].replace('.', '/') + "/package-info.java";
                assertThat(file.getEntry(packagePath)).as(sources + " " + packagePath).isNotNull();
            }
        }
    }

    @Test
    void everyPublishedPackageIsNullMarked() throws IOException {
        for (String[] published : PUBLISHED) {
            if (published[1].equals(CODELESS)) {
                continue;
            }
            final Path sources = jar(published[0], published[1], "sources");
            final Set<String> packages = new TreeSet<>();
            final Set<String> marked = new TreeSet<>();
            try (JarFile file = new JarFile(sources.toFile())) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    final String name = entry.getName();
                    if (!name.endsWith(".java")) {
                        continue;
                    }
                    final String directory = name.substring(0, name.lastIndexOf('/'));
                    packages.add(directory);
                    if (name.endsWith("/package-info.java")) {
                        final String text = new String(file.getInputStream(entry).readAllBytes(),
                                StandardCharsets.UTF_8);
                        if (text.contains("@NullMarked") && text.contains("import org.jspecify.annotations.NullMarked;")) {
                            marked.add(directory);
                        }
                    }
                }
            }
            assertThat(packages).as(published[1] + "'s packages").isNotEmpty();
            assertThat(marked).as(published[1] + "'s @NullMarked package-info files").isEqualTo(packages);
        }
    }

    @Test
    void theBomManagesEveryPublishedArtifactAtTheProjectsVersionAndNothingElse() throws Exception {
        final Document bom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(root.resolve("ringbuf-bom/pom.xml").toFile());
        final Element project = bom.getDocumentElement();
        assertThat(child(project, "version")).isEqualTo(version);
        assertThat(project.getElementsByTagName("parent").getLength()).as("the BOM has no parent").isZero();
        final NodeList dependencies = project.getElementsByTagName("dependency");
        final List<String> managed = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            final Element dependency = (Element) dependencies.item(i);
            assertThat(child(dependency, "groupId")).isEqualTo("dev.ringbuf");
            assertThat(child(dependency, "version")).isEqualTo("${project.version}");
            managed.add(child(dependency, "artifactId"));
        }
        final List<String> expected = new ArrayList<>(PUBLISHED.stream().map(p -> p[1]).toList());
        expected.add(KERNEL_RINGS); // published too, but built only by a JDK 22+ (see kernelRingsJarIsNamed)
        assertThat(managed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void kernelRingsJarIsNamedWhereItIsBuilt() throws IOException {
        final Path jar = jar(KERNEL_RINGS, KERNEL_RINGS, "");
        Assumptions.assumeTrue(Files.exists(jar), "ringbuf-bpf is built only by a JDK 22 or newer");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                    .isEqualTo("dev.ringbuf.bpf");
        }
    }

    private static String child(Element parent, String name) {
        final NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element && ((Element) children.item(i)).getTagName().equals(name)) {
                return children.item(i).getTextContent().trim();
            }
        }
        throw new AssertionError("<" + name + "> missing in <" + parent.getTagName() + ">");
    }
}
