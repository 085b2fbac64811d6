package dev.ringbuf.core.shm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 3 of issue 11: {@code truncate -s 0} on a ring file that a live producer and consumer map, in a child JVM.
 * The child must end with an exception, never with SIGBUS (exit 134 and an hs_err file). What remains (a truncation
 * that lands between a slow path's size check and its atomic, or under a producer's per-record atomic in code the
 * JVM has not compiled yet) is in docs/shared-memory.md.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TruncationTest {

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void truncatingALiveRingFileEndsInAClearExceptionAndNoCrash() throws Exception {
        final Path file = dir.resolve("victim.ring");
        // Created here and never touched again: this JVM maps the file too, and must not access it once truncated.
        final RingBuffer created = RingBuffer.builder().file(file).capacity(1 << 16).maxRecordSize(64).create();
        assertThat(created.capacity()).isEqualTo(1 << 16);
        {
            child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xmx64m", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
                    "-cp", System.getProperty("java.class.path"), TruncationVictimProcess.class.getName(),
                    file.toString()).redirectErrorStream(true).start();
            final List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("READY");
                final Process truncate = new ProcessBuilder("truncate", "-s", "0", file.toString()).start();
                assertThat(truncate.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(truncate.exitValue()).isZero();
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            System.out.println("truncation: exit " + child.exitValue() + ", output " + lines);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(Path::getFileName).map(Path::toString))
                        .as("no hs_err file").noneMatch(name -> name.startsWith("hs_err"));
            }
            assertThat(child.exitValue()).as("exit status, output " + lines).isEqualTo(3);
            // Either a slow path saw the truncation first (IllegalStateException naming it), or a plain access hit
            // the missing page (the JVM's InternalError for a fault in an unsafe access); never a crash.
            // (JDK 17: "a fault occurred in a recent unsafe memory access operation", JDK 25: "... in an unsafe ...")
            assertThat(String.join("\n", lines)).satisfiesAnyOf(
                    out -> assertThat(out).contains("IllegalStateException: ring file " + file
                            + " was truncated to 0 bytes while mapped"),
                    out -> assertThat(out).contains("InternalError: a fault occurred in")
                            .contains("unsafe memory access operation"));
        }
    }
}
