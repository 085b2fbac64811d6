package dev.ringbuf.kafka;

/**
 * Where a {@link RingKafkaRelay} stands ({@link RingKafkaRelay#state()}; the Spring starter's relay health maps it:
 * {@link #RUNNING} and {@link #COMPLETED} are up, {@link #STARTING} unknown, {@link #STALLED} out of service,
 * {@link #FAILED} down).
 */
public enum RelayState {
    /** Checking the topic (exists, partitions, record size limit) before the first record is taken. */
    STARTING,
    /** Relaying: records are sent and acknowledged. */
    RUNNING,
    /**
     * Records are waiting and Kafka acknowledged none for the stall timeout (or the start check cannot reach
     * Kafka): {@link RingKafkaRelay#stallCause()} says why; logged at the start and at every stall timeout.
     */
    STALLED,
    /** {@link RingKafkaRelay#dispose()} was called: waiting, bounded, for the records in flight. */
    STOPPING,
    /** Ended without error: {@link RingKafkaRelay#completion()} says what was acknowledged. */
    COMPLETED,
    /** Ended with an error: a failed start check, a poison record under {@link PoisonPolicy#stop()}, a fatal error. */
    FAILED;

    /**
     * Whether the relay has ended.
     *
     * @return true for {@link #COMPLETED} and {@link #FAILED}
     */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
