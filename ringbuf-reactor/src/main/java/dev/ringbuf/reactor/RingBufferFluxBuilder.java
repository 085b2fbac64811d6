package dev.ringbuf.reactor;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Timeouts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Tunes a ring's Flux: scheduler, poll interval, batch size, metrics and release mode. A builder may be reused; each
 * {@link #records()} or {@link #decode(Function)} call takes a snapshot of the settings.
 *
 * <pre>{@code
 * Flux<Record> records = RingBufferFlux.builder(ring)
 *         .scheduler(Schedulers.boundedElastic())     // if onNext blocks
 *         .pollInterval(Duration.ofMillis(20))        // latency bound for Wakeup.NONE commits
 *         .batchSize(128)
 *         .records();
 * }</pre>
 */
public final class RingBufferFluxBuilder {

    /** The default {@link #pollInterval(Duration) poll interval}: 100 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

    /** The default {@link #batchSize(int) batch size}: 256 records. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    /** The default {@link #handOverTimeout(Duration) hand-over timeout}: 1 s. */
    public static final Duration DEFAULT_HAND_OVER_TIMEOUT = Duration.ofSeconds(1);

    /** The default {@link #stallWarning(Duration) stall warning} of manual release: 10 s. */
    public static final Duration DEFAULT_STALL_WARNING = Duration.ofSeconds(10);

    private final RingBuffer ring;
    private Scheduler scheduler;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private MeterRegistry registry;
    private int maxOutstanding;
    private Scheduler pollScheduler;
    private Duration stallWarning = DEFAULT_STALL_WARNING;
    private Duration handOverTimeout = DEFAULT_HAND_OVER_TIMEOUT;

    RingBufferFluxBuilder(RingBuffer ring) {
        this.ring = Objects.requireNonNull(ring, "ring must not be null");
    }

    /**
     * The scheduler whose worker consumes the ring and emits the records (one worker per subscription). Default:
     * {@code Schedulers.parallel()}, looked up at subscription time (so that {@code StepVerifier.withVirtualTime}
     * replaces it). Use {@code Schedulers.boundedElastic()} if downstream blocks in {@code onNext}.
     * {@code Schedulers.immediate()} runs the drain on whichever thread signals (a producer's, or the requester's).
     * Any scheduler works, including {@code Schedulers.fromExecutorService(...)} of a plain executor (a
     * virtual-thread-per-task one on JDK 21+): when the worker has no timer, the poll timer runs on
     * {@link #pollScheduler(Scheduler)} or {@code Schedulers.parallel()}, and only signals the drain.
     *
     * @param scheduler the scheduler
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public RingBufferFluxBuilder scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
        return this;
    }

    /**
     * How often the drain looks at the ring without being woken: the latency bound for records committed with
     * {@code Wakeup.NONE}. Default {@link #DEFAULT_POLL_INTERVAL 100 ms}. {@code Duration.ZERO} disables the timer:
     * then only {@code DEFAULT} and {@code FORCE} wakeups, demand and {@code close()} run the drain, and a batch
     * committed with {@code NONE} must end with a {@code FORCE} commit.
     *
     * @param interval zero, or a positive duration
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public RingBufferFluxBuilder pollInterval(Duration interval) {
        Objects.requireNonNull(interval, "pollInterval must not be null");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("pollInterval " + interval
                    + " must be zero (no timer) or positive");
        }
        this.pollInterval = interval;
        return this;
    }

    /**
     * Where the {@link #pollInterval(Duration) poll timer} ticks. Default: the drain's own worker, or
     * {@code Schedulers.parallel()} when that worker has no timer. The tick only signals the drain, which always
     * runs on the {@link #scheduler(Scheduler) drain scheduler}.
     *
     * @param scheduler the timer's scheduler
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public RingBufferFluxBuilder pollScheduler(Scheduler scheduler) {
        this.pollScheduler = Objects.requireNonNull(scheduler, "pollScheduler must not be null");
        return this;
    }

    /**
     * How long a new subscriber waits for the ring's current subscriber to cancel. Reactor's cancellation is
     * asynchronous (an operator such as {@code flatMap} or {@code share()} may pass a {@code take}'s cancel on
     * later), so a subscription made right after a cancel queues behind the cancelling one and takes over when it
     * lets go: it never fails because of timing. A subscriber that is still live (not cancelled) after this timeout
     * is a concurrent second subscriber, and the new one gets {@code onError(IllegalStateException)}. Default
     * {@link #DEFAULT_HAND_OVER_TIMEOUT 1 s}.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public RingBufferFluxBuilder handOverTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "handOverTimeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handOverTimeout " + timeout + " must be positive");
        }
        this.handOverTimeout = timeout;
        return this;
    }

    /**
     * Manual release: log a warning (once per episode, through Reactor's {@code Loggers}) when the oldest
     * unreleased record has been held longer than {@code threshold} — the symptom of an operator that drops records
     * without releasing them (a {@code filter} without {@code doOnDiscard(Record.class, Record::release)}), which
     * otherwise stalls the ring silently. Checked each time the drain runs (the poll timer included). Default
     * {@link #DEFAULT_STALL_WARNING 10 s}; {@code Duration.ZERO} disables it.
     *
     * @param threshold zero, or a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code threshold} is negative
     */
    public RingBufferFluxBuilder stallWarning(Duration threshold) {
        Objects.requireNonNull(threshold, "stallWarning must not be null");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("stallWarning " + threshold + " must be zero (off) or positive");
        }
        this.stallWarning = threshold;
        return this;
    }

    /**
     * The most records one consume call delivers before the drain frees their space and looks at cancellation and
     * demand again. Smaller batches free space sooner (fewer drops on a small ring); larger ones cost less per
     * record. Default {@link #DEFAULT_BATCH_SIZE 256}.
     *
     * @param records a positive number of records
     * @return this builder
     * @throws IllegalArgumentException if {@code records} is not positive
     */
    public RingBufferFluxBuilder batchSize(int records) {
        if (records <= 0) {
            throw new IllegalArgumentException("batchSize " + records + " must be positive");
        }
        this.batchSize = records;
        return this;
    }

    /**
     * Registers the {@code ringbuf.subscriber.demand} gauge (tag {@code ring}; and, in manual release,
     * {@code ringbuf.subscriber.outstanding}) in {@code registry} while a subscriber is attached, and removes it when
     * the subscriber goes. The ring's own meters come from
     * {@link RingBufferMetrics}.
     *
     * @param registry the registry
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public RingBufferFluxBuilder metrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        return this;
    }

    /**
     * Switches {@link #records()} to manual release: a record stays valid after {@code onNext} returns, so it may
     * cross asynchronous boundaries, until {@link Record#release()} is called (from any thread, idempotent). The
     * ring reclaims space up to the oldest unreleased record; at most {@code maxOutstanding} records are emitted
     * and not yet released, after which the drain waits for releases (and the ring fills).
     *
     * <p><b>At-least-once.</b> When the subscriber cancels (or the Flux errors), the records it was given and has not
     * released are not lost: the next subscriber of the ring gets them again, in order, before newer ones (the read
     * position moves back to the oldest unreleased record). Records released after that oldest one are delivered
     * again too, so at most {@code maxOutstanding} records are duplicated per cancel. The views the cancelled
     * subscriber still holds become unreadable ({@link IllegalStateException}).
     *
     * <p>While subscribed, the {@code ringbuf.subscriber.outstanding} gauge (with {@link #metrics(MeterRegistry)} or
     * a bound {@link RingBufferMetrics}) counts emitted, unreleased records, and {@link #stallWarning(Duration)}
     * logs a held-too-long record. Operators that drop elements must release them:
     * {@code .doOnDiscard(Record.class, Record::release)}.
     *
     * @param maxOutstanding the bound on emitted, unreleased records, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code maxOutstanding} is not positive
     */
    public RingBufferFluxBuilder manualRelease(int maxOutstanding) {
        if (maxOutstanding <= 0) {
            throw new IllegalArgumentException("manualRelease maxOutstanding " + maxOutstanding
                    + " must be positive");
        }
        this.maxOutstanding = maxOutstanding;
        return this;
    }

    /**
     * A Flux of the ring's records as zero-copy views: released when {@code onNext} returns, or by
     * {@link Record#release()} in {@link #manualRelease(int) manual-release} mode.
     *
     * @return the Flux
     */
    public Flux<Record> records() {
        final DrainSettings settings = settings();
        return RingBufferPublisher.create(DrainTarget.of(ring), settings, maxOutstanding > 0
                ? (actual, worker) -> new ManualReleaseSubscription(actual, ring, worker, settings, maxOutstanding)
                : (actual, worker) -> new RecordsSubscription(actual, ring, worker, settings));
    }

    /**
     * A Flux of the ring's records decoded by {@code decoder} in the drain loop. The decoder reads the ring's
     * memory through a view valid only while it runs; if it throws, or returns {@code null}, the Flux ends with
     * {@code onError} and that record counts as consumed.
     *
     * @param decoder turns a record into a value
     * @param <T> the decoded type
     * @return the Flux
     * @throws NullPointerException if {@code decoder} is null
     * @throws IllegalStateException if {@link #manualRelease(int)} was set: the decoder's view is released when it
     *     returns, so manual release applies to {@link #records()} only
     */
    public <T> Flux<T> decode(Function<? super Record, ? extends T> decoder) {
        Objects.requireNonNull(decoder, "decoder must not be null");
        if (maxOutstanding > 0) {
            throw new IllegalStateException("manualRelease(" + maxOutstanding + ") applies to records() only: "
                    + "decode() releases each record when the decoder returns");
        }
        final DrainSettings settings = settings();
        return RingBufferPublisher.create(DrainTarget.of(ring), settings,
                (actual, worker) -> new DecodeSubscription<T>(actual, ring, worker, settings, decoder));
    }

    private DrainSettings settings() {
        return new DrainSettings(scheduler, Timeouts.toNanos(pollInterval), batchSize, registry, pollScheduler,
                Timeouts.toNanos(stallWarning), Timeouts.toNanos(handOverTimeout));
    }
}
