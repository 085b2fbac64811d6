package dev.ringbuf.kafka;

/**
 * What a relay delivered, as {@link RingKafkaRelay#completion()} reports it (and {@link
 * RelayException#completion()} when it failed).
 *
 * <p>{@link #unacknowledged()} records were taken from the ring and not acknowledged when the relay ended (a
 * {@code dispose()} whose close timeout passed, or a stop): they were <em>not</em> released, so they stay in the
 * ring and a new relay on the same ring sends them again (an in-process ring redelivers unreleased records to its
 * next subscriber; a ring file keeps them for the next process). Kafka may have some of them already: duplicates,
 * never a loss.
 *
 * @param acknowledged records Kafka acknowledged on the relay's topic (released)
 * @param unacknowledged records taken from the ring and not acknowledged at the end (left in the ring)
 * @param skipped poison records released without being sent ({@link PoisonPolicy#skip()})
 * @param deadLettered poison records the dead-letter topic acknowledged ({@link PoisonPolicy#deadLetter})
 * @param reordered records Kafka acknowledged after a later record of the ring: sent again after a failure (for
 *     example the other records of a batch the broker rejected for one poison record) while records behind them went
 *     through; they are in the topic, out of ring order
 * @param overtaking records sent after a rejected record that Kafka acknowledged anyway: with {@link
 *     PoisonPolicy#stop()}, the records in the topic ahead of the record the relay stopped at
 * @param drained true when the ring was closed and every record of it acknowledged, skipped or dead-lettered
 */
public record RelayCompletion(long acknowledged, long unacknowledged, long skipped, long deadLettered,
        long reordered, long overtaking, boolean drained) {

    @Override
    public String toString() {
        return "acknowledged " + acknowledged + ", unacknowledged " + unacknowledged + " (left in the ring), skipped "
                + skipped + ", dead-lettered " + deadLettered + (reordered > 0 ? ", out of ring order " + reordered : "")
                + (overtaking > 0 ? ", acknowledged after a rejected "
                + "record " + overtaking : "") + (drained ? ", ring drained" : "");
    }
}
