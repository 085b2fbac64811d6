package dev.ringbuf.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * ringbuf's settings under {@code ringbuf.*}: the rings to create, the health threshold and the shutdown bound.
 *
 * <pre>
 * ringbuf.rings.events.capacity=1MB
 * ringbuf.rings.events.max-record-size=16KB
 * ringbuf.rings.audit.file=/dev/shm/audit.ring
 * ringbuf.rings.audit.capacity=4MB
 * ringbuf.health.blocked-threshold=5s
 * ringbuf.health.window=1m
 * ringbuf.shutdown.drain-timeout=2s
 * </pre>
 *
 * Each entry of {@link #getRings() rings} becomes one {@code RingBuffer} bean whose bean name, qualifier and
 * {@code ring} metric tag are the entry's key. Values are checked at startup: a bad one fails the application with
 * a message that names the property and the rule.
 */
@ConfigurationProperties(RingBufferProperties.PREFIX)
public class RingBufferProperties {

    /** Creates the properties with their defaults (Spring Boot binds them). */
    public RingBufferProperties() {
    }

    /** The prefix of every property. */
    public static final String PREFIX = "ringbuf";

    /** {@code ringbuf.enabled}: {@code false} turns the whole auto-configuration off (default {@code true}). */
    public static final String ENABLED = PREFIX + ".enabled";

    /** The prefix of the ring definitions: {@code ringbuf.rings.<name>.*}. */
    public static final String RINGS = PREFIX + ".rings";

    /** The rings, by name: the name is the bean name, the qualifier and the ring tag of the ring's meters. */
    private final Map<String, Ring> rings = new LinkedHashMap<>();

    private final Health health = new Health();

    private final Shutdown shutdown = new Shutdown();

    /**
     * The rings to create, by name.
     *
     * @return the live map
     */
    public Map<String, Ring> getRings() {
        return rings;
    }

    /**
     * The health indicator's settings.
     *
     * @return the health settings
     */
    public Health getHealth() {
        return health;
    }

    /**
     * The ordered shutdown's settings.
     *
     * @return the shutdown settings
     */
    public Shutdown getShutdown() {
        return shutdown;
    }

    /** One ring: {@code ringbuf.rings.<name>.*}. */
    public static class Ring {

        /** Creates a ring definition with the defaults. */
        public Ring() {
        }

        /**
         * Bytes of the ring's data area: a power of two from 64B to 1GB. Required, except for a file opened with
         * file-mode=open (then, if set, it must match the file's).
         */
        private @Nullable DataSize capacity;

        /** The largest payload of one record, at most capacity - 16 bytes. Default: capacity / 4. */
        private @Nullable DataSize maxRecordSize;

        /**
         * A ring file shared with other processes (memory-mapped; /dev/shm keeps it in memory on Linux). Without it
         * the ring is in this process's memory.
         */
        private @Nullable Path file;

        /**
         * How the ring file is obtained: create (replacing a ring file whose stream has ended), open (an existing
         * one), or create-or-open (open a live ring file, else create).
         */
        private RingFileMode fileMode = RingFileMode.CREATE_OR_OPEN;

        /**
         * How long the consumer waits at a record that stays busy (its producer died between reserve and commit,
         * or never committed) before abandoning it; at least 100ms. A ring file always abandons (10s unless set);
         * an in-process ring abandons only when this is set.
         */
        private @Nullable Duration stallTimeout;

        /**
         * Overwrite mode (the kernel's BPF_F_RB_OVERWRITE): a full ring overwrites its oldest records instead of
         * failing new ones. For a flight recorder of the latest events.
         */
        private boolean overwrite;

        /**
         * The capacity.
         *
         * @return the capacity, or null when not set
         */
        public @Nullable DataSize getCapacity() {
            return capacity;
        }

        /**
         * Sets the capacity.
         *
         * @param capacity a power of two from 64B to 1GB
         */
        public void setCapacity(@Nullable DataSize capacity) {
            this.capacity = capacity;
        }

        /**
         * The largest payload of one record.
         *
         * @return the size, or null for the default (capacity / 4)
         */
        public @Nullable DataSize getMaxRecordSize() {
            return maxRecordSize;
        }

        /**
         * Sets the largest payload of one record.
         *
         * @param maxRecordSize 0 to capacity - 16 bytes
         */
        public void setMaxRecordSize(@Nullable DataSize maxRecordSize) {
            this.maxRecordSize = maxRecordSize;
        }

        /**
         * The ring file.
         *
         * @return the file, or null for a ring in process memory
         */
        public @Nullable Path getFile() {
            return file;
        }

        /**
         * Sets the ring file.
         *
         * @param file the file's path
         */
        public void setFile(@Nullable Path file) {
            this.file = file;
        }

        /**
         * How the ring file is obtained.
         *
         * @return the mode
         */
        public RingFileMode getFileMode() {
            return fileMode;
        }

        /**
         * Sets how the ring file is obtained.
         *
         * @param fileMode the mode
         */
        public void setFileMode(RingFileMode fileMode) {
            this.fileMode = fileMode;
        }

        /**
         * The stall timeout, or null when not set (a ring file then uses 10s, an in-process ring never abandons).
         *
         * @return the timeout, or null
         */
        public @Nullable Duration getStallTimeout() {
            return stallTimeout;
        }

        /**
         * Sets the stall timeout.
         *
         * @param stallTimeout at least 100ms
         */
        public void setStallTimeout(@Nullable Duration stallTimeout) {
            this.stallTimeout = stallTimeout;
        }

        /**
         * Whether the ring overwrites its oldest records when full.
         *
         * @return overwrite mode
         */
        public boolean isOverwrite() {
            return overwrite;
        }

        /**
         * Sets overwrite mode.
         *
         * @param overwrite whether the ring overwrites its oldest records when full
         */
        public void setOverwrite(boolean overwrite) {
            this.overwrite = overwrite;
        }
    }

    /** The health indicator: {@code ringbuf.health.*}. */
    public static class Health {

        /** Creates the health settings with their defaults. */
        public Health() {
        }

        /**
         * How long the consumer may stay stopped at a busy record (a reservation neither committed nor discarded)
         * before the ring reports DOWN.
         */
        private Duration blockedThreshold = Duration.ofSeconds(5);

        /**
         * The span of a ring's drop rate in its health details, and of the check that reports OUT_OF_SERVICE when
         * records were dropped and none consumed (nothing reads the ring).
         */
        private Duration window = Duration.ofMinutes(1);

        /**
         * The blocked threshold.
         *
         * @return the threshold
         */
        public Duration getBlockedThreshold() {
            return blockedThreshold;
        }

        /**
         * Sets the blocked threshold.
         *
         * @param blockedThreshold positive
         */
        public void setBlockedThreshold(Duration blockedThreshold) {
            this.blockedThreshold = blockedThreshold;
        }

        /**
         * The window of the drop rate and of the not-consumed check.
         *
         * @return the window
         */
        public Duration getWindow() {
            return window;
        }

        /**
         * Sets the window.
         *
         * @param window positive
         */
        public void setWindow(Duration window) {
            this.window = window;
        }
    }

    /** The ordered shutdown: {@code ringbuf.shutdown.*}. */
    public static class Shutdown {

        /** Creates the shutdown settings with their defaults. */
        public Shutdown() {
        }

        /**
         * At shutdown, after the rings are closed: how long to wait for a ring's consumer to make progress before
         * giving up on the records still in it. The wait ends as soon as every ring is drained; 0 does not wait.
         */
        private Duration drainTimeout = Duration.ofSeconds(2);

        /**
         * The drain timeout.
         *
         * @return the timeout
         */
        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        /**
         * Sets the drain timeout.
         *
         * @param drainTimeout zero or positive
         */
        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }
    }
}
