package dev.ringbuf.benchmarks.suite;

import java.util.List;

/** The Flux workloads' implementations, and whether each can run in this build. */
final class FluxImpls {

    /** Single-producer Flux implementations, ringbuf's first. */
    static final List<String> ALL = List.of("ringbuf-records", "ringbuf-decode", "agrona-flux", "sinks-unicast",
            "sinks-multicast", "create-buffer", "create-drop");
    /** Those that accept concurrent producers. */
    static final List<String> MULTI_PRODUCER = ALL;

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
