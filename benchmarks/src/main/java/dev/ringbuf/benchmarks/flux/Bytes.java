package dev.ringbuf.benchmarks.flux;

import dev.ringbuf.benchmarks.harness.Records;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Records as {@code byte[32]}: what a Reactor sink user sends. */
final class Bytes {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    static byte[] record(long sequence) {
        final byte[] record = new byte[Records.SIZE];
        LONG.set(record, 0, sequence);
        LONG.set(record, 8, Records.filler(sequence, 1));
        LONG.set(record, 16, Records.filler(sequence, 2));
        LONG.set(record, 24, Records.filler(sequence, 3));
        return record;
    }

    static long sequence(byte[] record) {
        return (long) LONG.get(record, 0);
    }
}
