package dev.ringbuf.kafka;

import dev.ringbuf.core.Record;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.Loggers;

/**
 * The relay's start check, on the relay's thread before it takes the first record: the topic exists, a pinned
 * partition exists, the ring's largest record fits the topic's {@code max.message.bytes}, and the dead-letter topic
 * (if any) exists. A failed check ends the relay with a {@link RelayException} that says what to change; a Kafka that
 * does not answer makes the relay wait, stalled, logging what it waits for, and try again every retry back-off.
 */
final class RelayStartCheck implements Runnable {

    private final RelaySettings<?, ?> settings;
    private final TopicDescriber describer;
    private final String deadLetterTopic;
    private final int maxRecordSize;
    private final RelaySubscriber<?, ?> subscriber;
    private final RelayStatus status;
    private final Scheduler scheduler;
    private final Flux<Record> records;
    private volatile boolean cancelled;

    RelayStartCheck(RelaySettings<?, ?> settings, TopicDescriber describer, String deadLetterTopic, int maxRecordSize,
            RelaySubscriber<?, ?> subscriber, RelayStatus status, Scheduler scheduler, Flux<Record> records) {
        this.settings = settings;
        this.describer = describer;
        this.deadLetterTopic = deadLetterTopic;
        this.maxRecordSize = maxRecordSize;
        this.subscriber = subscriber;
        this.status = status;
        this.scheduler = scheduler;
        this.records = records;
    }

    /** The relay is disposed while it checks: stop checking. */
    void cancel() {
        cancelled = true;
        describer.close(); // also interrupts a describe in progress (closing twice is harmless)
    }

    @Override
    public void run() {
        if (cancelled) {
            describer.close();
            return;
        }
        final String failure;
        final int partitions;
        final boolean unreadLimit;
        try {
            final TopicDescriber.TopicInfo topic = describer.describe(settings.topic(), settings.stallTimeout());
            partitions = topic.partitions();
            unreadLimit = topic.maxMessageBytes() < 0;
            failure = problem(topic);
            if (failure == null && deadLetterTopic != null
                    && describer.describe(deadLetterTopic, settings.stallTimeout()).partitions() == 0) {
                throw new MissingDeadLetterTopic();
            }
        } catch (TimeoutException e) {
            status.waitingForKafka("describe " + settings.target() + " (" + e.getMessage() + ")");
            if (!cancelled) {
                try {
                    scheduler.schedule(this, settings.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    describer.close(); // the relay is closing
                }
            }
            return;
        } catch (MissingDeadLetterTopic e) {
            end(new RelayException("dead-letter topic '" + deadLetterTopic + "' does not exist: create it (the relay "
                    + "creates no topic)", null));
            return;
        } catch (Exception e) {
            end(new RelayException("cannot check " + settings.target() + " before relaying ring '" + settings.ring()
                    + "': " + e, e));
            return;
        }
        if (failure != null) {
            end(new RelayException(failure, null));
            return;
        }
        describer.close();
        if (cancelled) {
            return;
        }
        if (unreadLimit) {
            Loggers.getLogger(RingKafkaRelay.class).warn("relay of ring '{}': could not read max.message.bytes of {} "
                    + "(no DescribeConfigs permission?): records larger than the topic accepts will be rejected by "
                    + "Kafka and go to the poison policy ({})", settings.ring(), settings.target(), settings.poison());
        }
        subscriber.partitions(partitions);
        status.running();
        records.subscribe(subscriber);
    }

    private void end(RelayException failure) {
        describer.close();
        subscriber.fail(failure);
    }

    /** What is wrong with the topic for this ring, or null. */
    private String problem(TopicDescriber.TopicInfo topic) {
        if (topic.partitions() == 0) {
            return settings.target() + " does not exist: create it (the relay creates no topic; at least as many "
                    + "partitions as rings)";
        }
        final Integer pinned = settings.partition();
        if (pinned != null && pinned >= topic.partitions()) {
            return "partition " + pinned + " does not exist: " + settings.target() + " has " + topic.partitions()
                    + " partitions (0.." + (topic.partitions() - 1) + ")";
        }
        if (topic.maxMessageBytes() >= 0 && maxRecordSize + (long) DeadLetters.OVERHEAD > topic.maxMessageBytes()) {
            return "ring '" + settings.ring() + "' accepts records of up to " + maxRecordSize + " bytes, but "
                    + settings.target() + " accepts messages of up to max.message.bytes=" + topic.maxMessageBytes()
                    + " (less " + DeadLetters.OVERHEAD + " bytes for the batch, key and headers): lower the ring's "
                    + "maxRecordSize to at most " + (topic.maxMessageBytes() - DeadLetters.OVERHEAD)
                    + ", or raise the topic's max.message.bytes";
        }
        return null;
    }

    /** The dead-letter topic is missing. */
    private static final class MissingDeadLetterTopic extends Exception {
        private static final long serialVersionUID = 1L;
    }
}
