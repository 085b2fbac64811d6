package dev.ringbuf.benchmarks.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Builds {@code docs/benchmarks.md} from the suite's paired rounds: every comparison is a {@link PairedRatio}.
 * Hand-written notes below the marker are kept.
 */
final class Report {

    /** Everything after this line in an existing report is kept as it is. */
    static final String NOTES_MARKER = "<!-- Generated above by benchmarks/run.sh; hand-written notes below are kept. -->";

    private final Settings settings;
    private final String command;
    private final Path latencyDir;
    private final long seed;
    private final StringBuilder body = new StringBuilder();
    private final List<String> targets = new ArrayList<>();
    private final List<String> loads = new ArrayList<>();
    private String started;
    private String finished;

    Report(Settings settings, String command, Path latencyDir, long seed) {
        this.settings = settings;
        this.command = command;
        this.latencyDir = latencyDir;
        this.seed = seed;
    }

    void started() {
        started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        loads.add("start: " + Machine.loadAverage());
    }

    void finished() {
        finished = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        loads.add("end: " + Machine.loadAverage());
    }

    void skipped(Group group, String why) {
        body.append("\n## ").append(group.title()).append("\n\nNot run: ").append(why).append(".\n");
    }

    void add(Group group, List<Row> rows, String loadBefore, String loadAfter, List<String> orders)
            throws IOException {
        loads.add(group.key() + ": " + loadBefore + " -> " + loadAfter);
        body.append("\n## ").append(group.title()).append("\n\n");
        body.append("`").append(group.benchmark().replace("dev.ringbuf.benchmarks.", "")).append("`, load average ")
                .append(loadBefore).append(" before, ").append(loadAfter).append(" after. Fork order per round: ");
        for (int i = 0; i < orders.size(); i++) {
            body.append(i == 0 ? "" : "; ").append(i + 1).append(": ").append(orders.get(i));
        }
        body.append(".\n\n");
        if (group.key().equals("latency")) {
            latencyTable(rows);
        } else {
            comparisonTable(group, rows);
            checkTargets(group, rows);
        }
    }

    /** The median of each round, separated by slashes: "28.6 / 19.5 / 27.4" (M/s or ns). */
    static String forkMedians(Row row, boolean millions) {
        final List<Double> medians = row.forkMedians();
        if (medians.isEmpty()) {
            return "-";
        }
        final StringBuilder text = new StringBuilder();
        for (double median : medians) {
            text.append(text.length() > 0 ? " / " : "").append(millions ? millions(median) : fixed(median, 1));
        }
        return text.toString();
    }

    /** One row per implementation, ringbuf's README path first; every other row compared to it round by round. */
    private void comparisonTable(Group group, List<Row> rows) {
        final Row reference = rows.get(0);
        final boolean throughput = group.throughput();
        final boolean flux = group.key().startsWith("flux");
        body.append("| implementation | ").append(throughput ? "records/s (M)" : "ns/record")
                .append(", median | median of each round | `").append(reference.impl())
                .append("` vs this, per round: median (min - max), rounds led | B/record |")
                .append(throughput ? flux ? " delivered/s (M) |" : " records per consumer poll |" : "")
                .append(throughput ? "\n|---|---:|---:|---:|---:|---:|\n" : "\n|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            final PairedRatio ratio = PairedRatio.of(reference, row, throughput, 1.0);
            body.append("| ").append(Labels.of(row.impl())).append(" | ")
                    .append(throughput ? millions(row.median()) : fixed(row.median(), 1)).append(" | ")
                    .append(forkMedians(row, throughput)).append(" | ")
                    .append(row == reference ? "-" : ratio.describe() + (ratio.verdict().startsWith("no difference")
                            ? ": no difference measured" : "")).append(" | ")
                    .append(bytes(row.bytesPerRecord())).append(" |");
            if (throughput) {
                body.append(' ').append(flux ? millions(row.delivered()) : fixed(row.recordsPerPoll(), 1)).append(" |");
            }
            body.append('\n');
        }
        body.append(throughput ? "\nA ratio above 1 means `" + reference.impl() + "` moved more records/s than that "
                + "row in the same round" : "\nA ratio above 1 means `" + reference.impl() + "` cost fewer ns per "
                + "record than that row in the same round").append("; a spread on both sides of 1.0 with ringbuf ahead in "
                + "fewer than 3 of 4 rounds is no difference measured. B/record: the largest `gc.alloc.rate.norm` of any round, all threads.\n");
    }

    private void checkTargets(Group group, List<Row> rows) {
        switch (group.key()) {
            case "raw1":
                ratioTarget(rows, "ringbuf", "agrona-mpsc", 1.0, "raw 1P: README path >= 1.0x Agrona ManyToOne");
                zeroBytes(rows, "ringbuf", "0 B/record, raw 1P, README path (producer and consumer threads)");
                zeroBytes(rows, "ringbuf-interface", "0 B/record, raw 1P, README path behind an interface call");
                break;
            case "raw2":
                ratioTarget(rows, "ringbuf", "agrona-mpsc", 1.5, "raw 2P: README path >= 1.5x Agrona ManyToOne");
                break;
            case "flux1":
                ratioTarget(rows, "ringbuf-records", "sinks-unicast", 2.0,
                        "Flux 1P: `records()` >= 2x `Sinks.many().unicast()`");
                ratioTarget(rows, "ringbuf-records", "agrona-flux", 1.0,
                        "Flux 1P: `records()` >= 1.0x Agrona + hand-written Subscription");
                find(rows, "ringbuf-records").ifPresent(r -> targets.add(target("<= 24 B/record through `records()` "
                        + "(all threads)", bytes(r.bytesPerRecord()), r.bytesPerRecord() <= 24 ? "met" : "**missed**")));
                break;
            case "producer":
                zeroBytes(rows, "ringbuf", "0 B/record, producer alone, README path");
                zeroBytes(rows, "ringbuf-interface", "0 B/record, producer alone, README path behind an interface");
                break;
            case "consumer":
                zeroBytes(rows, "ringbuf", "0 B/record, consumer alone");
                break;
            default:
                break;
        }
    }

    private void ratioTarget(List<Row> rows, String mine, String peer, double goal, String what) {
        final Row a = find(rows, mine).orElse(null);
        final Row b = find(rows, peer).orElse(null);
        if (a != null && b != null) {
            final PairedRatio ratio = PairedRatio.of(a, b, true, goal);
            targets.add(target(what, ratio.describe(), ratio.verdict()));
        }
    }

    private void zeroBytes(List<Row> rows, String impl, String what) {
        find(rows, impl).ifPresent(r -> targets.add(target(what + " [`" + impl + "`]", bytes(r.bytesPerRecord()),
                r.bytesPerRecord() < 0.5 ? "met" : "**missed**")));
    }

    private void latencyTable(List<Row> rows) throws IOException {
        body.append("| implementation | p50 | p99 | p99.9 | max | p50 of each round | p99 of each round |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        final List<Histogram> floor = rounds(histograms("park-floor"));
        for (Row row : rows) {
            final List<Histogram> iterations = histograms(row.impl());
            if (iterations.isEmpty()) {
                body.append("| ").append(Labels.of(row.impl())).append(" | no histogram | | | | | |\n");
                continue;
            }
            final List<Histogram> rounds = rounds(iterations);
            final Histogram all = merge(iterations);
            body.append("| ").append(Labels.of(row.impl())).append(" | ").append(micros(all.getValueAtPercentile(50)))
                    .append(" | ").append(micros(all.getValueAtPercentile(99))).append(" | ")
                    .append(micros(all.getValueAtPercentile(99.9))).append(" | ").append(micros(all.getMaxValue()))
                    .append(" | ").append(percentiles(rounds, 50)).append(" | ").append(percentiles(rounds, 99))
                    .append(" |\n");
            if (row.impl().equals("ringbuf-default") && floor.size() == rounds.size()) {
                latencyTarget(rounds, floor, 50, 1.10, "latency p50 within 10% of the park/unpark floor's p50");
                latencyTarget(rounds, floor, 99, 2.0, "latency p99 within 2x of the park/unpark floor's p99");
            }
        }
        body.append("\nAll iterations of all rounds merged; a round is one fork of ").append(settings.iterations())
                .append(" x 100,000 records.\n");
    }

    private void latencyTarget(List<Histogram> mine, List<Histogram> floor, double percentile, double bound,
            String what) {
        final List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            ratios.add((double) mine.get(i).getValueAtPercentile(percentile)
                    / floor.get(i).getValueAtPercentile(percentile));
        }
        final PairedRatio ratio = new PairedRatio(ratios, bound, false);
        targets.add(target(what + " (ringbuf / floor, per round)", ratio.describe(), ratio.verdict()));
    }

    /** Iteration histograms grouped into rounds (each round is one fork of {@code iterations} iterations). */
    private List<Histogram> rounds(List<Histogram> iterations) {
        final List<Histogram> rounds = new ArrayList<>();
        final int per = settings.iterations();
        for (int from = 0; from + per <= iterations.size(); from += per) {
            rounds.add(merge(iterations.subList(from, from + per)));
        }
        return rounds;
    }

    private static Histogram merge(List<Histogram> parts) {
        final Histogram all = new Histogram(parts.get(0).getHighestTrackableValue(), 3);
        parts.forEach(all::add);
        return all;
    }

    private static String percentiles(List<Histogram> rounds, double percentile) {
        final StringBuilder text = new StringBuilder();
        for (Histogram h : rounds) {
            text.append(text.length() > 0 ? " / " : "").append(micros(h.getValueAtPercentile(percentile)));
        }
        return text.toString();
    }

    private List<Histogram> histograms(String impl) throws IOException {
        final Path file = latencyDir.resolve(impl + ".hdr");
        final List<Histogram> list = new ArrayList<>();
        if (!Files.exists(file)) {
            return list;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                list.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(line)),
                        0));
            } catch (DataFormatException e) {
                throw new IOException("corrupt histogram in " + file, e);
            }
        }
        return list;
    }

    private static Optional<Row> find(List<Row> rows, String impl) {
        return rows.stream().filter(r -> r.impl().equals(impl)).findFirst();
    }

    private static String target(String what, String measured, String verdict) {
        return "| " + what + " | " + measured + " | " + verdict + " |";
    }

    void write(Path out) throws IOException {
        String notes = "\n## Notes\n\n(none yet)\n";
        if (Files.exists(out)) {
            final String old = Files.readString(out);
            final int at = old.indexOf(NOTES_MARKER);
            if (at >= 0) {
                notes = old.substring(at + NOTES_MARKER.length());
            }
        }
        final StringBuilder doc = new StringBuilder();
        doc.append("# Benchmarks\n\n");
        doc.append("What it costs to move 32-byte records through ringbuf and its peers, measured by "
                + "`benchmarks/run.sh` (JMH). Every implementation writes the same records (an 8-byte sequence and "
                + "24 bytes of filler); the consumer reads and checks every sequence; records/s are counted at the "
                + "consumer. The first row of every table is the path the README teaches: `reserve(n)`, puts on the "
                + "`Reservation`, `commit()` (the DEFAULT wakeup), and `consume(handler)` or "
                + "`RingBufferFlux.records(ring)`. The offset API (`claim`/`commit(offset)`) and `Wakeup.NONE` "
                + "rows below it are the expert path. The run log and what was decided from it: "
                + "[benchmarks/RESULTS.md](../benchmarks/RESULTS.md).\n\n");
        doc.append("**How to read it.** Each round runs every implementation of a table once, in a fresh JVM, in a "
                + "shuffled order, and ringbuf is compared with each peer within the round. A target is met only "
                + "when it held in at least 3 of 4 rounds; a spread of ratios on both sides of the goal is "
                + "\"no difference measured\". Allocation (`-prof gc`) does not vary by round and is given as "
                + "measured.\n");
        doc.append("\n## Targets (issue 12)\n\n| target | paired ratio: median (min - max), rounds held | verdict |"
                + "\n|---|---|---|\n");
        targets.forEach(t -> doc.append(t).append('\n'));
        doc.append(body);
        doc.append("\n## How these numbers were taken\n\n");
        doc.append("- Run: ").append(started).append(" to ").append(finished).append(" (UTC), command `")
                .append(command).append("`\n");
        doc.append("- Machine: ").append(Machine.cpu()).append("; ").append(Machine.memory()).append("; ")
                .append(Machine.os()).append("\n");
        doc.append("- JDK: ").append(Machine.jdk()).append("\n");
        doc.append("- Versions: ").append(Machine.versions()).append("\n");
        doc.append("- JMH: ").append(settings.describe()).append("; shuffle seed ").append(seed).append("\n");
        doc.append("- Load average (1, 5, 15 min): ").append(String.join("; ", loads)).append("\n");
        doc.append("\nTo reproduce: `benchmarks/run.sh` (about 25 minutes on 2 cores; `--quick` for a smoke run, "
                + "`--only raw1,flux1` for some tables, `--rounds N`). It rewrites everything above the marker below "
                + "and keeps the notes under it.\n");
        doc.append('\n').append(NOTES_MARKER).append(notes.startsWith("\n") ? notes : "\n" + notes);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, doc.toString());
    }

    private static String millions(double v) {
        return String.format(Locale.ROOT, "%.1f", v / 1e6);
    }

    private static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String micros(double nanos) {
        return nanos < 100_000 ? String.format(Locale.ROOT, "%.1f us", nanos / 1e3)
                : String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
    }

    private static String bytes(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
