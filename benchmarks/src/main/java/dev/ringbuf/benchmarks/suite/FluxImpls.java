package dev.ringbuf.benchmarks.suite;

import java.util.List;

/** The Flux workloads' implementations, and whether each can run in this build. */
final class FluxImpls {

    /** The one-producer table, ringbuf's README path first (fed by reserve/commit()), then the expert path. */
    static final List<String> ONE_PRODUCER = List.of("ringbuf-records", "ringbuf-decode", "ringbuf-records-claim",
            "agrona-flux", "sinks-unicast");
    /** The two-producer table. */
    static final List<String> TWO_PRODUCERS = List.of("ringbuf-records", "agrona-flux", "sinks-unicast");

    private FluxImpls() {
    }

    /**
     * Whether an implementation's classes are present: ringbuf's Flux needs {@code ringbuf-reactor}.
     *
     * @param impl the implementation
     * @return false only for a ringbuf Flux implementation without {@code ringbuf-reactor}
     */
    static boolean available(String impl) {
        if (!impl.startsWith("ringbuf-records") && !impl.startsWith("ringbuf-decode")) {
            return true;
        }
        try {
            Class.forName("dev.ringbuf.reactor.RingBufferFlux", false, FluxImpls.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
