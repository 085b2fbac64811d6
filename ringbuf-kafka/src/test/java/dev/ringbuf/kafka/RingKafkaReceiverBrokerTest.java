package dev.ringbuf.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.kafka.broker.Await;
import dev.ringbuf.kafka.broker.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The receiver against a real in-process KRaft broker (one per class). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingKafkaReceiverBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
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

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "v" + i));
            }
            producer.flush();
        }
    }

    private static Flux<ReceivedRecord<String, String>> receive(String topic, String group) {
        return RingKafkaReceiver.receive(Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", group,
                        "auto.offset.reset", "earliest"), List.of(topic), new StringDeserializer(),
                new StringDeserializer(), Duration.ofMillis(50), Duration.ofMillis(100));
    }

    private static long committed(String group, String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            final OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    @Test
    void emitsNoMoreThanRequestedAndResumesOnRequest() throws Exception {
        broker.createTopic("backpressure", 1);
        produce("backpressure", 300);
        StepVerifier.create(receive("backpressure", "bp").map(ReceivedRecord::value), 10)
                .expectNextCount(10)
                .expectNoEvent(Duration.ofMillis(500)) // the partitions are paused: nothing beyond the demand
                .thenRequest(290)
                .expectNextCount(289)
                .expectNext("v299")
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void commitsOnlyAcknowledgedOffsetsSoTheRestIsDeliveredAgain() throws Exception {
        broker.createTopic("acks", 1);
        produce("acks", 20);
        final List<Long> firstOffsets = new ArrayList<>();
        StepVerifier.create(receive("acks", "ack-group").take(10).doOnNext(record -> {
            firstOffsets.add(record.offset());
            if (record.offset() < 6) {
                record.acknowledge(); // processed: 0..5
            }
        })).expectNextCount(10).verifyComplete();
        assertThat(firstOffsets).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        Await.until(WAIT, () -> {
            try {
                return committed("ack-group", "acks") == 6;
            } catch (Exception e) {
                return false;
            }
        }, () -> "committed offset of ack-group");

        // a new member of the group starts after the last acknowledged record: 6..9 again, then 10..19
        final List<String> second = new ArrayList<>();
        StepVerifier.create(receive("acks", "ack-group").take(14).doOnNext(record -> {
            second.add(record.value());
            record.acknowledge();
        })).expectNextCount(14).verifyComplete();
        assertThat(second.get(0)).isEqualTo("v6");
        assertThat(second.get(13)).isEqualTo("v19");
        Await.until(WAIT, () -> {
            try {
                return committed("ack-group", "acks") == 20;
            } catch (Exception e) {
                return false;
            }
        }, () -> "committed offset of ack-group");
    }

    @Test
    void rejectsSettingsThatBreakAtLeastOnce() {
        final Map<String, Object> autoCommit = Map.of("bootstrap.servers", "127.0.0.1:9", "group.id", "g",
                "enable.auto.commit", "true");
        assertThatThrownBy(() -> RingKafkaReceiver.receive(autoCommit, List.of("t")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.auto.commit=true");
        assertThatThrownBy(() -> RingKafkaReceiver.receive(Map.of("bootstrap.servers", "127.0.0.1:9"),
                List.of("t"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group.id");
        assertThatThrownBy(() -> RingKafkaReceiver.receive(Map.of("bootstrap.servers", "127.0.0.1:9",
                "group.id", "g"), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one topic");
    }

    private static long committedOrMinusOne(String group, String topic) {
        try {
            return committed(group, topic);
        } catch (Exception e) {
            return -1;
        }
    }

    private static Map<String, Object> consumerProps(String group) {
        return Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", group,
                "auto.offset.reset", "earliest");
    }

    @Test
    void outOfOrderAcknowledgementsNeverCommitPastASlowRecordSoNothingIsLost() throws Exception {
        broker.createTopic("out-of-order", 1);
        produce("out-of-order", 200);
        final List<Long> commits = new CopyOnWriteArrayList<>();
        final Sinks.Empty<Void> slowDone = Sinks.empty(); // record 7's processing ends only when the test says so
        final AtomicLong acknowledged = new AtomicLong();
        final Disposable first = RingKafkaReceiver.builder(consumerProps("ooo"), List.of("out-of-order"),
                        new StringDeserializer(), new StringDeserializer())
                .commitInterval(Duration.ofMillis(100))
                .onCommit((offsets, error) -> offsets.values().forEach(o -> commits.add(o.offset())))
                .build().receive()
                .flatMap(record -> (record.offset() == 7 ? slowDone.asMono() : Mono.<Void>empty())
                        .then(Mono.fromRunnable(() -> {
                            record.acknowledge();
                            acknowledged.incrementAndGet();
                        })), 32)
                .subscribe();
        try {
            Await.until(WAIT, () -> acknowledged.get() == 199, () -> "acknowledged " + acknowledged.get());
            Await.until(WAIT, () -> commits.contains(7L), () -> "commits " + commits);
        } finally {
            first.dispose(); // a stop before the slow record finished: the last commit runs after every ack above
        }
        // the next member starts at the slow record: nothing lost (8..199 come again: at-least-once)
        final List<String> again = new ArrayList<>();
        StepVerifier.create(receive("out-of-order", "ooo").take(193).doOnNext(record -> {
            again.add(record.value());
            record.acknowledge();
        })).expectNextCount(193).verifyComplete();
        assertThat(again.get(0)).isEqualTo("v7"); // so the first member never committed past it
        assertThat(commits).allSatisfy(offset -> assertThat(offset).isLessThanOrEqualTo(7L));
        assertThat(again.get(192)).isEqualTo("v199");
        Await.until(WAIT, () -> committedOrMinusOne("ooo", "out-of-order") == 200, () -> "committed");
    }

    /** Strings, except the value "bad", which it rejects. */
    private static final class PickyDeserializer implements Deserializer<String> {
        private final StringDeserializer strings = new StringDeserializer();

        @Override
        public String deserialize(String topic, byte[] data) {
            final String value = strings.deserialize(topic, data);
            if ("bad".equals(value)) {
                throw new IllegalArgumentException("'bad' is not a valid value");
            }
            return value;
        }
    }

    private static void produceValues(String topic, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, 0, null, value));
            }
            producer.flush();
        }
    }

    @Test
    void aRecordTheDeserializerRejectsFailsTheFluxByDefaultNamingWhere() throws Exception {
        broker.createTopic("picky-fail", 1);
        produceValues("picky-fail", "v0", "v1", "bad", "v3");
        StepVerifier.create(RingKafkaReceiver.builder(consumerProps("picky-fail"), List.of("picky-fail"),
                        new StringDeserializer(), new PickyDeserializer()).build().receive()
                        .doOnNext(ReceivedRecord::acknowledge).map(ReceivedRecord::value))
                .expectNext("v0", "v1")
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ReceiverException.class)
                        .hasMessageContaining("record at offset 2 of picky-fail-0")
                        .hasMessageContaining("'bad' is not a valid value")
                        .hasCauseInstanceOf(RecordDeserializationException.class))
                .verify(WAIT);
        Await.until(WAIT, () -> committedOrMinusOne("picky-fail", "picky-fail") == 2, () -> "committed");
    }

    @Test
    void skipPolicyGoesPastARejectedRecordCountsItAndTellsTheListener() throws Exception {
        broker.createTopic("picky-skip", 1);
        produceValues("picky-skip", "v0", "v1", "bad", "v3");
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final List<Long> rejected = new CopyOnWriteArrayList<>();
        StepVerifier.create(RingKafkaReceiver.builder(consumerProps("picky-skip"), List.of("picky-skip"),
                        new StringDeserializer(), new PickyDeserializer())
                        .deserializationFailure(DeserializationFailurePolicy.SKIP)
                        .onDeserializationFailure(e -> rejected.add(e.offset()))
                        .commitInterval(Duration.ofMillis(100)).metrics(registry).build().receive()
                        .doOnNext(ReceivedRecord::acknowledge).map(ReceivedRecord::value).take(3))
                .expectNext("v0", "v1", "v3")
                .verifyComplete();
        assertThat(rejected).containsExactly(2L);
        assertThat(registry.get("ringbuf.kafka.receiver.deserialization.failures").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("ringbuf.kafka.receiver.records").functionCounter().count()).isEqualTo(3.0);
        Await.until(WAIT, () -> committedOrMinusOne("picky-skip", "picky-skip") == 4, () -> "committed");
    }

    @Test
    void givesTheConsumerToAssignmentListenersAndDoOnConsumerAndReportsCommitsAndLag() throws Exception {
        broker.createTopic("access", 1);
        produce("access", 50);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final List<Exception> commitErrors = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong commits = new AtomicLong();
        final RingKafkaReceiver<String, String> receiver = RingKafkaReceiver.builder(consumerProps("access"),
                        List.of("access"), new StringDeserializer(), new StringDeserializer())
                .onAssigned((consumer, partitions) -> partitions.forEach(p -> consumer.seek(p, 40)))
                .onCommit((offsets, error) -> {
                    commits.incrementAndGet();
                    if (error != null) {
                        commitErrors.add(error);
                    }
                })
                .commitInterval(Duration.ofMillis(100)).metrics(registry).build();
        final List<String> values = new CopyOnWriteArrayList<>();
        final Disposable subscription = receiver.receive().publishOn(Schedulers.boundedElastic())
                .doOnNext(record -> {
                    values.add(record.value());
                    record.acknowledge();
                }).subscribe();
        try {
            Await.until(WAIT, () -> values.size() == 10, () -> "received " + values);
            assertThat(values.get(0)).isEqualTo("v40"); // the listener's seek
            assertThat(receiver.doOnConsumer(consumer -> consumer.assignment()).block(WAIT))
                    .containsExactly(new TopicPartition("access", 0));
            Await.until(WAIT, () -> committedOrMinusOne("access", "access") == 50, () -> "committed");
            Await.until(WAIT, () -> registry.get("ringbuf.kafka.receiver.commits").tag("result", "success")
                    .functionCounter().count() >= 1, () -> "commit meter");
            assertThat(commits.get()).isPositive();
            assertThat(commitErrors).isEmpty();
            assertThat(registry.get("ringbuf.kafka.receiver.lag").gauge().value()).isBetween(0.0, 10.0);
        } finally {
            subscription.dispose();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> receiver.doOnConsumer(c -> c.assignment())
                .block(WAIT)).isInstanceOf(IllegalStateException.class).hasMessageContaining("subscription ended");
    }
}
