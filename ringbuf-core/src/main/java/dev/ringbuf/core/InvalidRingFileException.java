package dev.ringbuf.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A ring file that cannot be opened safely: too small, not a ring file, another layout version, or a header or
 * positions that no ring could have written. Nothing was mapped past the file, and the file was not changed.
 *
 * <pre>{@code
 * try {
 *     RingBuffer ring = RingBuffer.builder().file(path).open();
 * } catch (InvalidRingFileException e) {
 *     log.error("cannot attach to {}: {}", e.path(), e.reason());
 * }
 * }</pre>
 */
public final class InvalidRingFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The refused file (not serialized: {@link Path} is not serializable). */
    private final transient Path path;
    /** What is wrong with it. */
    private final String reason;

    /**
     * A refusal to open {@code path}.
     *
     * @param path the file
     * @param reason what is wrong, naming the value and the rule
     */
    public InvalidRingFileException(Path path, String reason) {
        super("ring file " + path + " cannot be opened: " + reason);
        this.path = path;
        this.reason = reason;
    }

    /**
     * The file that was refused.
     *
     * @return its path
     */
    public Path path() {
        return path;
    }

    /**
     * What is wrong with it.
     *
     * @return the reason, naming the value and the rule
     */
    public String reason() {
        return reason;
    }
}
