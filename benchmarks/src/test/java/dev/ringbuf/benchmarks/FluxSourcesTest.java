package dev.ringbuf.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.benchmarks.flux.FluxSource;
import dev.ringbuf.benchmarks.flux.FluxSources;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every Flux source delivers (or, lossy, delivers or counts as dropped) every record, in order. */
class FluxSourcesTest {

    private static final int RECORDS = 50_000;

    @ParameterizedTest
    @ValueSource(strings = {"ringbuf-records", "ringbuf-decode", "ringbuf-records-claim", "agrona-flux", "sinks-unicast", "sinks-multicast",
        "create-buffer", "create-drop"})
    void everyRecordIsDeliveredOrCountedAsDropped(String impl) {
        try (FluxSource source = FluxSources.create(impl)) {
            final Validator validator = new Validator(!source.lossy());
            source.subscribe(new BatchSubscriber(validator, source));
            final Transport.Producer producer = source.producer(0);
            for (long s = 0; s < RECORDS; s++) {
                producer.send(s);
            }
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (validator.deliveredFrom(0) + source.dropped(0) != RECORDS && System.nanoTime() < deadline) {
                validator.check();
                Thread.onSpinWait();
            }
            validator.check();
            assertThat(validator.deliveredFrom(0) + source.dropped(0)).isEqualTo(RECORDS);
            if (!source.lossy()) {
                assertThat(validator.nextExpected(0)).isEqualTo(Records.firstSequence(0) + RECORDS);
            }
        }
    }
}
