package dev.ringbuf.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole suite in paired, interleaved rounds and writes {@code docs/benchmarks.md}: for every table, each
 * round runs every implementation in one fresh JVM fork, in a shuffled order, and the report compares ringbuf to
 * each peer within the round ({@link PairedRatio}). Started by {@code benchmarks/run.sh}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ringbuf.benchmarks.suite.Suite \
 *     --out docs/benchmarks.md --work benchmarks/target/results [--quick] [--rounds 4] [--only raw1,latency]
 * </pre>
 */
public final class Suite {

    /**
     * Every table, in report order; ringbuf's README path first in each. The peers are those the targets name plus a
     * few for context, so that four rounds fit in about 25 minutes on 2 cores; the benchmarks' {@code @Param} lists
     * hold more (Disruptor, Agrona SPSC, Reactor's other sinks), for runs of JMH by hand.
     */
    static final List<Group> GROUPS = List.of(
            new Group("raw1", "Raw throughput, 1 producer / 1 consumer",
                    "dev.ringbuf.benchmarks.RawThroughput.oneProducer",
                    List.of("ringbuf", "ringbuf-interface", "ringbuf-claim", "ringbuf-claim-none", "ceiling",
                            "agrona-mpsc", "jctools"), true, true),
            new Group("raw2", "Raw throughput, 2 producers / 1 consumer",
                    "dev.ringbuf.benchmarks.RawThroughput.twoProducers",
                    List.of("ringbuf", "ringbuf-claim-none", "agrona-mpsc", "jctools"), true, true),
            new Group("flux1", "Flux, 1 producer, subscriber requesting 256 at a time on its own thread",
                    "dev.ringbuf.benchmarks.FluxThroughput.oneProducer", FluxImpls.ONE_PRODUCER, true, true),
            new Group("flux2", "Flux, 2 producers, subscriber requesting 256 at a time on its own thread",
                    "dev.ringbuf.benchmarks.FluxThroughput.twoProducers", FluxImpls.TWO_PRODUCERS, true, true),
            new Group("producer", "Producer alone: reserve + write 32 bytes + commit",
                    "dev.ringbuf.benchmarks.ProducerCost.reserveCommit",
                    List.of("ringbuf", "ringbuf-interface", "ringbuf-claim", "ringbuf-claim-none", "ceiling",
                            "agrona-mpsc"), false, true),
            new Group("consumer", "Consumer alone: drain, read every sequence, free",
                    "dev.ringbuf.benchmarks.ConsumerCost.consume",
                    List.of("ringbuf", "ceiling", "agrona-mpsc"), false, true),
            new Group("latency", "One-way latency at 100,000 records/s to an idle consumer",
                    "dev.ringbuf.benchmarks.Latency.oneWay",
                    List.of("ringbuf-default", "park-floor", "ringbuf-flux"), false, false));

    private Suite() {
    }

    /**
     * Runs the suite.
     *
     * @param args see the class comment
     * @throws Exception if a benchmark fails or the report cannot be written
     */
    public static void main(String[] args) throws Exception {
        Path out = Paths.get("docs/benchmarks.md");
        Path work = Paths.get("benchmarks/target/results");
        boolean quick = false;
        Set<String> only = new TreeSet<>();
        String command = "benchmarks/run.sh";
        int rounds = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out":
                    out = Paths.get(args[++i]);
                    break;
                case "--work":
                    work = Paths.get(args[++i]);
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--only":
                    only.addAll(Arrays.asList(args[++i].split(",")));
                    break;
                case "--rounds":
                    rounds = Integer.parseInt(args[++i]);
                    break;
                case "--command":
                    command = args[++i];
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        Files.createDirectories(work);
        final Settings base = quick ? Settings.QUICK : Settings.FULL;
        final Settings settings = rounds > 0 ? base.withRounds(rounds) : base;
        final long seed = System.nanoTime();
        final Random shuffle = new Random(seed);
        final Report report = new Report(settings, command, work.resolve("latency"), seed);
        report.started();
        for (Group group : GROUPS) {
            if (!only.isEmpty() && !only.contains(group.key())) {
                continue;
            }
            final List<String> impls = group.impls().stream().filter(FluxImpls::available).toList();
            if (impls.isEmpty()) {
                report.skipped(group, "the implementations are not on the classpath");
                continue;
            }
            final String loadBefore = Machine.loadAverage();
            clearLatency(group, impls, work);
            final Map<String, Row> merged = new LinkedHashMap<>();
            final List<String> orders = new ArrayList<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                final List<String> order = new ArrayList<>(impls);
                Collections.shuffle(order, shuffle);
                orders.add(String.join(", ", order));
                for (String impl : order) {
                    for (Row row : rows(run(group, impl, round, settings, work), List.of(impl))) {
                        merged.merge(impl, row, Row::plus);
                    }
                }
            }
            final List<Row> rows = new ArrayList<>();
            for (String impl : impls) {
                if (merged.containsKey(impl)) {
                    rows.add(merged.get(impl));
                }
            }
            report.add(group, rows, loadBefore, Machine.loadAverage(), orders);
        }
        report.finished();
        report.write(out);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** One fresh fork of one implementation: one round's share of a table. */
    private static Collection<RunResult> run(Group group, String impl, int round, Settings settings, Path work)
            throws RunnerException {
        final boolean latency = group.key().equals("latency");
        final ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + group.benchmark().replace(".", "\\.") + "$")
                .param("impl", impl)
                .forks(1)
                .warmupIterations(latency ? settings.latencyWarmups() : settings.warmups())
                .measurementIterations(settings.iterations())
                .jvmArgsAppend(settings.jvmArgs(work.resolve("latency")))
                .result(work.resolve(group.key() + "-round" + round + "-" + impl + ".json").toString())
                .resultFormat(ResultFormatType.JSON)
                .shouldFailOnError(true);
        if (!latency) {
            options.warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
        }
        if (group.gcProfiler()) {
            options.addProfiler(GCProfiler.class);
        }
        return new Runner(options.build()).run();
    }

    /** Latency histograms are appended per iteration, round after round: start each table empty. */
    private static void clearLatency(Group group, List<String> impls, Path work) throws IOException {
        if (!group.key().equals("latency")) {
            return;
        }
        Files.createDirectories(work.resolve("latency"));
        for (String impl : impls) {
            Files.deleteIfExists(work.resolve("latency").resolve(impl + ".hdr"));
        }
    }

    private static List<Row> rows(Collection<RunResult> results, List<String> impls) {
        final Map<String, Row> byImpl = new LinkedHashMap<>();
        for (RunResult run : results) {
            final String impl = run.getParams().getParam("impl");
            final List<Double> scores = new ArrayList<>();
            String unit = "";
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                    unit = iteration.getPrimaryResult().getScoreUnit();
                }
            }
            final Result<?> alloc = run.getSecondaryResults().get("·gc.alloc.rate.norm");
            final Result<?> allocPlain = run.getSecondaryResults().get("gc.alloc.rate.norm");
            final double bytes = alloc != null ? alloc.getScore() : allocPlain != null ? allocPlain.getScore()
                    : Double.NaN;
            final Result<?> delivered = run.getSecondaryResults().get("delivered");
            final Result<?> polls = run.getSecondaryResults().get("polls");
            byImpl.put(impl, new Row(impl, scores, run.getBenchmarkResults().size(), bytes, unit,
                    delivered == null ? Double.NaN : delivered.getScore(), polls == null ? Double.NaN : polls.getScore()));
        }
        final List<Row> rows = new ArrayList<>();
        for (String impl : impls) {
            if (byImpl.containsKey(impl)) {
                rows.add(byImpl.get(impl));
            }
        }
        return rows;
    }
}
