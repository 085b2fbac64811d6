package dev.ringbuf.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.core.Record;
import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.kafka.broker.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay against Kafka's {@code MockProducer}: acknowledgements, failures and order under the test's control. */
class RingKafkaRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Map<String, Object> PROPS = Map.of("bootstrap.servers", "127.0.0.1:9");

    private final RingBuffer ring = RingBuffer.builder().name("feed-a").capacity(1 << 12).build();
    private ScriptedProducer producer;
    private RingKafkaRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.dispose();
            relay.completion().onErrorComplete().block(WAIT);
        }
    }

    private RingKafkaRelayBuilder<byte[], Record> relay(int partitions) {
        final Node node = new Node(1, "127.0.0.1", 9);
        final List<PartitionInfo> infos = java.util.stream.IntStream.range(0, partitions)
                .mapToObj(p -> new PartitionInfo("events", p, node, new Node[] {node}, new Node[] {node}))
                .collect(Collectors.toList());
        final Cluster cluster = new Cluster("c", List.of(node), infos, java.util.Set.of(), java.util.Set.of());
        producer = new ScriptedProducer(cluster);
        return RingKafkaRelay.builder(ring, PROPS).topic("events").producerFactory(config -> producer)
                .topicDescriber(config -> fixedTopic(partitions));
    }

    /** A topic of {@code partitions} partitions and no size limit, as the start check sees it. */
    static TopicDescriber fixedTopic(int partitions) {
        return new TopicDescriber() {
            @Override
            public TopicInfo describe(String topic, Duration timeout) {
                return new TopicInfo(partitions, -1);
            }

            @Override
            public void close() {
            }
        };
    }

    private static byte[] seq(long n) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    private int sent() {
        return producer.history().size();
    }

    @Test
    void releasesRingSpaceOnlyWhenKafkaAcknowledges() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(ring.output(seq(i))).isTrue();
        }
        relay = relay(1).maxInFlight(4).start();
        Await.until(WAIT, () -> sent() == 4, () -> "sent " + sent());
        assertThat(relay.inFlight()).isEqualTo(4);
        assertThat(ring.consumerPosition()).isZero(); // nothing acknowledged, nothing freed
        assertThat(sent()).isEqualTo(4);              // demand = free in-flight slots

        assertThat(producer.completeNext()).isTrue();
        Await.until(WAIT, () -> ring.consumerPosition() == 16 && sent() == 5,
                () -> "consumer position " + ring.consumerPosition() + ", sent " + sent());

        Await.until(WAIT, () -> {
            producer.completeNext();
            return relay.sentRecords() == 10;
        }, () -> "acknowledged " + relay.sentRecords());
        Await.until(WAIT, () -> ring.consumerPosition() == ring.producerPosition(),
                () -> "consumer position " + ring.consumerPosition());
        assertThat(producer.attempts()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void sendsEveryRecordOfTheRingToItsOnePartitionKeyedByTheRingName() throws Exception {
        for (int i = 0; i < 20; i++) {
            ring.output(seq(i));
        }
        relay = relay(6).start();
        Await.until(WAIT, () -> sent() == 20, () -> "sent " + sent());
        final int expected = RelaySubscriber.partitionOf("feed-a", 6);
        assertThat(producer.history()).allSatisfy(record -> {
            assertThat(record.partition()).isEqualTo(expected);
            assertThat(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("feed-a");
        });
        // the same partition Kafka's default partitioner gives the key "feed-a"
        assertThat(expected).isEqualTo(org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2("feed-a".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                % 6);
    }

    @Test
    void retriesARetriableSendFailureInRingOrder() throws Exception {
        for (int i = 0; i < 6; i++) {
            ring.output(seq(i));
        }
        relay = relay(1).maxInFlight(8).retryBackoff(Duration.ofMillis(20)).start();
        Await.until(WAIT, () -> sent() == 6, () -> "sent " + sent());
        producer.completeNext(); // 0 acknowledged
        producer.errorNext(new org.apache.kafka.common.errors.NotLeaderOrFollowerException("moved"));
        // 1 failed retriably: sent again, and only 1 (2..5 are still in flight with the producer)
        Await.until(WAIT, () -> sent() == 7, () -> "sent " + sent());
        Await.until(WAIT, () -> {
            producer.completeNext();
            return relay.sentRecords() == 6 && ring.availableData() == 0;
        },
                () -> "acknowledged " + relay.sentRecords() + ", available " + ring.availableData());
        assertThat(relay.sendErrors()).isEqualTo(1);
        assertThat(producer.attempts()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 1L);
    }

    @Test
    void parksRecordsBehindASynchronousRetriableFailureAndSendsThemInOrder() throws Exception {
        final RingKafkaRelayBuilder<byte[], Record> builder = relay(1).maxInFlight(8)
                .retryBackoff(Duration.ofMillis(20));
        producer.failNextSends(2); // the next two sends fail inside send() (metadata timeout)
        for (int i = 0; i < 4; i++) {
            ring.output(seq(i));
        }
        final reactor.test.util.TestLogger log = LogCapture.start();
        try {
            relay = builder.start();
            Await.until(WAIT, () -> sent() == 4, () -> "sent " + sent());
            Await.until(WAIT, () -> {
                producer.completeNext();
                return relay.sentRecords() == 4;
            }, () -> "acknowledged " + relay.sentRecords());
        } finally {
            LogCapture.stop();
        }
        // two failures in a row: one log line naming the cause (then one per stall timeout while it repeats)
        assertThat(log.getErrContent().split("sending it again", -1)).hasSize(2);
        assertThat(log.getErrContent()).contains("record at ring position 0 of ring 'feed-a' failed")
                .contains("Topic not present in metadata (scripted)");
        // 0 failed, was parked with 1..3 behind it, failed again, then all four went in ring order
        assertThat(producer.attempts()).containsExactly(0L, 0L, 0L, 1L, 2L, 3L);
        assertThat(relay.sendErrors()).isEqualTo(2);
    }

    @Test
    void endsWithARelayExceptionOnANonRetriableError() throws Exception {
        ring.output(seq(0));
        relay = relay(1).start();
        Await.until(WAIT, () -> sent() == 1, () -> "sent " + sent());
        producer.errorNext(new RecordTooLargeException("too large"));
        assertThatThrownBy(() -> relay.completion().block(WAIT)).isInstanceOf(RelayException.class)
                .hasMessageContaining("ring position 0").hasMessageContaining("feed-a")
                .hasRootCauseInstanceOf(RecordTooLargeException.class);
        assertThat(relay.sendErrors()).isEqualTo(1);
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void completesOnceTheClosedRingIsDrainedAndEverythingAcknowledged() throws Exception {
        for (int i = 0; i < 3; i++) {
            ring.output(seq(i));
        }
        ring.close();
        relay = relay(1).start();
        Await.until(WAIT, () -> sent() == 3, () -> "sent " + sent());
        assertThat(relay.isDisposed()).isFalse();
        producer.completeNext();
        producer.completeNext();
        producer.completeNext();
        relay.completion().block(WAIT);
        assertThat(relay.sentRecords()).isEqualTo(3);
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void registersItsMetersTaggedWithTheRing() throws Exception {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ring.output(seq(0));
        ring.output(seq(1));
        relay = relay(1).metrics(registry).start();
        Await.until(WAIT, () -> sent() == 2, () -> "sent " + sent());
        assertThat(registry.get("ringbuf.kafka.in.flight").tag("ring", "feed-a").gauge().value()).isEqualTo(2.0);
        producer.completeNext();
        producer.errorNext(new org.apache.kafka.common.errors.NotLeaderOrFollowerException("moved"));
        Await.until(WAIT, () -> sent() == 3, () -> "sent " + sent());
        producer.completeNext();
        Await.until(WAIT, () -> relay.sentRecords() == 2, () -> "acknowledged " + relay.sentRecords());
        assertThat(registry.get("ringbuf.kafka.records.sent").tag("ring", "feed-a").functionCounter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("ringbuf.kafka.send.errors").tag("ring", "feed-a").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("ringbuf.kafka.send.latency").tag("ring", "feed-a").timer().count()).isEqualTo(2);
        assertThat(registry.get("ringbuf.kafka.in.flight").gauge().value()).isZero();
    }

    @Test
    void aSecondRelayOnTheSameRingEndsWithARelayExceptionAndLeavesTheFirstRunning() throws Exception {
        relay = relay(1).start();
        final ScriptedProducer first = producer;
        final RingKafkaRelay second = relay(1).start();
        assertThatThrownBy(() -> second.completion().block(WAIT)).isInstanceOf(RelayException.class)
                .hasMessageContaining("feed-a").hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(producer.closed()).isTrue();
        ring.output(seq(7));
        Await.until(WAIT, () -> first.history().size() == 1, () -> "sent by the first relay");
        assertThat(first.attempts()).containsExactly(7L);
    }

    @Test
    void rejectsSettingsThatBreakItsGuarantees() {
        assertThatThrownBy(() -> RingKafkaRelay.builder(ring, Map.of("bootstrap.servers", "x", "acks", "1"))
                .topic("t").start()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks=1");
        assertThatThrownBy(() -> RingKafkaRelay.builder(ring, Map.of("bootstrap.servers", "x",
                "enable.idempotence", "false")).topic("t").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.idempotence=false");
        assertThatThrownBy(() -> RingKafkaRelay.builder(ring, Map.of("bootstrap.servers", "x",
                "max.in.flight.requests.per.connection", 6)).topic("t").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max.in.flight.requests.per.connection=6").hasMessageContaining("1 to 5");
        assertThatThrownBy(() -> RingKafkaRelay.builder(ring, Map.of()).topic("t").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> RingKafkaRelay.builder(ring, PROPS).maxInFlight(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInFlight 0");
        assertThatThrownBy(() -> RingKafkaRelay.builder(ring, PROPS).topic(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic ' '");
        assertThatThrownBy(() -> RingKafkaRelay.builder(ring, PROPS).partition(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition -1");
        assertThatThrownBy(() -> RingKafkaRelay.builder(ring, PROPS).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("topic not set");
        assertThat(ring.consumerPosition()).isZero();
    }

    @Test
    void aValueFunctionThatThrowsMakesThatRecordPoisonAndSkipCountsItAndGoesOn() throws Exception {
        for (int i = 0; i < 3; i++) {
            ring.output(seq(i));
        }
        ring.close();
        relay = relay(1).value(record -> {
            if (record.getLong(0) == 1) {
                throw new IllegalArgumentException("cannot encode 1");
            }
            return record;
        }).poisonPolicy(PoisonPolicy.skip()).start();
        Await.until(WAIT, () -> {
            producer.completeNext();
            return relay.state().isTerminal();
        }, () -> "state " + relay.state() + ", sent " + sent());
        final RelayCompletion report = relay.completion().block(WAIT);
        assertThat(report.skipped()).isOne();
        assertThat(report.acknowledged()).isEqualTo(2);
        assertThat(report.drained()).isTrue();
        assertThat(producer.attempts()).containsExactly(0L, 2L);
    }

    @Test
    void aValueFunctionThatThrowsStopsTheRelayByDefaultAndTheRecordStaysInTheRing() throws Exception {
        ring.output(seq(0));
        ring.output(seq(1));
        relay = relay(1).value(record -> {
            if (record.getLong(0) == 1) {
                throw new IllegalArgumentException("cannot encode 1");
            }
            return record;
        }).start();
        Await.until(WAIT, () -> sent() == 1, () -> "sent " + sent());
        producer.completeNext();
        assertThatThrownBy(() -> relay.completion().block(WAIT)).isInstanceOf(RelayException.class)
                .hasMessageContaining("ring position 16").hasMessageContaining("cannot encode 1")
                .hasMessageContaining("poison policy stop");
        assertThat(relay.state()).isEqualTo(RelayState.FAILED);
        assertThat(ring.consumerPosition()).isEqualTo(16); // record 0 acknowledged and released, record 1 kept
    }

    @Test
    void waitsStalledWithALogLineWhileKafkaCannotDescribeTheTopicThenStarts() throws Exception {
        final reactor.test.util.TestLogger log = LogCapture.start();
        try {
            final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
            final java.util.concurrent.CountDownLatch kafkaBack = new java.util.concurrent.CountDownLatch(1);
            ring.output(seq(0));
            relay = relay(1).retryBackoff(Duration.ofMillis(10)).topicDescriber(config -> new TopicDescriber() {
                @Override
                public TopicInfo describe(String topic, Duration timeout) throws Exception {
                    attempts.incrementAndGet();
                    if (kafkaBack.getCount() > 0) {
                        throw new java.util.concurrent.TimeoutException("Timed out waiting for a node assignment");
                    }
                    return new TopicInfo(1, -1);
                }

                @Override
                public void close() {
                }
            }).start();
            Await.until(WAIT, () -> relay.state() == RelayState.STALLED && attempts.get() >= 2,
                    () -> "state " + relay.state() + ", attempts " + attempts);
            assertThat(relay.stallCause()).contains("waiting for Kafka to describe topic 'events'")
                    .contains("Timed out waiting for a node assignment");
            assertThat(sent()).isZero();
            assertThat(log.getErrContent()).contains("relay of ring 'feed-a'").contains("stalled: waiting for Kafka");
            kafkaBack.countDown();
            Await.until(WAIT, () -> sent() == 1, () -> "sent " + sent());
            assertThat(relay.state()).isEqualTo(RelayState.RUNNING);
            assertThat(log.getErrContent()).as("a size limit it could not read is said, not skipped silently")
                    .contains("could not read max.message.bytes of topic 'events'");
        } finally {
            LogCapture.stop();
        }
    }

    @Test
    void refusesAPinnedPartitionTogetherWithPartitioningByKey() {
        assertThatThrownBy(() -> RingKafkaRelay.builder(ring, PROPS).topic("t").partition(1)
                .partitionByKey(record -> new byte[0]).start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("partition(1) and partitionByKey(...) exclude each other");
    }
}
