package dev.ringbuf.reactor;

import dev.ringbuf.core.DropReason;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What became of one element given to {@link RingBufferSender#sendAndReport}: written into the ring, or dropped with
 * a reason. The element itself is the correlation metadata.
 *
 * @param <T> the element type
 */
public final class SendResult<T> {

    private final T value;
    private final @Nullable DropReason dropReason;

    private SendResult(T value, @Nullable DropReason dropReason) {
        this.value = value;
        this.dropReason = dropReason;
    }

    static <T> SendResult<T> written(T value) {
        return new SendResult<>(value, null);
    }

    static <T> SendResult<T> dropped(T value, DropReason reason) {
        return new SendResult<>(value, Objects.requireNonNull(reason));
    }

    /**
     * The element this result is about.
     *
     * @return the element, as the source emitted it
     */
    public T value() {
        return value;
    }

    /**
     * Whether the element is in the ring (committed).
     *
     * @return true if written
     */
    public boolean isWritten() {
        return dropReason == null;
    }

    /**
     * Why the element was dropped.
     *
     * @return the reason, or {@code null} if it was written
     */
    public @Nullable DropReason dropReason() {
        return dropReason;
    }

    @Override
    public String toString() {
        return "SendResult[" + (isWritten() ? "written" : "dropped: " + dropReason) + ", value=" + value + "]";
    }
}
