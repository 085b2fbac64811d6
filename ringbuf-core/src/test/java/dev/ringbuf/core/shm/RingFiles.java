package dev.ringbuf.core.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Test helpers that edit a ring file directly, at the offsets docs/shared-memory.md documents. */
final class RingFiles {

    static final int MAGIC = 0;
    static final int VERSION = 8;
    static final int CAPACITY = 12;
    static final int MAX_RECORD_SIZE = 16;
    static final int CONSUMER_POSITION = 128;
    static final int READ_POSITION = 128 + 24;
    static final int CONSUMER_GUARD = 128 + 32;
    static final int FREEING_TO = 128 + 56;
    static final int CONSUMER_LEASE = 128 + 72;
    static final int PRODUCER_POSITION = 256;
    static final int CONSUMER_CACHE = 384;
    static final int DATA = 4096;

    private RingFiles() {
    }

    static void putLong(Path file, long offset, long value) throws IOException {
        write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    static void putInt(Path file, long offset, int value) throws IOException {
        write(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    static long getLong(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(buffer, offset);
            return buffer.getLong(0);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void write(Path file, long offset, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(bytes, offset);
        }
    }
}
