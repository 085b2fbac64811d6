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
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** Builds {@code docs/benchmarks.md} from the suite's results. Hand-written notes below the marker are kept. */
final class Report {

    /** Everything after this line in an existing report is kept as it is. */
    static final String NOTES_MARKER = "<!-- Generated above by benchmarks/run.sh; hand-written notes below are kept. -->";

    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("ringbuf", "**ringbuf** `claim`/`commit(offset, Wakeup.NONE)`, `consume(handler)`"),
            Map.entry("ringbuf-default", "**ringbuf** `claim`/`commit(offset)` (Wakeup.DEFAULT: a full fence per "
                    + "commit), `consume(handler)`"),
            Map.entry("ringbuf-overwrite", "**ringbuf** overwrite mode, `claim`/`commit(offset, Wakeup.NONE)`"),
            Map.entry("ringbuf-reserve", "**ringbuf** `reserve()`/`Reservation.commit(Wakeup.NONE)`"),
            Map.entry("ceiling", "ceiling: bare single-producer byte ring (no CAS, no zeroing, no wakeups)"),
            Map.entry("agrona-mpsc", "Agrona `ManyToOneRingBuffer` `tryClaim`/`commit`, `read`"),
            Map.entry("agrona-mpsc-write", "Agrona `ManyToOneRingBuffer` `write` (copy), `read`"),
            Map.entry("agrona-spsc", "Agrona `OneToOneRingBuffer` `tryClaim`/`commit`, `read` (1 producer only)"),
            Map.entry("disruptor", "LMAX Disruptor, multi-producer, `tryNext`/`publish`, `EventPoller`"),
            Map.entry("jctools", "JCTools `MpscArrayQueue<byte[]>` (a new `byte[32]` per record), `drain`"),
            Map.entry("ringbuf-records", "**ringbuf** `RingBufferFlux.records(ring)` (commit Wakeup.DEFAULT)"),
            Map.entry("ringbuf-decode", "**ringbuf** `RingBufferFlux.decode(ring, r -> r.getLong(0))` (boxed Long)"),
            Map.entry("agrona-flux", "Agrona `ManyToOneRingBuffer` drained into a Flux by a hand-written "
                    + "Subscription"),
            Map.entry("sinks-unicast", "Reactor `Sinks.many().unicast().onBackpressureBuffer(bounded queue)`, "
                    + "`publishOn`"),
            Map.entry("sinks-multicast", "Reactor `Sinks.many().multicast().onBackpressureBuffer(bounded)`, "
                    + "`publishOn`"),
            Map.entry("create-buffer", "Reactor `Flux.create(sink, BUFFER)`, `publishOn`"),
            Map.entry("create-drop", "Reactor `Flux.create(sink, DROP)`, `publishOn` (lossy: dropped records "
                    + "are counted, not delivered)"),
            Map.entry("ringbuf-flux", "**ringbuf** `RingBufferFlux.records(ring)` (defaults), commit Wakeup.DEFAULT, "
                    + "subscriber requesting 256 at a time"),
            Map.entry("ringbuf-spin", "**ringbuf** Wakeup.NONE, busy-spinning consumer (a floor; burns a core)"),
            Map.entry("park-floor", "no ring: a bare slot-array hand-off whose consumer parks and whose producer "
                    + "unparks it (the floor of any sleeping consumer)"),
            Map.entry("agrona-backoff", "Agrona `ManyToOneRingBuffer`, consumer idling with "
                    + "`BackoffIdleStrategy()` (spin, yield, park 1 us..1 ms)"));

    /** Printed under the targets: a verdict is only as stable as the regimes behind the two medians it compares. */
    static final String VERDICT_CAVEAT = "\nVerdicts compare this run's medians only. Where the medians of each fork (in "
            + "the tables below) differ by more than a target's margin, the verdict can flip from one run to the next.\n";

    private final Settings settings;
    private final String command;
    private final Path latencyDir;
    private final StringBuilder body = new StringBuilder();
    private final List<String> targets = new ArrayList<>();
    private final List<String> loads = new ArrayList<>();
    private String started;
    private String finished;

    Report(Settings settings, String command, Path latencyDir) {
        this.settings = settings;
        this.command = command;
        this.latencyDir = latencyDir;
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

    void add(Group group, List<Row> rows, String loadBefore, String loadAfter) throws IOException {
        loads.add(group.key() + ": " + loadBefore + " -> " + loadAfter);
        body.append("\n## ").append(group.title()).append("\n\n");
        body.append("`").append(group.benchmark().replace("dev.ringbuf.benchmarks.", "")).append("`, load average ")
                .append(loadBefore).append(" before, ").append(loadAfter).append(" after.\n\n");
        if (group.key().equals("latency")) {
            latencyTable(rows);
        } else if (group.throughput()) {
            throughputTable(group, rows);
        } else {
            costTable(group, rows);
        }
    }

    /** The median of each fork, in millions, separated by slashes: "28.6 / 19.5 / 27.4". */
    static String forkMedians(Row row) {
        final List<Double> medians = row.forkMedians();
        if (medians.isEmpty()) {
            return "-";
        }
        final StringBuilder text = new StringBuilder();
        for (double median : medians) {
            if (text.length() > 0) {
                text.append(" / ");
            }
            text.append(millions(median));
        }
        return text.toString();
    }

    private void throughputTable(Group group, List<Row> rows) {
        final Row reference = rows.isEmpty() ? null : rows.get(0);
        final boolean flux = group.key().startsWith("flux");
        body.append("| implementation | records/s, median | min - max (").append(rows.isEmpty() ? 0
                : rows.get(0).scores().size()).append(" iterations) | median of each fork | slowest / median | ")
                .append(reference == null ? "" : reference.impl()).append(" / this | B/record |")
                .append(flux ? " delivered/s (mean) |" : " records per consumer poll |")
                .append("\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            body.append("| ").append(label(row.impl())).append(" | ").append(millions(row.median())).append(" | ")
                    .append(millions(row.min())).append(" - ").append(millions(row.max())).append(" | ")
                    .append(forkMedians(row)).append(" | ")
                    .append(percent(row.min() / row.median())).append(" | ")
                    .append(row == reference ? "1" : ratio(reference.median() / row.median())).append(" | ")
                    .append(bytes(row.bytesPerRecord())).append(" |");
            body.append(" ").append(flux ? millions(row.delivered()) : fixed(row.recordsPerPoll(), 1)).append(" |");
            body.append('\n');
        }
        body.append(flux ? "\nRecords/s in millions (M) offered by the producers and, for lossless sources, all delivered "
                + "and validated before the invocation ends; `create-drop` delivers only the last column.\n"
                : "\nRecords/s in millions (M), counted at the consumer, every record validated. Records per consumer "
                        + "poll: the consumer's mean batch (about 1 means it keeps up and takes every record's cache "
                        + "lines from the producer one by one).\n");
        body.append("\nMedian of each fork: on a shared VM a JVM fork often stays in one regime (set by where the host "
                + "placed the vCPUs) for most of its life, so these show the regimes that the overall median and "
                + "min - max blend.\n");
        checkThroughput(group, rows);
    }

    private void costTable(Group group, List<Row> rows) {
        final Row reference = rows.isEmpty() ? null : rows.get(0);
        body.append("| implementation | ns/record, median | min - max | this / ").append(reference == null ? ""
                : reference.impl()).append(" | B/record |\n|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            body.append("| ").append(label(row.impl())).append(" | ").append(fixed(row.median(), 1)).append(" | ")
                    .append(fixed(row.min(), 1)).append(" - ").append(fixed(row.max(), 1)).append(" | ")
                    .append(row == reference ? "1" : ratio(row.median() / reference.median())).append(" | ")
                    .append(bytes(row.bytesPerRecord())).append(" |\n");
        }
        if (reference != null && reference.impl().equals("ringbuf")) {
            targets.add(target("0 B/record, " + group.key() + " (`ringbuf`)", bytes(reference.bytesPerRecord()),
                    reference.bytesPerRecord() < 0.5));
        }
    }

    private void latencyTable(List<Row> rows) throws IOException {
        body.append("| implementation | p50 | p99 | p99.9 | max | p50 / p99 min - max over iterations | records |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            final List<Histogram> iterations = histograms(row.impl());
            if (iterations.isEmpty()) {
                body.append("| ").append(label(row.impl())).append(" | no histogram | | | | | |\n");
                continue;
            }
            final Histogram all = new Histogram(iterations.get(0).getHighestTrackableValue(), 3);
            double p50Min = Double.MAX_VALUE;
            double p50Max = 0;
            double p99Min = Double.MAX_VALUE;
            double p99Max = 0;
            for (Histogram h : iterations) {
                all.add(h);
                p50Min = Math.min(p50Min, h.getValueAtPercentile(50));
                p50Max = Math.max(p50Max, h.getValueAtPercentile(50));
                p99Min = Math.min(p99Min, h.getValueAtPercentile(99));
                p99Max = Math.max(p99Max, h.getValueAtPercentile(99));
            }
            final double p50 = all.getValueAtPercentile(50);
            final double p99 = all.getValueAtPercentile(99);
            body.append("| ").append(label(row.impl())).append(" | ").append(micros(p50)).append(" | ")
                    .append(micros(p99)).append(" | ").append(micros(all.getValueAtPercentile(99.9))).append(" | ")
                    .append(micros(all.getMaxValue())).append(" | ").append(micros(p50Min)).append(" - ")
                    .append(micros(p50Max)).append(" / ").append(micros(p99Min)).append(" - ").append(micros(p99Max))
                    .append(" | ").append(all.getTotalCount()).append(" |\n");
            if (row.impl().equals("ringbuf-default")) {
                targets.add(target("latency p50 <= 10 us (DEFAULT wakeup, idle consumer)", micros(p50), p50 <= 10_000));
                targets.add(target("latency p99 <= 200 us (DEFAULT wakeup, idle consumer)", micros(p99),
                        p99 <= 200_000));
            }
        }
        body.append("\nAll measurement iterations of all forks merged (").append(settings.iterations())
                .append(" x 100,000 records per fork).\n");
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

    private void checkThroughput(Group group, List<Row> rows) {
        switch (group.key()) {
            case "raw1":
                ratioTarget(rows, "ringbuf", "agrona-mpsc", 1.0, "raw 1P/1C: ringbuf >= 1.0x Agrona ManyToOne");
                ratioTarget(rows, "ringbuf", "ceiling", 0.9, "raw 1P/1C: ringbuf >= 90% of the ceiling");
                find(rows, "ringbuf").ifPresent(r -> targets.add(target(
                        "raw 1P/1C: ringbuf slowest iteration within 20% of its median",
                        percent(r.min() / r.median()), r.min() >= 0.8 * r.median())));
                find(rows, "ringbuf").ifPresent(r -> targets.add(target("0 B/record, raw 1P/1C (`ringbuf`, both "
                        + "threads)", bytes(r.bytesPerRecord()), r.bytesPerRecord() < 0.5)));
                break;
            case "raw2":
                ratioTarget(rows, "ringbuf", "agrona-mpsc", 1.2, "raw 2P: ringbuf >= 1.2x Agrona ManyToOne");
                break;
            case "flux1":
                ratioTarget(rows, "ringbuf-records", "sinks-unicast", 3.0, "Flux 1P: records() >= 3x Sinks unicast");
                ratioTarget(rows, "ringbuf-records", "create-buffer", 2.0,
                        "Flux 1P: records() >= 2x Flux.create(BUFFER)");
                ratioTarget(rows, "ringbuf-records", "agrona-flux", 1.0,
                        "Flux 1P: records() >= Agrona + hand-written Subscription");
                find(rows, "ringbuf-records").ifPresent(r -> targets.add(target(
                        "<= 24 B/record through records() (1P, all threads)", bytes(r.bytesPerRecord()),
                        r.bytesPerRecord() <= 24)));
                break;
            default:
                break;
        }
    }

    private void ratioTarget(List<Row> rows, String mine, String peer, double goal, String what) {
        final Row a = find(rows, mine).orElse(null);
        final Row b = find(rows, peer).orElse(null);
        if (a == null || b == null) {
            return;
        }
        final double r = a.median() / b.median();
        targets.add(target(what, ratio(r) + "x (" + millions(a.median()) + " / " + millions(b.median()) + " M/s)",
                r >= goal));
    }

    private static java.util.Optional<Row> find(List<Row> rows, String impl) {
        return rows.stream().filter(r -> r.impl().equals(impl)).findFirst();
    }

    private static String target(String what, String measured, boolean met) {
        return "| " + what + " | " + measured + " | " + (met ? "met" : "**missed**") + " |";
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
        doc.append("ringbuf and its peers, measured in one run by `benchmarks/run.sh` (JMH 1.37). Every "
                + "implementation moves the same 32-byte records (an 8-byte sequence and 24 bytes of filler, all "
                + "written); the consumer reads every record's sequence and checks per-producer order and loss; "
                + "records/s are counted at the consumer. Source: `benchmarks/src/main/java/dev/ringbuf/benchmarks`."
                + "\n\n");
        doc.append("## How these numbers were taken\n\n");
        doc.append("- Run: ").append(started).append(" to ").append(finished).append(" (UTC)\n");
        doc.append("- Machine: ").append(Machine.cpu()).append("; ").append(Machine.memory()).append("; ")
                .append(Machine.os()).append("\n");
        doc.append("- JDK: ").append(Machine.jdk()).append("\n");
        doc.append("- Versions: ").append(Machine.versions()).append("\n");
        doc.append("- Command: `").append(command).append("`\n");
        doc.append("- JMH: ").append(settings.describe()).append(". Each table gives the median of all "
                + "measurement iterations of all forks, and their min - max.\n");
        doc.append("- Load average (1, 5, 15 min): ").append(String.join("; ", loads)).append("\n");
        doc.append("- B/record: JMH `-prof gc` `gc.alloc.rate.norm`, which counts the allocations of every thread "
                + "(producers, consumer, Reactor workers) divided by records.\n");
        doc.append("\n## Targets (issue 6), from this run\n\n| target | measured | verdict |\n|---|---|---|\n");
        targets.forEach(t -> doc.append(t).append('\n'));
        doc.append(VERDICT_CAVEAT);
        doc.append(body);
        doc.append('\n').append(NOTES_MARKER).append(notes.startsWith("\n") ? notes : "\n" + notes);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, doc.toString());
    }

    private static String label(String impl) {
        return LABELS.getOrDefault(impl, impl) + " [`" + impl + "`]";
    }

    private static String millions(double v) {
        return String.format(Locale.ROOT, "%.1f", v / 1e6);
    }

    private static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String ratio(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    private static String micros(double nanos) {
        return nanos < 100_000 ? String.format(Locale.ROOT, "%.1f us", nanos / 1e3)
                : String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
    }

    private static String bytes(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }
}
