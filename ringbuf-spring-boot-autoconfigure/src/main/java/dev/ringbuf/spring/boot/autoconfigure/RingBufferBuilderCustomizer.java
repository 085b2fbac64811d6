package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBufferBuilder;

/**
 * Adjusts the builder of each ring made from {@code ringbuf.rings.<name>.*}, after the properties are applied and
 * before the ring is built (or its file created or opened). Every customizer bean is applied, in
 * {@link org.springframework.core.Ordered} order; rings the application builds itself are not customized.
 *
 * <pre>{@code
 * @Bean
 * RingBufferBuilderCustomizer fileRingsStallLonger() {
 *     return (name, builder) -> {
 *         if (name.startsWith("shared-")) {
 *             builder.stallTimeout(Duration.ofSeconds(30));
 *         }
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RingBufferBuilderCustomizer {

    /**
     * Customizes one ring's builder.
     *
     * @param name the ring's name, its key under {@code ringbuf.rings}
     * @param builder the builder, with the ring's properties applied
     */
    void customize(String name, RingBufferBuilder builder);
}
