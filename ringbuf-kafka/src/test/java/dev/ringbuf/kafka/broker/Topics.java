package dev.ringbuf.kafka.broker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Test helpers around a {@link TestBroker}'s topics: create with configs, read a partition from the start. */
public final class Topics {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private Topics() {
    }

    /**
     * Creates a topic with replication factor 1 and the given topic configs.
     *
     * @param broker the broker
     * @param name the topic
     * @param partitions its partition count
     * @param configs topic configs (for example {@code cleanup.policy=compact})
     * @throws Exception if Kafka refuses it
     */
    public static void create(TestBroker broker, String name, int partitions, Map<String, String> configs)
            throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Every record of one partition, from the start up to its end offset now.
     *
     * @param broker the broker
     * @param topic the topic
     * @param partition the partition
     * @return the records, in offset order
     * @throws InterruptedException if interrupted
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(TestBroker broker, String topic, int partition)
            throws InterruptedException {
        final TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            final long end = consumer.endOffsets(List.of(tp)).get(tp);
            final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Await.until(WAIT, () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return consumer.position(tp) >= end;
            }, () -> "read " + records.size() + " of " + end);
            return records;
        }
    }

    /**
     * The little-endian long at the start of each record's value (the tests' sequence numbers).
     *
     * @param records records whose values start with a long
     * @return the sequences, in order
     */
    public static List<Long> sequences(List<ConsumerRecord<byte[], byte[]>> records) {
        final List<Long> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.add(ByteBuffer.wrap(record.value()).order(ByteOrder.LITTLE_ENDIAN).getLong());
        }
        return values;
    }
}
