package dev.ringbuf.samples.plain;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RecordHandler;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.samples.cli.CommandLine;
import dev.ringbuf.samples.event.EventCodec;
import dev.ringbuf.samples.event.SyntheticProducers;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The quick-start demo, no Reactor: producers on several threads write events into one ring, one consumer thread
 * drains it with {@link RingBuffer#consume(RecordHandler)} and parks in {@link RingBuffer#awaitData(Duration)},
 * and once a second the demo prints records consumed per second, reservations dropped per second and how full the
 * ring is. It checks as it goes that each producer's events arrive in order.
 *
 * <pre>
 * java -cp samples/target/ringbuf-samples.jar dev.ringbuf.samples.plain.ThroughputDemo --producers 4 --duration 10s
 * </pre>
 *
 * With {@code --rate 0} (the default) producers write as fast as they can, outrun the consumer and the ring drops
 * the newest events ({@code drops/s}); with a rate the consumer keeps up and nothing is dropped. Ctrl-C stops it
 * cleanly: producers stop, the ring is closed, the consumer drains what was committed.
 */
public final class ThroughputDemo {

    /** The demo's options. */
    static final List<CommandLine.Option> OPTIONS = List.of(
            new CommandLine.Option("producers", "N", "4", "producer threads"),
            new CommandLine.Option("capacity", "BYTES", "1m", "ring capacity, a power of two (64 .. 1g; k/m/g suffixes)"),
            new CommandLine.Option("rate", "EVENTS/S", "0", "total events per second over all producers, 0 = as fast as they can"),
            new CommandLine.Option("batch", "N", "16", "events per batch for the batching producers (Wakeup.NONE ... FORCE)"),
            new CommandLine.Option("duration", "TIME", "10s", "how long to run (500ms, 10s, 2m), 0 = until Ctrl-C"));

    /**
     * What a run measured.
     *
     * @param consumed records the consumer received
     * @param dropped reservations that failed (ring full or closed)
     * @param written events the producers committed
     * @param outOfOrder events that arrived before an earlier event of the same producer (always 0: the ring keeps
     *     reservation order)
     */
    public record Summary(long consumed, long dropped, long written, long outOfOrder) {
    }

    private ThroughputDemo() {
    }

    /**
     * Runs the demo from the command line.
     *
     * @param args the options; {@code --help} lists them
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        final CommandLine cli;
        try {
            cli = CommandLine.parse("java -cp ringbuf-samples.jar " + ThroughputDemo.class.getName(),
                    "Producers on several threads, one consumer with consume()/awaitData(); prints records/s and"
                            + " drops/s every second.", OPTIONS, args);
            final Summary summary = run(cli, System.out, true);
            if (summary.outOfOrder() != 0) {
                System.exit(1);
            }
        } catch (CommandLine.HelpRequested help) {
            System.out.print(help.getMessage());
        } catch (IllegalArgumentException e) { // a bad option, or a value the ring's builder rejects
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Runs the demo with parsed options and prints to {@code out}.
     *
     * @param cli the options
     * @param out where the per-second lines and the summary go
     * @param stopOnSignal whether Ctrl-C (SIGINT/SIGTERM) ends the run cleanly
     * @return what was measured
     * @throws InterruptedException if interrupted
     * @throws CommandLine.UsageException if an option has a bad value
     */
    public static Summary run(CommandLine cli, PrintStream out, boolean stopOnSignal) throws InterruptedException {
        final int producerCount = cli.intValue("producers", 1, 256);
        final long capacity = cli.bytesValue("capacity", 64, 1L << 30);
        final long rate = cli.longValue("rate", 0, 1_000_000_000L);
        final int batch = cli.intValue("batch", 1, 1 << 20);
        final Duration duration = cli.durationValue("duration");

        final RingBuffer ring = RingBuffer.builder().name("demo").capacity(capacity).build();
        final OrderCheckingConsumer consumer = new OrderCheckingConsumer(ring, producerCount);
        final Thread consumerThread = new Thread(consumer, "consumer");
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await(5, TimeUnit.SECONDS); // let the run print its summary before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        if (stopOnSignal) {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        out.printf("ring '%s': %,d bytes; %d producers at %s; consumer: consume() + awaitData()%n", ring.name(),
                ring.capacity(), producerCount, rate == 0 ? "full speed" : String.format("%,d events/s", rate));
        final SyntheticProducers producers = new SyntheticProducers(ring, producerCount, rate, batch);
        consumerThread.start();
        producers.start();
        try {
            report(ring, out, duration, stop);
        } finally {
            // Orderly stop: no new events, close the ring (late reservations fail as 'closed'), drain the rest.
            producers.stop(Duration.ofSeconds(5));
            ring.close();
            consumerThread.join(TimeUnit.SECONDS.toMillis(10));
            if (stopOnSignal && stop.getCount() != 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        final Summary summary = new Summary(consumer.consumed, ring.droppedRecords(), producers.written(),
                consumer.outOfOrder);
        out.printf("total: %,d records consumed, %,d written, %,d dropped (full %,d, closed %,d); out of order: %d%n",
                summary.consumed(), summary.written(), summary.dropped(),
                ring.droppedRecords(dev.ringbuf.core.DropReason.FULL),
                ring.droppedRecords(dev.ringbuf.core.DropReason.CLOSED), summary.outOfOrder());
        finished.countDown();
        return summary;
    }

    /** Prints one line a second until the duration is over or a stop is requested. */
    private static void report(RingBuffer ring, PrintStream out, Duration duration, CountDownLatch stop)
            throws InterruptedException {
        final long start = System.nanoTime();
        final long end = duration.isZero() ? Long.MAX_VALUE : start + duration.toNanos();
        long lastConsumed = 0;
        long lastDropped = 0;
        long lastTick = start;
        for (int second = 1; ; second++) {
            final long tick = Math.min(start + TimeUnit.SECONDS.toNanos(second), end);
            if (stop.await(tick - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return;
            }
            final long now = System.nanoTime();
            final long consumed = ring.consumedRecords();
            final long dropped = ring.droppedRecords();
            final double seconds = (now - lastTick) / 1e9;
            out.printf("%4ds  records/s %,13.0f  drops/s %,13.0f  ring %3d%% full%n", second,
                    (consumed - lastConsumed) / seconds, (dropped - lastDropped) / seconds,
                    ring.availableData() * 100 / ring.capacity());
            lastConsumed = consumed;
            lastDropped = dropped;
            lastTick = now;
            if (now >= end) {
                return;
            }
        }
    }

    /** The consumer loop: consume what is there, park until a producer's commit wakes it, end when drained. */
    private static final class OrderCheckingConsumer implements Runnable, RecordHandler {
        private final RingBuffer ring;
        private final long[] lastSequence;
        private long consumed;
        private long outOfOrder;

        OrderCheckingConsumer(RingBuffer ring, int producers) {
            this.ring = ring;
            this.lastSequence = new long[producers];
            Arrays.fill(lastSequence, -1);
        }

        @Override
        public void run() {
            try {
                while (!ring.isClosedAndDrained()) {
                    if (ring.consume(this) == 0) {
                        // Parks until a DEFAULT/FORCE commit wakes us; the timeout picks up Wakeup.NONE records.
                        ring.awaitData(Duration.ofMillis(100));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onRecord(Record record) {
            // Read in place: no copy, no allocation. The view is valid until this method returns.
            final int producer = record.getInt(EventCodec.PRODUCER);
            final long sequence = record.getLong(EventCodec.SEQUENCE);
            if (sequence <= lastSequence[producer]) {
                outOfOrder++;
            }
            lastSequence[producer] = sequence;
            consumed++;
        }
    }
}
