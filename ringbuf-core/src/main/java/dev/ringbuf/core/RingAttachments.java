package dev.ringbuf.core;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * State that the layers above the core keep per ring (or per group) -- the Flux's subscriber slot, the registries
 * its meters are bound to -- so that it lives and dies with the ring instead of in a JVM-global table. One value per
 * key class, created on first use. Thread-safe; nothing on a hot path.
 *
 * <pre>{@code
 * Slot slot = ring.attachments().get(Slot.class, Slot::new);
 * }</pre>
 */
public final class RingAttachments {

    private final ConcurrentHashMap<Class<?>, Object> values = new ConcurrentHashMap<>();

    RingAttachments() {
    }

    /**
     * The value kept under {@code type}, created by {@code create} the first time (atomically: one value per type).
     *
     * @param type the key, and the value's type
     * @param create makes the value the first time
     * @param <T> the value's type
     * @return the value
     * @throws NullPointerException if an argument is null or {@code create} returns null
     */
    public <T> T get(Class<T> type, Supplier<? extends T> create) {
        Objects.requireNonNull(create, "create must not be null");
        return type.cast(values.computeIfAbsent(Objects.requireNonNull(type, "type must not be null"),
                key -> Objects.requireNonNull(create.get(), "create returned null")));
    }
}
