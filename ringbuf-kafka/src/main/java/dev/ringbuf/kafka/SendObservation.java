package dev.ringbuf.kafka;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * One Micrometer {@link Observation} per send ({@code ringbuf.kafka.send}, tagged {@code ring} and {@code topic}),
 * with the Kafka record's headers as its carrier: a tracing bridge registered on the {@link ObservationRegistry}
 * (Micrometer Tracing's propagating sender handler, as Spring Boot configures it) writes the W3C {@code
 * traceparent} header (and baggage) into the record when the observation starts. Without such a handler nothing is
 * written: micrometer-observation alone carries no trace context, and ringbuf adds no tracing dependency.
 */
final class SendObservation {

    static final String NAME = "ringbuf.kafka.send";

    private SendObservation() {
    }

    /** Starts the observation of one send; its handlers may add headers to {@code headers}. */
    static Observation start(ObservationRegistry registry, Headers headers, String ring, String topic) {
        final SenderContext<Headers> context = new SenderContext<>((carrier, key, value) -> {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }, Kind.PRODUCER);
        context.setCarrier(headers);
        context.setRemoteServiceName("kafka");
        return Observation.createNotStarted(NAME, () -> context, registry).contextualName(topic + " send")
                .lowCardinalityKeyValue("ring", ring).lowCardinalityKeyValue("topic", topic).start();
    }
}
