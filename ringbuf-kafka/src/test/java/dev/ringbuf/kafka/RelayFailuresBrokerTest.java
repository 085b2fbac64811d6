package dev.ringbuf.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.kafka.broker.TestBroker;
import dev.ringbuf.kafka.broker.Topics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the relay does when the topic or a record is wrong, against a real in-process broker (one for the class):
 * missing topic, missing partition, records too large for the producer or the topic, and a record the broker
 * rejects (a null key on a compacted topic) under each poison policy. docs/scale-out.md's failure table names them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayFailuresBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");
    private static final long POISON = 50;
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

    private static Map<String, Object> props() {
        return Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", 1);
    }

    private static byte[] sequence(long n) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    private static RingBuffer ringOf(String name, long records) {
        final RingBuffer ring = RingBuffer.builder().name(name).capacity(1 << 14).build();
        for (long i = 0; i < records; i++) {
            assertThat(ring.output(sequence(i))).isTrue();
        }
        return ring;
    }

    /** Keys are the sequence, except record {@link #POISON}'s: null, which a compacted topic rejects. */
    private static RingKafkaRelayBuilder<byte[], Record> poisonRelay(RingBuffer ring, String topic) {
        return RingKafkaRelay.builder(ring, props(), new ByteArraySerializer(), new RecordSerializer()).topic(topic)
                .partition(0).maxInFlight(16)
                .key(record -> record.getLong(0) == POISON ? null : sequence(record.getLong(0)))
                .value(record -> record);
    }

    private static List<Long> allBut(long skipped, long count) {
        return LongStream.range(0, count).filter(n -> n != skipped).boxed().collect(Collectors.toList());
    }

    @Test
    void aMissingTopicFailsAtStartWithoutTakingARecord() {
        final RingBuffer ring = ringOf("missing-topic-ring", 10);
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, props()).topic("no-such-topic").start();
        assertThatThrownBy(() -> relay.completion().block(WAIT)).isInstanceOf(RelayException.class)
                .hasMessageContaining("topic 'no-such-topic' on Kafka at " + broker.bootstrapServers())
                .hasMessageContaining("does not exist");
        assertThat(relay.state()).isEqualTo(RelayState.FAILED);
        assertThat(ring.consumerPosition()).isZero();
        assertThat(ring.availableData()).isEqualTo(10 * 16);
    }

    @Test
    void aMissingPartitionFailsAtStart() throws Exception {
        broker.createTopic("two-partitions", 2);
        final RingBuffer ring = ringOf("missing-partition-ring", 3);
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, props()).topic("two-partitions").partition(2)
                .start();
        assertThatThrownBy(() -> relay.completion().block(WAIT)).isInstanceOf(RelayException.class)
                .hasMessageContaining("partition 2 does not exist").hasMessageContaining("has 2 partitions (0..1)");
        assertThat(ring.consumerPosition()).isZero();
    }

    @Test
    void aRingWhoseRecordsCanExceedTheProducersOrTheTopicsLimitIsRefusedAtStart() throws Exception {
        final RingBuffer large = RingBuffer.builder().name("large-records").capacity(1 << 24).build(); // 4 MiB
        assertThatThrownBy(() -> RingKafkaRelay.builder(large, props()).topic("any").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ring 'large-records' accepts records of up to 4194304 bytes")
                .hasMessageContaining("max.request.size=1048576").hasMessageContaining("maxRecordSize(1047552)");

        Topics.create(broker, "small-messages", 1, Map.of("max.message.bytes", "8192"));
        final RingBuffer ring = RingBuffer.builder().name("medium-records").capacity(1 << 16).build(); // 16 KiB
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, props()).topic("small-messages").start();
        assertThatThrownBy(() -> relay.completion().block(WAIT)).isInstanceOf(RelayException.class)
                .hasMessageContaining("accepts records of up to 16384 bytes")
                .hasMessageContaining("max.message.bytes=8192").hasMessageContaining("at most 7168");
    }

    @Test
    void stopPolicyStopsAtARecordTheBrokerRejectsAndCountsWhatOvertookIt() throws Exception {
        Topics.create(broker, "compacted-stop", 1, COMPACTED);
        final RingBuffer ring = ringOf("stop-ring", 100);
        ring.close();
        final RingKafkaRelay relay = poisonRelay(ring, "compacted-stop").start(); // default policy: stop
        final RelayException failure = (RelayException) org.assertj.core.api.Assertions
                .catchThrowable(() -> relay.completion().block(WAIT));
        assertThat(failure).hasMessageContaining("ring position " + POISON * 16).hasMessageContaining("stop-ring")
                .hasMessageContaining("poison policy stop").hasCauseInstanceOf(InvalidRecordException.class);
        assertThat(relay.state()).isEqualTo(RelayState.FAILED);
        final List<Long> inKafka = Topics.sequences(Topics.read(broker, "compacted-stop", 0));
        final RelayCompletion report = failure.completion();
        assertThat(report.acknowledged()).isEqualTo(inKafka.size());
        assertThat(report.overtaking()).as("records in the topic ahead of the rejected one")
                .isEqualTo(inKafka.stream().filter(n -> n > POISON).count());
        assertThat(inKafka).doesNotContain(POISON);
        // the rejected record stays in the ring, with the records of its batch that failed with it (not in Kafka)
        final long held = ring.consumerPosition() / 16;
        assertThat(held).isLessThanOrEqualTo(POISON);
        assertThat(inKafka).containsAll(LongStream.range(0, held).boxed().collect(Collectors.toList()));
        assertThat(inKafka).doesNotContain(held);

        // a new relay meets it first; with skip it goes past it, and nothing else is missing
        final RingKafkaRelay next = poisonRelay(ring, "compacted-stop").poisonPolicy(PoisonPolicy.skip()).start();
        assertThat(next.completion().block(WAIT).drained()).isTrue();
        assertThat(next.skippedRecords()).isOne();
        assertThat(Topics.sequences(Topics.read(broker, "compacted-stop", 0))).containsAll(allBut(POISON, 100));
    }

    @Test
    void skipPolicyReleasesARejectedRecordCountsItAndKeepsTheOrderOfTheRest() throws Exception {
        Topics.create(broker, "compacted-skip", 1, COMPACTED);
        final RingBuffer ring = ringOf("skip-ring", 100);
        ring.close();
        final RingKafkaRelay relay = poisonRelay(ring, "compacted-skip").poisonPolicy(PoisonPolicy.skip()).start();
        final RelayCompletion report = relay.completion().block(WAIT);
        assertThat(report.drained()).isTrue();
        assertThat(report.skipped()).isOne();
        assertThat(report.acknowledged()).isEqualTo(99);
        final List<Long> inKafka = Topics.sequences(Topics.read(broker, "compacted-skip", 0));
        // the other records of the rejected batch were sent again; any out of ring order are counted
        assertThat(inKafka).containsExactlyInAnyOrderElementsOf(allBut(POISON, 100));
        assertThat(report.reordered()).isEqualTo(outOfOrder(inKafka));
        assertThat(ring.availableData()).isZero();
    }

    @Test
    void deadLetterPolicySendsARejectedRecordWithItsCauseInHeaders() throws Exception {
        Topics.create(broker, "compacted-dlt", 1, COMPACTED);
        broker.createTopic("compacted-dlt.dlt", 1);
        final RingBuffer ring = ringOf("dlt-ring", 100);
        ring.close();
        final RingKafkaRelay relay = poisonRelay(ring, "compacted-dlt")
                .poisonPolicy(PoisonPolicy.deadLetter("compacted-dlt.dlt")).start();
        final RelayCompletion report = relay.completion().block(WAIT);
        assertThat(report.deadLettered()).isOne();
        assertThat(report.acknowledged()).isEqualTo(99);
        final List<Long> inKafka = Topics.sequences(Topics.read(broker, "compacted-dlt", 0));
        assertThat(inKafka).containsExactlyInAnyOrderElementsOf(allBut(POISON, 100));
        assertThat(report.reordered()).isEqualTo(outOfOrder(inKafka));
        final List<ConsumerRecord<byte[], byte[]>> letters = Topics.read(broker, "compacted-dlt.dlt", 0);
        assertThat(Topics.sequences(letters)).containsExactly(POISON);
        final ConsumerRecord<byte[], byte[]> letter = letters.get(0);
        assertThat(header(letter, PoisonPolicy.HEADER_RING)).isEqualTo("dlt-ring");
        assertThat(header(letter, PoisonPolicy.HEADER_POSITION)).isEqualTo(Long.toString(POISON * 16));
        assertThat(header(letter, PoisonPolicy.HEADER_TOPIC)).isEqualTo("compacted-dlt");
        assertThat(header(letter, PoisonPolicy.HEADER_EXCEPTION)).isEqualTo(InvalidRecordException.class.getName());
        assertThat(header(letter, PoisonPolicy.HEADER_MESSAGE)).containsIgnoringCase("key");
    }

    @Test
    void aRecordOverMaxRequestSizeAtSendTimeIsPoisonSkippedAndCountedInOrder() throws Exception {
        broker.createTopic("oversize-at-send", 1);
        final RingBuffer ring = ringOf("oversize-ring", 10);
        ring.close();
        // the value function makes record 5 larger than max.request.size (1 MiB): the producer refuses it in send()
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, props(), new ByteArraySerializer(),
                        new ByteArraySerializer()).topic("oversize-at-send")
                .value(record -> record.getLong(0) == 5 ? new byte[1_100_000] : record.toByteArray())
                .poisonPolicy(PoisonPolicy.skip()).start();
        final RelayCompletion report = relay.completion().block(WAIT);
        assertThat(report.skipped()).isOne();
        assertThat(report.acknowledged()).isEqualTo(9);
        assertThat(Topics.sequences(Topics.read(broker, "oversize-at-send", 0))).isEqualTo(allBut(5, 10));
        assertThat(relay.sendErrors()).isOne();
    }

    @Test
    void aMissingDeadLetterTopicFailsAtStart() throws Exception {
        broker.createTopic("has-no-dlt", 1);
        final RingBuffer ring = ringOf("no-dlt-ring", 1);
        final RingKafkaRelay relay = RingKafkaRelay.builder(ring, props()).topic("has-no-dlt")
                .poisonPolicy(PoisonPolicy.deadLetter("has-no-dlt.dlt")).start();
        assertThatThrownBy(() -> relay.completion().block(WAIT)).isInstanceOf(RelayException.class)
                .hasMessageContaining("dead-letter topic 'has-no-dlt.dlt' does not exist");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    /** Records that come after a higher sequence: the count the relay reports as reordered. */
    static long outOfOrder(List<Long> sequences) {
        long highest = -1;
        long count = 0;
        for (long n : sequences) {
            if (n < highest) {
                count++;
            }
            highest = Math.max(highest, n);
        }
        return count;
    }
}
