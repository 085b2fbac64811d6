package dev.ringbuf.benchmarks;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Reservation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What producers waiting for space cost (issue 20), measured with CPU time, not JMH (the figure is CPU per record
 * of a deliberately starved ring, not a throughput):
 *
 * <ul>
 *   <li>{@code busy}: 100 threads in {@code reserve(32, 1 h)} + commit on a 256-byte ring whose consumer takes one
 *       record at a time; producers' CPU time per record delivered, and the process's cores busy. Waking every
 *       waiter at each free cost 476 µs per record (777 µs on a ring file).</li>
 *   <li>{@code idle}: 100 threads waiting for space in a full ring file that nobody consumes; the process's cores
 *       busy. Each waiter polling on its own cost 0.59 cores.</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ringbuf.benchmarks.SpaceWaitCost [seconds]
 * </pre>
 */
public final class SpaceWaitCost {

    private static final int WAITERS = 100;
    private static final int SIZE = 32;

    private SpaceWaitCost() {
    }

    /**
     * Runs both measurements, in process and on a ring file, and prints one line each.
     *
     * @param args optional: seconds per measurement (default 3)
     * @throws Exception if a ring file cannot be created
     */
    public static void main(String[] args) throws Exception {
        final long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        final Path dir = Files.createTempDirectory("space-wait-cost");
        try {
            busy("in-process", RingBuffer.builder().name("busy").capacity(256).build(), seconds);
            busy("ring-file", RingBuffer.builder().file(dir.resolve("busy")).capacity(256).create(), seconds);
            idle(RingBuffer.builder().file(dir.resolve("idle")).capacity(256).create(), seconds);
            idle(RingBuffer.builder().name("idle").capacity(256).build(), seconds);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void busy(String kind, RingBuffer ring, long seconds) throws InterruptedException {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> producers = startWaiters(ring, stop, true);
        final long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long warm = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        long records = 0;
        long cpuBefore = 0;
        long processBefore = 0;
        long wallBefore = 0;
        boolean measuring = false;
        while (System.nanoTime() < end + Duration.ofSeconds(1).toNanos()) {
            if (!measuring && System.nanoTime() >= warm) {
                measuring = true;
                records = 0;
                cpuBefore = cpu(threads, producers);
                processBefore = processCpu();
                wallBefore = System.nanoTime();
            }
            ring.awaitData(Duration.ofMillis(10));
            records += ring.consume(record -> { }, 1); // the one-record consumer
        }
        final long cpu = cpu(threads, producers) - cpuBefore;
        final long process = processCpu() - processBefore;
        final long wall = System.nanoTime() - wallBefore;
        stop.set(true);
        ring.close();
        join(producers);
        System.out.printf("busy %-10s %d waiters, 256-byte ring, one-record consumer: %d records, producer CPU %.1f "
                + "us/record, process %.2f cores%n", kind, WAITERS, records, cpu / 1e3 / Math.max(1, records),
                (double) process / wall);
    }

    private static void idle(RingBuffer ring, long seconds) throws InterruptedException {
        while (ring.output(new byte[SIZE])) {
            // fill it
        }
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> waiters = startWaiters(ring, stop, false);
        pause(Duration.ofSeconds(1)); // let them all park
        final long before = processCpu();
        final long wallBefore = System.nanoTime();
        pause(Duration.ofSeconds(seconds));
        final long process = processCpu() - before;
        final long wall = System.nanoTime() - wallBefore;
        stop.set(true);
        ring.close();
        join(waiters);
        System.out.printf("idle %-10s %d waiters on a full ring nobody consumes: process %.3f cores%n",
                ring.file().isPresent() ? "ring-file" : "in-process", WAITERS, (double) process / wall);
    }

    private static List<Thread> startWaiters(RingBuffer ring, AtomicBoolean stop, boolean commit) {
        final List<Thread> started = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            final Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        try (Reservation r = ring.reserve(SIZE, Duration.ofHours(1))) {
                            if (r == null) {
                                return; // closed
                            }
                            if (commit) {
                                r.putLong(0, 1).commit();
                            }
                        }
                    }
                } catch (InterruptedException | IllegalStateException e) {
                    // closed under it: done
                }
            }, "waiter-" + i);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        return started;
    }

    private static long cpu(ThreadMXBean threads, List<Thread> of) {
        long sum = 0;
        for (Thread thread : of) {
            @SuppressWarnings("deprecation") // Thread.getId: threadId() is not in Java 17
            final long cpu = threads.getThreadCpuTime(thread.getId());
            sum += Math.max(0, cpu);
        }
        return sum;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Parks the measuring thread for {@code time} (the measured interval). */
    private static void pause(Duration time) {
        final long end = System.nanoTime() + time.toNanos();
        for (long left = time.toNanos(); left > 0; left = end - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}
