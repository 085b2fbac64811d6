package dev.ringbuf.spring.boot.autoconfigure;

import dev.ringbuf.core.InvalidRingFileException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link RingFileException} (a ring file that could not be created or opened at startup) into Spring Boot's
 * "APPLICATION FAILED TO START" report, with an action for the cause: a file that is already there, a missing
 * one, a permission, a file that is not a ring file. Registered in {@code META-INF/spring.factories}.
 */
public class RingFileFailureAnalyzer extends AbstractFailureAnalyzer<RingFileException> {

    /** The analyzer (Spring Boot instantiates it). */
    public RingFileFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RingFileException failure) {
        final String property = RingBufferProperties.RINGS + "." + failure.ring();
        final IOException cause = failure.getCause();
        final String description = "The ring '" + failure.ring() + "' could not " + verb(failure.mode())
                + " its ring file " + failure.file() + " (" + property + ".file, file-mode " + failure.mode()
                + "): " + cause;
        return new FailureAnalysis(description, action(property, failure.mode(), cause), failure);
    }

    private static String verb(RingFileMode mode) {
        switch (mode) {
            case CREATE:
                return "create";
            case OPEN:
                return "open";
            default:
                return "create or open";
        }
    }

    private static String action(String property, RingFileMode mode, IOException cause) {
        if (cause instanceof FileAlreadyExistsException) {
            return "A live ring file (another process's ring), or a file that is not a ring file, is there. To write "
                    + "into the other process's ring, set " + property + ".file-mode=open (or create-or-open); "
                    + "otherwise choose another path in " + property + ".file, or remove that file.";
        }
        if (cause instanceof NoSuchFileException) {
            return mode == RingFileMode.OPEN
                    ? "file-mode=open needs the file: start the process that creates the ring first, or set "
                            + property + ".file-mode=create-or-open to create it when it is missing."
                    : "Check that the directory of " + property + ".file exists and is spelled right.";
        }
        if (cause instanceof AccessDeniedException) {
            return "Give this process read and write access to the file and its directory (a ring file is mapped "
                    + "read-write by every process that uses it), or choose another path in " + property + ".file.";
        }
        if (cause instanceof InvalidRingFileException) {
            return "The file is not a ring file of this version (" + ((InvalidRingFileException) cause).reason()
                    + "). Choose another path in " + property + ".file, or remove the file if it is a stale one"
                    + (mode == RingFileMode.OPEN ? " and let its owner create it again." : ".");
        }
        return "Check " + property + ".file: the path, the free space of its file system (/dev/shm is sized by "
                + "the system) and the limit on memory-mapped files.";
    }
}
