package dev.ringbuf.spring.boot.autoconfigure.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.core.RingBuffer;
import dev.ringbuf.kafka.RelayCompletion;
import dev.ringbuf.kafka.RelayState;
import dev.ringbuf.kafka.RingKafkaRelay;
import dev.ringbuf.kafka.broker.Await;
import dev.ringbuf.kafka.broker.TestBroker;
import dev.ringbuf.kafka.broker.Topics;
import dev.ringbuf.spring.boot.autoconfigure.RingBufferAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Relays declared as {@code ringbuf.kafka.relays.<name>.*}, against an in-process broker (one for the class). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingKafkaRelayAutoConfigurationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestBroker broker;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingBufferAutoConfiguration.class, KafkaAutoConfiguration.class,
                    RingKafkaRelayAutoConfiguration.class));

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

    private static byte[] sequence(long n) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    private static List<Long> upTo(long count) {
        final List<Long> values = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            values.add(i);
        }
        return values;
    }

    @Test
    void relaysARingFromPropertiesOnSpringKafkaAndShutsDownInOrderLosingNothing() throws Exception {
        broker.createTopic("spring-events", 1);
        final AtomicReference<RingKafkaRelay> relay = new AtomicReference<>();
        runner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "spring.kafka.producer.properties.linger.ms=1",
                "ringbuf.rings.events.capacity=64KB",
                "ringbuf.kafka.relays.events.topic=spring-events",
                "ringbuf.kafka.relays.events.partition=0").run(context -> {
                    final RingBuffer ring = context.getBean("events", RingBuffer.class);
                    final RingKafkaRelays relays = context.getBean(RingKafkaRelays.class);
                    relay.set(relays.relays().get("events"));
                    for (int i = 0; i < 100; i++) {
                        assertThat(ring.output(sequence(i))).isTrue();
                    }
                    Await.until(WAIT, () -> relay.get().sentRecords() == 100, () -> "sent " + relay.get());
                    final Health health = context.getBean(RingKafkaRelayHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsKey("events");
                    assertThat(relays.getPhase()).isEqualTo(RingKafkaRelays.PHASE);
                    for (int i = 100; i < 200; i++) {
                        assertThat(ring.output(sequence(i))).isTrue(); // still in the ring when the context closes
                    }
                });
        // shutdown: the ring was closed, the relay sent what it held, Kafka acknowledged it, then the relay stopped
        assertThat(relay.get().state()).isEqualTo(RelayState.COMPLETED);
        final RelayCompletion done = relay.get().completion().block(WAIT);
        assertThat(done.drained()).isTrue();
        assertThat(done.acknowledged()).isEqualTo(200);
        assertThat(Topics.sequences(Topics.read(broker, "spring-events", 0))).isEqualTo(upTo(200));
    }

    @Test
    void usesBootsKafkaConnectionDetailsOverTheProperties() throws Exception {
        broker.createTopic("details-events", 1);
        runner.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:9",
                "ringbuf.rings.feed.capacity=4KB",
                "ringbuf.kafka.relays.to-kafka.ring=feed",
                "ringbuf.kafka.relays.to-kafka.topic=details-events")
                .withBean(KafkaConnectionDetails.class, () -> () -> List.of(broker.bootstrapServers()))
                .run(context -> {
                    final RingKafkaRelay relay = context.getBean(RingKafkaRelays.class).relays().get("to-kafka");
                    context.getBean("feed", RingBuffer.class).output(sequence(7));
                    Await.until(WAIT, () -> relay.sentRecords() == 1, () -> "sent " + relay);
                });
        assertThat(Topics.sequences(Topics.read(broker, "details-events", 0))).containsExactly(7L);
    }

    @Test
    void aTopicMissingInKafkaMakesTheRelayHealthDownWithTheCause() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "ringbuf.rings.orphan.capacity=4KB", "ringbuf.kafka.relays.orphan.topic=not-created")
                .run(context -> {
                    final RingKafkaRelay relay = context.getBean(RingKafkaRelays.class).relays().get("orphan");
                    Await.until(WAIT, () -> relay.state() == RelayState.FAILED, () -> "state " + relay.state());
                    final Health health = context.getBean(RingKafkaRelayHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails().get("orphan")).asString().contains("FAILED")
                            .contains("topic 'not-created'").contains("does not exist");
                });
    }

    @Test
    void refusesARelayWithoutTopicOrRingAndSpringKafkaProducerSettingsThatBreakItsGuarantees() {
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.kafka.relays.events.partition=1")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("ringbuf.kafka.relays.events.topic"));
        runner.withPropertyValues("ringbuf.kafka.relays.ghost.topic=t")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("ringbuf.kafka.relays.ghost.ring")
                        .hasMessageContaining("no RingBuffer bean named 'ghost'"));
        runner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "spring.kafka.producer.acks=1", "ringbuf.rings.events.capacity=4KB",
                "ringbuf.kafka.relays.events.topic=t")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("acks=1"));
        runner.withPropertyValues("ringbuf.rings.events.capacity=4KB", "ringbuf.kafka.relays.events.topic=t",
                "ringbuf.kafka.relays.events.poison-policy=dead-letter")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("ringbuf.kafka.relays.events.dead-letter-topic"));
    }

    @Test
    void declaresItsPropertiesInTheMetadataAndItsAutoConfigurationInTheImports() throws Exception {
        final String metadata = resource("META-INF/spring-configuration-metadata.json");
        assertThat(metadata).contains("\"name\": \"ringbuf.kafka.relays\"", "RingKafkaRelayProperties$Relay>");
        assertThat(resource("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))
                .contains(RingKafkaRelayAutoConfiguration.class.getName());
    }

    private static String resource(String name) throws java.io.IOException {
        try (java.io.InputStream in = RingKafkaRelayAutoConfigurationTest.class.getClassLoader()
                .getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** An observation registry whose handler writes a traceparent, as Micrometer Tracing's sender handler does. */
    private static ObservationRegistry tracing() {
        final ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<SenderContext<Headers>>() {
            @Override
            public void onStart(SenderContext<Headers> context) {
                context.getSetter().set(context.getCarrier(), "traceparent",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof SenderContext;
            }
        });
        return registry;
    }

    @Test
    void observesSendsWithTheApplicationsObservationRegistryOnlyWhenEnabled() throws Exception {
        broker.createTopic("observed", 2);
        for (String enabled : List.of("false", "true")) {
            final int partition = Boolean.parseBoolean(enabled) ? 1 : 0;
            runner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                    "ringbuf.rings.traced.capacity=4KB", "ringbuf.kafka.relays.traced.topic=observed",
                    "ringbuf.kafka.relays.traced.partition=" + partition,
                    "ringbuf.kafka.relays.traced.observation-enabled=" + enabled)
                    .withBean(ObservationRegistry.class, RingKafkaRelayAutoConfigurationTest::tracing)
                    .run(context -> context.getBean("traced", RingBuffer.class).output(sequence(1)));
            final List<ConsumerRecord<byte[], byte[]>> records = Topics.read(broker, "observed", partition);
            assertThat(records).hasSize(1);
            assertThat(records.get(0).headers().lastHeader("traceparent") != null).as("observation-enabled=" + enabled)
                    .isEqualTo(Boolean.parseBoolean(enabled));
        }
    }
}
