package dev.ringbuf.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A ring file of {@code ringbuf.rings.<name>.file} could not be created or opened at startup.
 * {@link RingFileFailureAnalyzer} explains the cause and what to do.
 */
public class RingFileException extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    /** The ring's name. */
    private final String ring;
    private final transient Path file;
    /** Whether the ring file was to be created or opened. */
    private final RingFileMode mode;

    /**
     * The failure.
     *
     * @param ring the ring's name (its key under {@code ringbuf.rings})
     * @param file the file
     * @param mode how it was to be obtained
     * @param cause why it failed
     */
    public RingFileException(String ring, Path file, RingFileMode mode, IOException cause) {
        super(RingBufferProperties.RINGS + "." + ring + ".file=" + file + " (file-mode " + mode + "): " + cause,
                cause);
        this.ring = ring;
        this.file = file;
        this.mode = mode;
    }

    /**
     * The ring's name.
     *
     * @return its key under {@code ringbuf.rings}
     */
    public String ring() {
        return ring;
    }

    /**
     * The file.
     *
     * @return the ring file's path
     */
    public Path file() {
        return file;
    }

    /**
     * How the file was to be obtained.
     *
     * @return the file mode
     */
    public RingFileMode mode() {
        return mode;
    }
}
