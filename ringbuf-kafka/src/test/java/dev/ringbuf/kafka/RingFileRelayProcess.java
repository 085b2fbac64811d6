package dev.ringbuf.kafka;

import dev.ringbuf.core.RingBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The relay process of {@link RingFileRelayKillTest}: opens a ring file, relays it to partition 0 of a topic,
 * prints {@code RELAYING} once the start check passed, {@code SENT <n>} about every 50 ms, and {@code DONE
 * <completion>} once the ring's stream ended and everything was acknowledged; then exits.
 *
 * <p>Arguments: {@code <ring file> <bootstrap servers> <topic>}.
 */
public final class RingFileRelayProcess {

    private RingFileRelayProcess() {
    }

    /**
     * Entry point.
     *
     * @param args ring file, bootstrap servers, topic
     * @throws java.io.IOException if the ring file cannot be opened
     */
    public static void main(String[] args) throws java.io.IOException {
        final RingBuffer ring = RingBuffer.builder().file(Path.of(args[0])).open();
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, Map.of("bootstrap.servers", args[1],
                "linger.ms", 5)).topic(args[2]).partition(0).maxInFlight(256).start();
        boolean announced = false;
        while (!relay.state().isTerminal()) {
            if (!announced && relay.state() == RelayState.RUNNING) {
                System.out.println("RELAYING");
                announced = true;
            }
            System.out.println("SENT " + relay.sentRecords());
            System.out.flush();
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        System.out.println("DONE " + relay.completion().block(Duration.ofSeconds(30)));
        System.out.flush();
        System.exit(0);
    }
}
