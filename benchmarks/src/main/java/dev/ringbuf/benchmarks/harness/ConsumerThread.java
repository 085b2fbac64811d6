package dev.ringbuf.benchmarks.harness;

/**
 * The consumer thread of the throughput workloads: polls the transport, validates, publishes the counts once per
 * non-empty poll, backs off when empty.
 */
public final class ConsumerThread extends Thread {

    private final Transport transport;
    private final Validator validator;
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
        while (running) {
            if (transport.poll(validator) > 0) {
                validator.publish();
                backoff.reset();
            } else {
                backoff.idle();
            }
        }
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
