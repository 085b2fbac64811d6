package dev.ringbuf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Per-ring state kept with the ring: one value per key type, created once, separate per ring and per group. */
class RingAttachmentsTest {

    @Test
    void oneValuePerTypeCreatedOnFirstUseAndKeptWithItsRing() {
        final RingBuffer a = RingBuffer.builder().name("a").capacity(4096).build();
        final RingBuffer b = RingBuffer.builder().name("b").capacity(4096).build();
        final AtomicInteger created = new AtomicInteger();

        final AtomicReference<?> first = a.attachments().get(AtomicReference.class, () -> {
            created.incrementAndGet();
            return new AtomicReference<>();
        });
        assertThat(a.attachments().get(AtomicReference.class, AtomicReference::new)).isSameAs(first);
        assertThat(created).hasValue(1);
        assertThat(b.attachments().get(AtomicReference.class, AtomicReference::new)).isNotSameAs(first);
        assertThat(RingGroup.of(a).attachments().get(AtomicReference.class, AtomicReference::new))
                .isNotSameAs(first);
    }

    @Test
    void nullsAreRejectedWithTheirName() {
        final RingAttachments attachments = RingBuffer.builder().name("n").capacity(4096).build().attachments();
        assertThatThrownBy(() -> attachments.get(null, Object::new)).isInstanceOf(NullPointerException.class)
                .hasMessage("type must not be null");
        assertThatThrownBy(() -> attachments.get(Object.class, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("create must not be null");
        assertThatThrownBy(() -> attachments.get(Object.class, () -> null)).isInstanceOf(NullPointerException.class)
                .hasMessage("create returned null");
    }
}
