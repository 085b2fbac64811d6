package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code ringbuf} actuator endpoint: every {@link RingBuffer} bean and its state.
 *
 * <pre>
 * management.endpoints.web.exposure.include=health,prometheus,ringbuf
 * curl localhost:8080/actuator/ringbuf          # every ring, by bean name
 * curl localhost:8080/actuator/ringbuf/events   # one ring
 * </pre>
 */
@Endpoint(id = "ringbuf")
public class RingBufferEndpoint {

    private final Supplier<Map<String, RingBuffer>> rings;

    /**
     * The endpoint.
     *
     * @param rings the rings by bean name, read at each request
     */
    public RingBufferEndpoint(Supplier<Map<String, RingBuffer>> rings) {
        this.rings = Objects.requireNonNull(rings, "rings must not be null");
    }

    /**
     * Every ring's state.
     *
     * @return the states by bean name
     */
    @ReadOperation
    public RingsDescriptor rings() {
        final Map<String, RingSnapshot> states = new LinkedHashMap<>();
        rings.get().forEach((bean, ring) -> states.put(bean, RingSnapshot.of(ring)));
        return new RingsDescriptor(states);
    }

    /**
     * One ring's state.
     *
     * @param name the ring's bean name
     * @return its state, or null (404) when there is no such ring
     */
    @ReadOperation
    public @Nullable RingSnapshot ring(@Selector String name) {
        final RingBuffer ring = rings.get().get(name);
        return ring == null ? null : RingSnapshot.of(ring);
    }

    /**
     * The endpoint's answer.
     *
     * @param rings the rings' states by bean name
     */
    public record RingsDescriptor(Map<String, RingSnapshot> rings) {
    }
}
