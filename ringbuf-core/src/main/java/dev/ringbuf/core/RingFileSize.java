package dev.ringbuf.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Checks, before the consumer's and the doorbell's atomic read-modify-writes on a ring file, that the file still
 * holds the whole mapped region. A read-modify-write on a page that truncation removed raises SIGBUS inside the JVM,
 * which Java cannot turn into an exception (plain reads and writes become an {@link InternalError}; atomics in the
 * VM crash it), so these slow paths look first and throw an {@link IllegalStateException} naming the truncation.
 * Producers' per-record atomics are not checked (a file-size look-up per record would cost more than the record):
 * what remains is in {@code docs/shared-memory.md}. The file is looked up by path, so a file that was deleted (its
 * mapping stays valid) is not mistaken for a truncated one.
 */
final class RingFileSize {

    /** For a ring in process memory: no file, nothing to check. */
    static final RingFileSize NONE = new RingFileSize(null, 0);

    private final Path path;
    private final long length;

    RingFileSize(Path path, long length) {
        this.path = path;
        this.length = length;
    }

    /**
     * Throws if the ring file was truncated below the mapped region.
     *
     * @throws IllegalStateException naming the file, its size and the region's length
     */
    void check() {
        if (path == null) {
            return; // in process memory
        }
        final long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException deleted) {
            return; // unlinked: the mapping keeps the inode alive, nothing was cut
        } catch (IOException | SecurityException unknown) {
            return; // cannot tell; the access itself decides
        }
        if (size < length) {
            throw new IllegalStateException("ring file " + path + " was truncated to " + size + " bytes while mapped "
                    + "(its region is " + length + " bytes): the ring cannot be used any more by this process; a ring "
                    + "file in use must never be truncated (end its stream and delete it instead, "
                    + "docs/shared-memory.md)");
        }
    }
}
