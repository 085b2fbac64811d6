package dev.ringbuf.spring.boot.autoconfigure.kafka;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.Timeouts;
import dev.ringbuf.kafka.RelayCompletion;
import dev.ringbuf.kafka.RingKafkaRelay;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The relays of {@code ringbuf.kafka.relays.<name>.*}, started and stopped in order with the application.
 *
 * <p>Phase {@link #PHASE} ({@code SmartLifecycle.DEFAULT_PHASE - 256}): Spring starts the lowest phase first and
 * stops the highest first, so the relays start after the rings' lifecycle ({@code DEFAULT_PHASE - 512}) and before
 * the application's producers (the default phase), and at shutdown:
 * <ol>
 *   <li>the application's producers stop (default phase);
 *   <li>this bean, for every relay at once: <b>close its ring</b> (later reservations fail, counted {@code closed});
 *       <b>wait</b>, at most {@code drain-timeout}, until the relay sent what the ring holds and Kafka acknowledged
 *       it; if time runs out, <b>stop</b> the relay ({@code dispose()}): it waits at most {@code close-timeout} for
 *       the records in flight, and what is still unacknowledged stays in the ring (for a ring file: for the next
 *       process). Each relay's end is logged with what was acknowledged;
 *   <li>the rings' own lifecycle ({@code DEFAULT_PHASE - 512}) and the web server's graceful shutdown.
 * </ol>
 * So shutdown waits at most {@code drain-timeout + close-timeout} (+ 5 s of slack) per relay, in parallel.
 */
public class RingKafkaRelays implements SmartLifecycle {

    /** This bean's phase: between the application's producers and the rings' lifecycle. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 256;

    private static final Log log = LogFactory.getLog(RingKafkaRelays.class);

    /** A relay to start: its ring and how to start it. */
    record Definition(String name, RingBuffer ring, Duration drainTimeout, Duration closeTimeout,
            Function<RingBuffer, RingKafkaRelay> starter) {
    }

    private final Map<String, Definition> definitions;
    private final Map<String, RingKafkaRelay> relays = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile boolean running;

    RingKafkaRelays(Map<String, Definition> definitions) {
        this.definitions = definitions;
    }

    /**
     * The running relays, by name (empty before start).
     *
     * @return the relays
     */
    public Map<String, RingKafkaRelay> relays() {
        synchronized (relays) {
            return Map.copyOf(relays);
        }
    }

    @Override
    public void start() {
        definitions.forEach((name, definition) -> relays.put(name, definition.starter().apply(definition.ring())));
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        final Map<String, RingKafkaRelay> started = relays();
        started.forEach((name, relay) -> definitions.get(name).ring().close());
        started.forEach((name, relay) -> {
            final Definition definition = definitions.get(name);
            final long deadline = Timeouts.deadline(definition.drainTimeout());
            if (!awaitEnd(relay, deadline)) {
                log.warn("ringbuf: relay '" + name + "' did not send what ring '" + definition.ring().name()
                        + "' holds within drain-timeout " + definition.drainTimeout() + " (" + relay.state()
                        + (relay.stallCause() != null ? ": " + relay.stallCause() : "") + "); stopping it, waiting up "
                        + "to close-timeout " + definition.closeTimeout() + " for the records in flight");
                relay.dispose();
                awaitEnd(relay, Timeouts.deadline(definition.closeTimeout().plusSeconds(5)));
            }
            report(name, relay);
        });
    }

    private static boolean awaitEnd(RingKafkaRelay relay, long deadline) {
        try {
            relay.completion().onErrorComplete().block(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return true;
        } catch (IllegalStateException timeout) {
            return relay.state().isTerminal();
        }
    }

    private static void report(String name, RingKafkaRelay relay) {
        try {
            final RelayCompletion done = relay.completion().block(Duration.ofMillis(1));
            log.info("ringbuf: relay '" + name + "' ended: " + done);
        } catch (RuntimeException e) {
            log.warn("ringbuf: relay '" + name + "' ended with " + e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
