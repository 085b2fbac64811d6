package dev.ringbuf.reactor;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import reactor.util.context.Context;

/** Shared by the sender's TCK subscriber verifications: the subscriber a {@link RingBufferSender} puts on a source. */
final class SenderTckSupport {

    private SenderTckSupport() {
    }

    static SendSubscriber<Long> subscriber(SendSubscriber.Outcome<Long> outcome) {
        RingBuffer ring = RingBuffer.builder().name("tck-sender").capacity(1 << 16).build();
        return RingBufferSender.create(ring).overflow(OverflowPolicy.DROP_NEWEST).subscriber(
                RingBufferSenderTest.LONGS, outcome);
    }

    /** An outcome that ignores everything. */
    static class Ignoring implements SendSubscriber.Outcome<Long> {
        @Override
        public void written(Long value) {
        }

        @Override
        public void dropped(Long value, DropReason reason) {
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Throwable error) {
        }

        @Override
        public Context context() {
            return Context.empty();
        }
    }
}
