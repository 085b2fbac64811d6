package dev.ringbuf.spring.boot.autoconfigure;

/** How a ring file ({@code ringbuf.rings.<name>.file}) is obtained at startup. */
public enum RingFileMode {

    /**
     * Create a new ring file, replacing one whose stream has ended; fail if a live ring file (or any other file) is
     * there.
     */
    CREATE,

    /** Open an existing ring file (another process created it); fail if it does not exist. */
    OPEN,

    /**
     * Open a live ring file; else create one, replacing one whose stream has ended (the default). Suits the ring's
     * owner, the process that ends the stream when it closes the ring; a process that only writes into another's
     * ring should use {@link #OPEN}.
     */
    CREATE_OR_OPEN
}
