package dev.ringbuf.spring.boot.autoconfigure;

import org.springframework.context.SmartLifecycle;

/**
 * The {@link SmartLifecycle} phases of a ring's producers, the ring and its consumers: the extension point for
 * anything that writes into or reads from a ring and has to start and stop in the right order. Spring starts the
 * lowest phase first and stops the highest phase first, so:
 *
 * <table>
 *   <caption>Phases, highest first (the order at shutdown; startup is the reverse)</caption>
 *   <tr><th>phase</th><th>who</th><th>at shutdown</th></tr>
 *   <tr><td>{@link #PRODUCERS} ({@code DEFAULT_PHASE}) or above</td><td>the application's producers: its own
 *       {@code SmartLifecycle} beans (the default phase) and Spring's task schedulers, which run {@code @Scheduled}
 *       methods</td><td>stop writing: scheduling stops and running tasks finish</td></tr>
 *   <tr><td>{@link #RINGS}</td><td>{@link RingBufferLifecycle}</td><td>closes every ring (later writes fail, counted
 *       {@code closed}), then waits, bounded by {@code ringbuf.shutdown.drain-timeout}, until the consumers have
 *       read every record written before the close</td></tr>
 *   <tr><td>{@link #CONSUMERS}</td><td>the rings' consumers: every {@code RingFanOut} bean (started and stopped by
 *       the starter) and the relays of other modules (a Kafka relay, for example), each a {@code SmartLifecycle}
 *       whose {@code getPhase()} returns {@code RingBufferPhases.CONSUMERS}</td><td>stop reading: by then each
 *       ring is drained (or given up on) and its Flux has completed</td></tr>
 *   <tr><td>{@code DEFAULT_PHASE - 1024} and below</td><td>the web server's graceful shutdown, then the web server</td>
 *       <td>the response streams built on the rings have completed; their last bytes are written</td></tr>
 * </table>
 *
 * <p>At startup the order is reversed: consumers subscribe first, then the rings' lifecycle records where each
 * consumer stands, then the producers start, so nothing is written before anybody reads.
 *
 * <pre>{@code
 * class MyRelay implements SmartLifecycle {
 *     public int getPhase() { return RingBufferPhases.CONSUMERS; }   // starts before producers, stops after the drain
 *     ...
 * }
 * }</pre>
 */
public final class RingBufferPhases {

    /** The application's producers: {@link SmartLifecycle#DEFAULT_PHASE}, or any phase above {@link #RINGS}. */
    public static final int PRODUCERS = SmartLifecycle.DEFAULT_PHASE;

    /** {@link RingBufferLifecycle}: closes and drains the rings at shutdown. */
    public static final int RINGS = SmartLifecycle.DEFAULT_PHASE - 512;

    /** The rings' consumers (fan-outs, relays): started before the rings' lifecycle, stopped after their drain. */
    public static final int CONSUMERS = SmartLifecycle.DEFAULT_PHASE - 768;

    private RingBufferPhases() {
    }
}
