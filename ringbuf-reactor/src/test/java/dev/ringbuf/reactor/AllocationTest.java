package dev.ringbuf.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The drain's per-record path allocates nothing beyond the emitted object: measured with the JVM's per-thread
 * allocation counter on the drain thread, from the first record to the last.
 */
class AllocationTest {

    private static final int RECORDS = 200_000;
    private static final Object CONSTANT = new Object();

    @Test
    void decodeAllocatesNothingPerRecordBeyondTheDecodedValue() throws InterruptedException {
        double perRecord = bytesPerRecord(ring -> RingBufferFlux.builder(ring).scheduler(scheduler)
                .decode(record -> record.getLong(0) >= 0 ? CONSTANT : record)); // the decoder allocates nothing
        assertThat(perRecord).isLessThan(1.0);
    }

    @Test
    void recordsAllocatesOneSmallViewPerRecord() throws InterruptedException {
        double perRecord = bytesPerRecord(ring -> RingBufferFlux.builder(ring).scheduler(scheduler).records());
        // One view object, two fields (memory reference, position): 24 bytes with compressed oops and class
        // pointers (the default below 32 GiB of heap), 32 without; nothing else. The slack covers the warm-up noise.
        final boolean compressedOops = Boolean.parseBoolean(java.lang.management.ManagementFactory
                .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("UseCompressedOops").getValue());
        assertThat(perRecord).isLessThan(compressedOops ? 25.0 : 33.0);
    }

    private final Scheduler scheduler = Schedulers.newSingle("alloc");

    private static double bytesPerRecord(java.util.function.Function<RingBuffer, Flux<?>> flux)
            throws InterruptedException {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean
                && ((com.sun.management.ThreadMXBean) bean).isThreadAllocatedMemorySupported());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;

        RingBuffer ring = RingBuffer.builder().name("alloc").capacity(1 << 23).build();
        Rings.putAll(ring, 0, RECORDS + 1);
        ring.close();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        AtomicLong count = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        flux.apply(ring).subscribe(value -> {
            if (count.getAndIncrement() == 0) {
                first.set(threads.getCurrentThreadAllocatedBytes());
            }
        }, error -> done.countDown(), () -> {
            last.set(threads.getCurrentThreadAllocatedBytes());
            done.countDown();
        });
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(count.get()).isEqualTo(RECORDS + 1);
        double perRecord = (last.get() - first.get()) / (double) RECORDS;
        System.out.println("drain allocation: " + perRecord + " bytes per record");
        return perRecord;
    }
}
