package dev.ringbuf.benchmarks.suite;

import java.nio.file.Path;

/**
 * Rounds and iterations of a suite run. Every round runs every implementation of a table in one fresh JVM fork, in
 * a shuffled order.
 *
 * @param rounds paired rounds per table
 * @param warmups warmup iterations of 1 s per fork
 * @param iterations measurement iterations per fork (1 s each; latency: 100,000 records each)
 * @param latencyWarmups warmup iterations of the latency benchmark
 */
record Settings(int rounds, int warmups, int iterations, int latencyWarmups) {

    /** The published run: four rounds, so that "met" (three of four) means something. */
    static final Settings FULL = new Settings(4, 2, 3, 1);
    /** A smoke run that checks the whole pipeline: numbers not for publishing. */
    static final Settings QUICK = new Settings(2, 1, 1, 1);

    Settings withRounds(int newRounds) {
        if (newRounds < 1) {
            throw new IllegalArgumentException("rounds " + newRounds + " must be at least 1");
        }
        return new Settings(newRounds, warmups, iterations, latencyWarmups);
    }

    String[] jvmArgs(Path latencyDir) {
        return new String[] {"-Xms1g", "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dringbuf.bench.latencyDir=" + latencyDir.toAbsolutePath()};
    }

    String describe() {
        return rounds + " paired rounds; in each, every implementation of a table runs one fresh JVM fork, in a "
                + "shuffled order: " + warmups + " warmup and " + iterations + " measurement iterations of 1 s "
                + "(latency: " + latencyWarmups + " and " + iterations + " of 100,000 records); JVM options -Xms1g "
                + "-Xmx1g";
    }
}
