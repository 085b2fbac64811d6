package dev.ringbuf.spring.boot.autoconfigure;

/** How a ring file ({@code ringbuf.rings.<name>.file}) is obtained at startup. */
public enum RingFileMode {

    /** Create a new ring file; fail if it exists (a stale file must be deleted first). */
    CREATE,

    /** Open an existing ring file (another process created it); fail if it does not exist. */
    OPEN,

    /** Open the ring file if it exists, else create it (the default). */
    CREATE_OR_OPEN
}
