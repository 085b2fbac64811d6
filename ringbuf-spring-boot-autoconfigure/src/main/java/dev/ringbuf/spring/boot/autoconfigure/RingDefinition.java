package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.core.RingBufferBuilder;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * One ring's checked settings ({@code ringbuf.rings.<name>.*}) and how to make the ring from them.
 *
 * <p>{@link #of} checks every value before any ring is made and throws {@link
 * InvalidConfigurationPropertyValueException}, which Spring Boot reports at startup with the property's name, its
 * value and the rule.
 */
final class RingDefinition {

    static final long MIN_CAPACITY = 64;
    static final long MAX_CAPACITY = 1L << 30;
    private static final String CAPACITY_RULE = "a ring's capacity must be a power of two from 64B to 1GB "
            + "(64 to 1073741824 bytes), for example 1MB";

    private final String name;
    private final long capacity;
    private final int maxRecordSize;
    private final @Nullable Path file;
    private final RingFileMode fileMode;
    private final @Nullable Duration stallTimeout;
    private final boolean overwrite;

    private RingDefinition(String name, long capacity, int maxRecordSize, @Nullable Path file, RingFileMode fileMode,
            @Nullable Duration stallTimeout, boolean overwrite) {
        this.overwrite = overwrite;
        this.name = name;
        this.capacity = capacity;
        this.maxRecordSize = maxRecordSize;
        this.file = file;
        this.fileMode = fileMode;
        this.stallTimeout = stallTimeout;
    }

    /**
     * Checks one ring's properties.
     *
     * @param name the ring's name (the key under {@code ringbuf.rings})
     * @param ring its bound properties
     * @return the checked definition
     * @throws InvalidConfigurationPropertyValueException naming the first bad property and its rule
     */
    static RingDefinition of(String name, RingBufferProperties.Ring ring) {
        final String prefix = RingBufferProperties.RINGS + "." + name + ".";
        if (name.isBlank()) {
            throw new InvalidConfigurationPropertyValueException(RingBufferProperties.RINGS, name,
                    "a ring's name must not be blank");
        }
        final RingFileMode mode = ring.getFileMode() == null ? RingFileMode.CREATE_OR_OPEN : ring.getFileMode();
        if (ring.getFile() == null && mode != RingFileMode.CREATE_OR_OPEN) {
            throw new InvalidConfigurationPropertyValueException(prefix + "file-mode", mode,
                    "file-mode " + mode + " needs a ring file: set " + prefix + "file");
        }
        final boolean openOnly = ring.getFile() != null && mode == RingFileMode.OPEN;
        final long capacity = capacity(prefix + "capacity", ring.getCapacity(), openOnly);
        final int maxRecordSize = maxRecordSize(prefix + "max-record-size", ring.getMaxRecordSize(), capacity);
        final Duration stall = ring.getStallTimeout();
        if (stall != null && stall.compareTo(RingBufferBuilder.MIN_STALL_TIMEOUT) < 0) {
            throw new InvalidConfigurationPropertyValueException(prefix + "stall-timeout", stall,
                    "the stall timeout must be at least " + RingBufferBuilder.MIN_STALL_TIMEOUT.toMillis()
                    + "ms (a shorter one abandons healthy producers), for example 10s");
        }
        if (stall != null && ring.isOverwrite() && ring.getFile() == null) {
            throw new InvalidConfigurationPropertyValueException(prefix + "stall-timeout", stall,
                    "an in-process overwrite ring does not abandon stuck reservations: remove stall-timeout or "
                    + "overwrite");
        }
        return new RingDefinition(name, capacity, maxRecordSize, ring.getFile(), mode, stall, ring.isOverwrite());
    }

    private static long capacity(String property, @Nullable DataSize size, boolean optional) {
        if (size == null) {
            if (optional) {
                return -1;
            }
            throw new InvalidConfigurationPropertyValueException(property, null,
                    "a capacity is required (it is optional only with file-mode=open); " + CAPACITY_RULE);
        }
        final long bytes = size.toBytes();
        if (bytes < MIN_CAPACITY || bytes > MAX_CAPACITY || Long.bitCount(bytes) != 1) {
            throw new InvalidConfigurationPropertyValueException(property, size,
                    bytes + " bytes: " + CAPACITY_RULE);
        }
        return bytes;
    }

    private static int maxRecordSize(String property, @Nullable DataSize size, long capacity) {
        if (size == null) {
            return -1;
        }
        final long bytes = size.toBytes();
        final long limit = capacity < 0 ? MAX_CAPACITY - 16 : capacity - 16;
        if (bytes < 0 || bytes > limit) {
            throw new InvalidConfigurationPropertyValueException(property, size, bytes + " bytes: the largest "
                    + "record must be from 0 to capacity - 16 bytes" + (capacity < 0 ? "" : " (" + limit + ")"));
        }
        return (int) bytes;
    }

    /**
     * The ring's name.
     *
     * @return the name
     */
    String name() {
        return name;
    }

    /**
     * Makes the ring: allocates it in memory, or creates or opens its file.
     *
     * @param customizers applied in order, after the properties
     * @return the ring, named {@link #name()}
     * @throws RingFileException naming the property and the file when the file cannot be created or opened
     */
    RingBuffer create(List<RingBufferBuilderCustomizer> customizers) {
        final RingBufferBuilder builder = RingBuffer.builder().name(name).overwrite(overwrite);
        if (stallTimeout != null) {
            builder.stallTimeout(stallTimeout);
        }
        if (capacity > 0) {
            builder.capacity(capacity);
        }
        if (maxRecordSize >= 0) {
            builder.maxRecordSize(maxRecordSize);
        }
        if (file != null) {
            builder.file(file);
        }
        customizers.forEach(customizer -> customizer.customize(name, builder));
        if (file == null) {
            return builder.build();
        }
        try {
            switch (fileMode) {
                case CREATE:
                    return builder.create();
                case OPEN:
                    return builder.open();
                default:
                    return createOrOpen(builder);
            }
        } catch (IOException e) {
            throw new RingFileException(name, file, fileMode, e);
        }
    }

    private RingBuffer createOrOpen(RingBufferBuilder builder) throws IOException {
        try {
            return builder.create(); // a new file, or one whose stream has ended (replaced)
        } catch (FileAlreadyExistsException live) { // a live ring file (or another file, which open() rejects)
            return builder.open();
        }
    }

    @Override
    public String toString() {
        return "ring '" + name + "' (" + (capacity < 0 ? "capacity from its file" : capacity + " bytes")
                + (file == null ? ", in memory)" : ", file " + file + ", " + fileMode + ")");
    }
}
