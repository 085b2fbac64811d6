package dev.ringbuf.samples.feed;

import dev.ringbuf.samples.event.EventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.List;

/**
 * One-line JSON snapshots of the feed's meters, read from the {@link MeterRegistry} (so the dashboard shows what
 * Prometheus scrapes), for the dashboard's SSE stream. Counters are cumulative; the page turns two snapshots into
 * rates.
 *
 * <p>Shape: {@code {"t":<epoch ms>,"consumed":n,"dropped":n,"available":bytes,"capacity":bytes,
 * "clientsDropped":n,"clients":[{"client":"a","sent":n,"dropped":n},...]}}.
 */
public final class MeterSnapshots {

    private final MeterRegistry registry;
    private final String ring;

    /**
     * Snapshots of one ring's meters and the feed's client meters.
     *
     * @param registry the registry the meters are in
     * @param ring the ring's name (its {@code ring} tag)
     */
    public MeterSnapshots(MeterRegistry registry, String ring) {
        this.registry = registry;
        this.ring = ring;
    }

    /**
     * The meters now, as JSON.
     *
     * @return one line of JSON
     */
    public String json() {
        final StringBuilder json = new StringBuilder(256);
        json.append("{\"t\":").append(registry.config().clock().wallTime())
                .append(",\"consumed\":").append(functionCount("ringbuf.records.consumed"))
                .append(",\"dropped\":").append(functionCount("ringbuf.records.dropped"))
                .append(",\"available\":").append(gauge("ringbuf.available"))
                .append(",\"capacity\":").append(gauge("ringbuf.capacity"));
        final List<Counter> dropped = registry.find("feed.client.events.dropped").counters().stream()
                .sorted(Comparator.comparing(c -> c.getId().getTag("client"))).toList();
        long clientsDropped = 0;
        for (Counter counter : dropped) {
            clientsDropped += (long) counter.count();
        }
        json.append(",\"clientsDropped\":").append(clientsDropped).append(",\"clients\":[");
        String separator = "";
        for (Counter counter : dropped) {
            final String client = counter.getId().getTag("client");
            final Counter sent = registry.find("feed.client.events.sent").tag("client", client).counter();
            json.append(separator).append("{\"client\":");
            EventCodec.appendJsonString(json, client);
            json.append(",\"sent\":").append(sent == null ? 0 : (long) sent.count())
                    .append(",\"dropped\":").append((long) counter.count()).append('}');
            separator = ",";
        }
        return json.append("]}").toString();
    }

    private long functionCount(String name) {
        long sum = 0;
        for (FunctionCounter counter : registry.find(name).tag("ring", ring).functionCounters()) {
            sum += (long) counter.count();
        }
        return sum;
    }

    private long gauge(String name) {
        final Gauge gauge = registry.find(name).tag("ring", ring).gauge();
        return gauge == null ? 0 : (long) gauge.value();
    }
}
