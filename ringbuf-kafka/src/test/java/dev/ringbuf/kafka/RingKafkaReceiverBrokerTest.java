package dev.ringbuf.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.kafka.broker.Await;
import dev.ringbuf.kafka.broker.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
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
}
