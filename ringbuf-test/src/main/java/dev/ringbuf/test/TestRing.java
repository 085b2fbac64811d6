package dev.ringbuf.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How {@link RingBufferExtension} makes the {@code RingBuffer} of a test's parameter. Without it the parameter gets
 * an in-process ring of {@value #DEFAULT_CAPACITY} bytes named after the parameter, which must drop nothing.
 *
 * <pre>{@code
 * @Test
 * void aFullRingDropsTheNewest(@TestRing(capacity = 64, allowDrops = true) RingBuffer ring) {
 *     ...
 *     RingDrops.assertDropped(ring, DropReason.FULL, 1);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface TestRing {

    /** The default capacity, in bytes. */
    int DEFAULT_CAPACITY = 4096;

    /**
     * The ring's capacity in bytes: a power of two from 64 to 2^30.
     *
     * @return the capacity
     */
    int capacity() default DEFAULT_CAPACITY;

    /**
     * The ring's name (its meters' {@code ring} tag); empty for the parameter's name, when the test is compiled with
     * {@code -parameters}, else {@code ring<index>}.
     *
     * @return the name
     */
    String name() default "";

    /**
     * The largest payload of one record; negative for the ring's default ({@code capacity / 4}).
     *
     * @return the largest record, in bytes
     */
    int maxRecordSize() default -1;

    /**
     * Whether the test may leave the ring with dropped records. By default the extension fails the test, after it
     * ran, when its ring dropped any record (full, closed or oversize), naming the counts; a test that drops on
     * purpose sets this and asserts the drops itself with {@link RingDrops}.
     *
     * @return whether drops are allowed
     */
    boolean allowDrops() default false;
}
