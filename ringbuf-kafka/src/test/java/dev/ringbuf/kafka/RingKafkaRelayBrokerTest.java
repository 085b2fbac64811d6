package dev.ringbuf.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.kafka.broker.Await;
import dev.ringbuf.kafka.broker.TestBroker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay against a real in-process KRaft broker (one per class), including a broker outage mid-stream. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingKafkaRelayBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, Object> producerProperties() {
        return Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", 1);
    }

    private static byte[] sequence(long n) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    /** Every value of one partition, from the start up to its end offset. */
    private static List<Long> readPartition(String topic, int partition) throws InterruptedException {
        final TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            final long end = consumer.endOffsets(List.of(tp)).get(tp);
            final List<Long> values = new ArrayList<>();
            Await.until(WAIT, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(ByteBuffer.wrap(record.value()).order(ByteOrder.LITTLE_ENDIAN).getLong());
                }
                return consumer.position(tp) >= end;
            }, () -> "read " + values.size() + " of " + end);
            return values;
        }
    }

    private static long endOffset(String topic, int partition) {
        final TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }

    @Test
    void relaysEveryRecordOfTheRingToItsPartitionInRingOrder() throws Exception {
        broker.createTopic("ordered", 3);
        final RingBuffer ring = RingBuffer.builder().name("ordered-ring").capacity(1 << 16).build();
        for (int i = 0; i < 2000; i++) {
            assertThat(ring.output(sequence(i))).isTrue();
        }
        ring.close();
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, producerProperties()).topic("ordered")
                .maxInFlight(128).start();
        relay.completion().block(WAIT); // the closed ring is drained and every record acknowledged
        assertThat(relay.sentRecords()).isEqualTo(2000);
        assertThat(ring.availableData()).isZero();

        final int partition = RelaySubscriber.partitionOf("ordered-ring", 3);
        final List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 2000; i++) {
            expected.add(i);
        }
        assertThat(readPartition("ordered", partition)).isEqualTo(expected);
        for (int other = 0; other < 3; other++) {
            if (other != partition) {
                assertThat(endOffset("ordered", other)).as("partition %d", other).isZero();
            }
        }
    }

    @Test
    void aBrokerOutageFillsTheRingCountsEveryDropAndLosesNothingAcknowledged() throws Exception {
        broker.createTopic("outage", 1);
        final RingBuffer ring = RingBuffer.builder().name("outage-ring").capacity(1 << 13).build();
        final int maxInFlight = 64;
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, producerProperties()).topic("outage")
                .maxInFlight(maxInFlight).start();

        // One producer thread: each attempt carries the next attempt number; written keeps the accepted ones.
        final List<Long> written = new ArrayList<>();
        final AtomicLong attempts = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread producer = new Thread(() -> {
            while (running.get()) {
                final long n = attempts.getAndIncrement();
                if (ring.output(sequence(n))) {
                    synchronized (written) {
                        written.add(n);
                    }
                }
                LockSupport.parkNanos(100_000); // pacing: about 10 000 attempts a second at most
            }
        }, "outage-producer");
        producer.start();
        try {
            Await.until(WAIT, () -> relay.sentRecords() >= 500, () -> "acknowledged " + relay.sentRecords());

            broker.stop(); // Kafka is down
            final long acknowledgedBefore = relay.sentRecords();
            Await.until(WAIT, () -> ring.droppedRecords(DropReason.FULL) > 0,
                    () -> "drops " + ring.droppedRecords(DropReason.FULL) + ", in flight " + relay.inFlight());
            // the relay holds exactly its in-flight bound, and the ring (not a heap buffer) takes the rest
            assertThat(relay.inFlight()).isEqualTo(maxInFlight);
            assertThat(ring.availableData()).isGreaterThan(ring.capacity() / 2L);

            broker.restart(); // Kafka is back: the relay resumes by itself
            Await.until(WAIT, () -> relay.sentRecords() > acknowledgedBefore + 1000,
                    () -> "acknowledged " + relay.sentRecords() + " (" + acknowledgedBefore + " before the outage)");
        } finally {
            running.set(false);
            producer.join(10_000);
        }
        ring.close();
        relay.completion().block(WAIT);

        final List<Long> accepted;
        synchronized (written) {
            accepted = List.copyOf(written);
        }
        final long drops = ring.droppedRecords(DropReason.FULL);
        assertThat(drops).isPositive();
        assertThat(accepted.size() + drops).as("every attempt was accepted or counted as a drop")
                .isEqualTo(attempts.get());
        assertThat(relay.sentRecords()).isEqualTo(accepted.size());

        final List<Long> inKafka = readPartition("outage", 0);
        // at-least-once: nothing accepted is missing; order per ring: the first copies come in ring order
        assertThat(List.copyOf(new LinkedHashSet<>(inKafka))).isEqualTo(accepted);
        assertThat(inKafka).isSorted();
    }
}
