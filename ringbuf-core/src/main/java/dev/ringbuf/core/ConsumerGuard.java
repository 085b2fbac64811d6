package dev.ringbuf.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The in-process ring's "one consumer at a time" flag, alone on its cache lines.
 *
 * <p>A consumer takes it (CAS) and gives it back (release store) on every {@code consume} call. In the region it
 * would share a line with the read position, which producers read on every DEFAULT commit: a consumer polling an
 * empty ring would then take that line away from them twice per poll. Here it dirties only lines nobody else reads.
 * The 128 bytes of padding on each side (superclass and subclass fields, which the JVM lays out in that order) keep
 * it off the lines of whatever objects are allocated next to it. A ring file keeps its guard in the file instead,
 * where other processes can see who holds it.
 */
final class ConsumerGuard extends ConsumerGuardFlag {

    // Trailing padding: 16 longs after the flag.
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(ConsumerGuardFlag.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Takes the guard.
     *
     * @return {@code false} if another consumer holds it
     */
    boolean tryAcquire() {
        // CAS (volatile): also makes everything the previous consumer wrote (positions, counters) visible to this one.
        return HELD.compareAndSet(this, 0, 1);
    }

    /** Gives the guard back; release: this consumer's writes happen-before the next consumer's acquire. */
    void release() {
        HELD.setRelease(this, 0);
    }
}

/** Leading padding, then the flag. */
abstract class ConsumerGuardPadding {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The flag itself, between the two paddings. */
abstract class ConsumerGuardFlag extends ConsumerGuardPadding {
    /** 1 while a consumer is inside consume/read/releaseTo/awaitData. */
    volatile int held;
}
