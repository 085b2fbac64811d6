package dev.ringbuf.benchmarks.flux;

/** The Flux workloads' sources by the names of the {@code impl} parameter. */
public final class FluxSources {

    private FluxSources() {
    }

    /**
     * Makes a source.
     *
     * @param impl {@code ringbuf-records}, {@code ringbuf-decode} (both fed by {@code reserve}/{@code commit()}),
     *     {@code ringbuf-records-claim} (fed by {@code claim}/{@code commit(offset)}), {@code agrona-flux}, {@code sinks-unicast},
     *     {@code sinks-multicast}, {@code create-buffer} or {@code create-drop}
     * @return a fresh source
     */
    public static FluxSource create(String impl) {
        switch (impl) {
            case "ringbuf-records":
                return new RingbufFluxSource(false, false);
            case "ringbuf-decode":
                return new RingbufFluxSource(true, false);
            case "ringbuf-records-claim":
                return new RingbufFluxSource(false, true);
            case "agrona-flux":
                return new AgronaFluxSource();
            case "sinks-unicast":
                return new SinkSource(SinkSource.Kind.UNICAST);
            case "sinks-multicast":
                return new SinkSource(SinkSource.Kind.MULTICAST);
            case "create-buffer":
                return new SinkSource(SinkSource.Kind.CREATE_BUFFER);
            case "create-drop":
                return new SinkSource(SinkSource.Kind.CREATE_DROP);
            default:
                throw new IllegalArgumentException("unknown Flux implementation '" + impl + "'");
        }
    }
}
