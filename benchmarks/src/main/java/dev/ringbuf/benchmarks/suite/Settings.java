package dev.ringbuf.benchmarks.suite;

import java.nio.file.Path;

/**
 * Forks and iterations of a suite run.
 *
 * @param forks JVM forks per benchmark
 * @param warmups warmup iterations of 1 s
 * @param iterations measurement iterations (1 s each; latency: 100,000 records each)
 * @param latencyWarmups warmup iterations of the latency benchmark
 */
record Settings(int forks, int warmups, int iterations, int latencyWarmups) {

    /** The published run. */
    static final Settings FULL = new Settings(3, 2, 4, 2);
    /** A smoke run that checks the whole pipeline. */
    static final Settings QUICK = new Settings(1, 1, 2, 1);

    String[] jvmArgs(Path latencyDir) {
        return new String[] {"-Xms1g", "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dringbuf.bench.latencyDir=" + latencyDir.toAbsolutePath()};
    }

    String describe() {
        return forks + " forks x " + iterations + " measurement iterations of 1 s after " + warmups
                + " warmup iterations of 1 s; JVM options -Xms1g -Xmx1g";
    }
}
