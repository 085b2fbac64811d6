package dev.ringbuf.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** What the report says about the machine. */
final class Machine {

    private Machine() {
    }

    static String loadAverage() {
        final String line = firstLine(Paths.get("/proc/loadavg"));
        if (line == null) {
            return "n/a";
        }
        final String[] f = line.split(" ");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : line;
    }

    static String cpu() {
        try {
            final List<String> lines = Files.readAllLines(Paths.get("/proc/cpuinfo"));
            final String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
            return model + ", " + Runtime.getRuntime().availableProcessors() + " CPUs visible to the JVM";
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors() + " CPUs";
        }
    }

    static String memory() {
        final String line = firstLine(Paths.get("/proc/meminfo"));
        return line == null ? "n/a" : line.replaceAll("\\s+", " ");
    }

    static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
    }

    static String jdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")";
    }

    static String versions() {
        final java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Machine.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "n/a";
        }
        return p.getProperty("versions", "n/a");
    }

    private static String firstLine(Path path) {
        try {
            final List<String> lines = Files.readAllLines(path);
            return lines.isEmpty() ? null : lines.get(0);
        } catch (IOException e) {
            return null;
        }
    }
}
