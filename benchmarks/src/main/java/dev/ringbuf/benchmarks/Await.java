package dev.ringbuf.benchmarks;

import dev.ringbuf.benchmarks.harness.Backoff;
import dev.ringbuf.benchmarks.harness.Validator;

/** Producer-side waits for the consumer, bounded so that a broken implementation fails instead of hanging. */
final class Await {

    private static final long LIMIT_NANOS = 30_000_000_000L;

    private Await() {
    }

    /**
     * Waits until the consumer has received every record of {@code producer} before sequence {@code end}.
     *
     * @param validator the consumer's validator
     * @param producer the producer id
     * @param end the sequence after the last one sent
     */
    static void received(Validator validator, int producer, long end) {
        final Backoff backoff = new Backoff();
        long deadline = 0;
        while (validator.nextExpected(producer) != end) {
            validator.check();
            if (deadline == 0) {
                deadline = System.nanoTime() + LIMIT_NANOS;
            } else if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("consumer stalled: producer " + producer + " waits for its records");
            }
            backoff.idle();
        }
    }
}
