package dev.ringbuf.benchmarks.harness;

/**
 * The one idle strategy every implementation gets when it has nothing to do (a full ring for a producer, an empty
 * one for the consumer): spin briefly, then yield. Yielding matters on a 2-core machine running 3 threads. One
 * instance per thread.
 */
public final class Backoff {

    private static final int SPINS = 64;
    private int idles;

    /** Called when a try made no progress. */
    public void idle() {
        if (++idles <= SPINS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** Called when a try made progress. */
    public void reset() {
        idles = 0;
    }
}
