package dev.ringbuf.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingConsumer;
import dev.ringbuf.core.RingProducer;
import dev.ringbuf.core.WakeupListener;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.time.Duration;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The core's nullness as compilers see it (Kotlin, NullAway): its package is {@code @NullMarked}, and the results
 * that say "no" are {@code @Nullable} in the class files, on the interfaces and on {@code RingBuffer}.
 */
class NullnessContractTest {

    private static boolean nullable(AnnotatedType type) {
        return type.isAnnotationPresent(Nullable.class);
    }

    @Test
    void theCorePackageIsNullMarked() {
        assertThat(RingBuffer.class.getPackage().isAnnotationPresent(NullMarked.class)).isTrue();
    }

    @Test
    void aReservationThatFailsIsNull() throws NoSuchMethodException {
        for (Class<?> type : new Class<?>[] {RingProducer.class, RingBuffer.class}) {
            assertThat(nullable(type.getMethod("reserve", int.class).getAnnotatedReturnType())).as(type + " reserve")
                    .isTrue();
            assertThat(nullable(type.getMethod("reserve", int.class, Duration.class).getAnnotatedReturnType()))
                    .as(type + " reserve(size, timeout)").isTrue();
            final Method space = type.getMethod("spaceWaiter", Runnable.class);
            assertThat(nullable(space.getAnnotatedReturnType())).as(type + " spaceWaiter").isFalse();
        }
        assertThat(nullable(RingBuffer.class.getMethod("claim", int.class).getAnnotatedReturnType())).isFalse();
    }

    @Test
    void thePreviousWakeupListenerMayBeNull() throws NoSuchMethodException {
        for (Class<?> type : new Class<?>[] {RingConsumer.class, RingBuffer.class}) {
            final Method method = type.getMethod("setWakeupListener", WakeupListener.class);
            assertThat(nullable(method.getAnnotatedReturnType())).as(type.toString()).isTrue();
            assertThat(nullable(method.getAnnotatedParameterTypes()[0])).as(type.toString()).isTrue();
        }
    }
}
