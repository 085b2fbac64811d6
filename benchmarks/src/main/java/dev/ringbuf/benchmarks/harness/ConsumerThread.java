package dev.ringbuf.benchmarks.harness;

/**
 * The consumer thread of the throughput workloads: polls the transport, validates, publishes the counts once per
 * non-empty poll, backs off when empty.
 */
public final class ConsumerThread extends Thread {

    private final Transport transport;
    private final Validator validator;
    private final java.util.concurrent.atomic.AtomicLong polls = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running = true;

    /**
     * Starts nothing yet.
     *
     * @param transport what to drain
     * @param validator where records go
     */
    public ConsumerThread(Transport transport, Validator validator) {
        super("bench-consumer");
        setDaemon(true);
        this.transport = transport;
        this.validator = validator;
    }

    @Override
    public void run() {
        final Backoff backoff = new Backoff();
        final Transport transport = this.transport;
        final Validator validator = this.validator;
        long nonEmptyPolls = 0;
        while (running) {
            if (transport.poll(validator) > 0) {
                polls.lazySet(++nonEmptyPolls); // before publish(): a producer that saw its records sees this count
                validator.publish();
                backoff.reset();
            } else {
                backoff.idle();
            }
        }
    }

    /**
     * Polls that delivered at least one record so far: records divided by this is the consumer's mean batch, which
     * tells a consumer that keeps up (about 1 record per poll, every record a cache-line hand-off) from one that
     * drains in bulk.
     *
     * @return the count, as last published
     */
    public long nonEmptyPolls() {
        return polls.get();
    }

    /**
     * Stops and joins the thread.
     *
     * @throws InterruptedException if interrupted while joining
     */
    public void halt() throws InterruptedException {
        running = false;
        join(10_000);
    }
}
