package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingBufferBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Fails startup when two {@link RingBuffer} beans have the same ring name.
 *
 * <p>A ring's own name ({@code RingBuffer.builder().name(..)}; a ring from {@code ringbuf.rings.<name>} is named
 * {@code <name>}) is the one identity every meter uses: the {@code ring} tag of the starter's meters, of the
 * drain's subscriber meters and of any binder the application adds. Two rings with one name would share, and
 * corrupt, one meter series; two {@code @Bean} rings built without {@code .name(..)} are both "ringbuf". The starter
 * does not re-tag meters by bean name, because meters bound outside it (the application's
 * {@code RingBufferFlux.builder(ring).metrics(registry)}) would still carry the ring's name: one name for one ring
 * everywhere is simpler to query. Health and the endpoint list rings by bean name and show the ring's name.
 */
final class RingNameCheck implements SmartInitializingSingleton {

    private final Supplier<Map<String, RingBuffer>> rings;

    RingNameCheck(Supplier<Map<String, RingBuffer>> rings) {
        this.rings = rings;
    }

    @Override
    public void afterSingletonsInstantiated() {
        final Map<String, List<String>> beansByRingName = rings.get().entrySet().stream()
                .collect(Collectors.groupingBy(entry -> entry.getValue().name(), LinkedHashMap::new,
                        Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        beansByRingName.forEach((ringName, beans) -> {
            if (beans.size() > 1) {
                throw new RingBufferConfigurationException("The RingBuffer beans " + beans + " all have the ring "
                        + "name '" + ringName + "'" + (RingBufferBuilder.DEFAULT_NAME.equals(ringName)
                                ? " (the default: they were built without .name(..))" : "")
                        + ". A ring's name is the ring tag of its meters: they would share one series.",
                        "Give each ring its own name, for example RingBuffer.builder().name(\"" + beans.get(1)
                        + "\"), or define the rings with " + RingBufferProperties.RINGS + ".<name>.* (each is named "
                        + "after its key).");
            }
        });
    }
}
