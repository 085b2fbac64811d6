package dev.ringbuf.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.DropReason;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.kafka.broker.Await;
import dev.ringbuf.kafka.broker.TestBroker;
import dev.ringbuf.kafka.broker.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.util.TestLogger;

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
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final TestLogger log = LogCapture.start();
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, producerProperties()).topic("outage")
                .maxInFlight(maxInFlight).stallTimeout(Duration.ofSeconds(1)).metrics(registry).start();

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
            // the stall is loud: a state with its cause, a meter, a log line naming the cause
            Await.until(WAIT, () -> relay.state() == RelayState.STALLED, () -> "state " + relay.state());
            assertThat(relay.stallCause()).contains(maxInFlight + " records waiting").contains("none acknowledged");
            assertThat(registry.get("ringbuf.kafka.stalled").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("ringbuf.kafka.stalls").functionCounter().count()).isEqualTo(1.0);
            assertThat(log.getErrContent()).contains("relay of ring 'outage-ring' to topic 'outage' on Kafka at "
                    + broker.bootstrapServers() + " stalled: " + maxInFlight + " records waiting");

            broker.restart(); // Kafka is back: the relay resumes by itself
            Await.until(WAIT, () -> relay.sentRecords() > acknowledgedBefore + 1000,
                    () -> "acknowledged " + relay.sentRecords() + " (" + acknowledgedBefore + " before the outage)");
            assertThat(relay.state()).isEqualTo(RelayState.RUNNING);
            assertThat(registry.get("ringbuf.kafka.stalled").gauge().value()).isZero();
            assertThat(log.getOutContent()).contains("relay of ring 'outage-ring'").contains("resumed after a stall");
        } finally {
            LogCapture.stop();
            running.set(false);
            producer.join(10_000);
            if (!broker.isRunning()) {
                broker.restart(); // a failed assertion above must not leave the class's broker down
            }
        }
        ring.close();
        final RelayCompletion report = relay.completion().block(WAIT);
        assertThat(report.drained()).isTrue();
        assertThat(report.unacknowledged()).isZero();
        assertThat(relay.state()).isEqualTo(RelayState.COMPLETED);

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

    @Test
    void addsHeadersTimestampsAndTraceContextFromTheObservationRegistry() throws Exception {
        broker.createTopic("shaped", 1);
        final RingBuffer ring = RingBuffer.builder().name("shaped-ring").capacity(1 << 12).build();
        for (int i = 0; i < 20; i++) {
            ring.output(sequence(i));
        }
        ring.close();
        // what Micrometer Tracing's propagating sender handler does: write traceparent into the carrier at start
        final ObservationRegistry observations = ObservationRegistry.create();
        final AtomicInteger stopped = new AtomicInteger();
        observations.observationConfig().observationHandler(new ObservationHandler<SenderContext<Headers>>() {
            @Override
            public void onStart(SenderContext<Headers> context) {
                context.getSetter().set(context.getCarrier(), "traceparent",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            }

            @Override
            public void onStop(SenderContext<Headers> context) {
                stopped.incrementAndGet();
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof SenderContext;
            }
        });
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, producerProperties()).topic("shaped")
                .headers((record, headers) -> headers.add("origin", "host-1".getBytes(StandardCharsets.UTF_8)))
                .timestamp(record -> 1_700_000_000_000L + record.getLong(0))
                .observations(observations).start();
        assertThat(relay.completion().block(WAIT).acknowledged()).isEqualTo(20);
        final List<ConsumerRecord<byte[], byte[]>> records = Topics.read(broker, "shaped", 0);
        assertThat(records).hasSize(20).allSatisfy(record -> {
            final long seq = ByteBuffer.wrap(record.value()).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(record.timestamp()).isEqualTo(1_700_000_000_000L + seq);
            assertThat(new String(record.headers().lastHeader("origin").value(), StandardCharsets.UTF_8))
                    .isEqualTo("host-1");
            assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                    .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        });
        assertThat(stopped.get()).as("one observation per send, stopped at the acknowledgement").isEqualTo(20);
    }

    @Test
    void partitionsByKeyKeepingOrderPerKey() throws Exception {
        broker.createTopic("by-key", 3);
        final RingBuffer ring = RingBuffer.builder().name("by-key-ring").capacity(1 << 14).build();
        for (int i = 0; i < 300; i++) {
            ring.output(sequence(i));
        }
        ring.close();
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, producerProperties()).topic("by-key")
                .partitionByKey(record -> ("key-" + record.getLong(0) % 5).getBytes(StandardCharsets.UTF_8)).start();
        assertThat(relay.completion().block(WAIT).acknowledged()).isEqualTo(300);
        final java.util.Map<String, Integer> partitionOfKey = new java.util.HashMap<>();
        final List<Long> all = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
            final java.util.Map<String, List<Long>> perKey = new java.util.HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : Topics.read(broker, "by-key", partition)) {
                final String key = new String(record.key(), StandardCharsets.UTF_8);
                final long seq = ByteBuffer.wrap(record.value()).order(ByteOrder.LITTLE_ENDIAN).getLong();
                assertThat(partitionOfKey.putIfAbsent(key, partition)).as("one partition per key")
                        .isIn(null, partition);
                perKey.computeIfAbsent(key, k -> new ArrayList<>()).add(seq);
                all.add(seq);
            }
            perKey.values().forEach(sequences -> assertThat(sequences).isSorted()); // order per key
        }
        assertThat(all).hasSize(300).doesNotHaveDuplicates();
        assertThat(partitionOfKey).hasSize(5);
    }

    @Test
    void aStopDuringAnOutageWaitsBoundedAndLeavesTheUnacknowledgedRecordsInTheRingForTheNextRelay()
            throws Exception {
        broker.createTopic("stopped", 1);
        final RingBuffer ring = RingBuffer.builder().name("stopped-ring").capacity(1 << 12).build();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // Kafka down: a send waits for metadata up to max.block.ms on the relay's thread, then is parked for a retry
        final Map<String, Object> props = new java.util.HashMap<>(producerProperties());
        props.put("max.block.ms", 1000);
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, props).topic("stopped")
                .closeTimeout(Duration.ofSeconds(1)).metrics(registry).start();
        for (int i = 0; i < 10; i++) {
            ring.output(sequence(i));
        }
        Await.until(WAIT, () -> relay.sentRecords() == 10, () -> "acknowledged " + relay.sentRecords());
        broker.stop();
        final RelayCompletion report;
        try {
            for (int i = 10; i < 60; i++) {
                ring.output(sequence(i));
            }
            Await.until(WAIT, () -> relay.inFlight() == 50, () -> "in flight " + relay.inFlight());
            final long stopping = System.nanoTime();
            relay.dispose();
            report = relay.completion().block(WAIT);
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("bounded by closeTimeout")
                    .isLessThan(Duration.ofSeconds(30));
        } finally {
            broker.restart();
        }
        assertThat(report.acknowledged()).isEqualTo(10);
        assertThat(report.unacknowledged()).isEqualTo(50);
        assertThat(report.drained()).isFalse();
        assertThat(relay.inFlight()).isZero();
        assertThat(registry.get("ringbuf.kafka.in.flight").gauge().value()).as("0 once ended").isZero();
        assertThat(ring.consumerPosition()).as("nothing unacknowledged was released").isEqualTo(10 * 16);

        ring.close();
        final RingKafkaRelay next = RingKafkaRelay.builder(ring, producerProperties()).topic("stopped").start();
        assertThat(next.completion().block(WAIT).drained()).isTrue();
        final List<Long> inKafka = readPartition("stopped", 0);
        final List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 60; i++) {
            expected.add(i);
        }
        assertThat(List.copyOf(new LinkedHashSet<>(inKafka))).isEqualTo(expected);
    }
}
