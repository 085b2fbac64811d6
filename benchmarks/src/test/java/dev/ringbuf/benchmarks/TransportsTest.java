package dev.ringbuf.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.benchmarks.harness.ConsumerThread;
import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Transport;
import dev.ringbuf.benchmarks.harness.Validator;
import dev.ringbuf.benchmarks.transports.Transports;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every raw implementation moves records end to end, in order, through the same harness the benchmarks use. */
class TransportsTest {

    private static final int RECORDS = 100_000; // ~4 MB: several laps of every ring

    @ParameterizedTest
    @ValueSource(strings = {"ringbuf", "ringbuf-interface", "ringbuf-claim", "ringbuf-claim-none", "ceiling", "agrona-mpsc",
        "agrona-mpsc-write", "agrona-spsc", "disruptor", "jctools"})
    void oneProducerDeliversEveryRecordInOrder(String impl) throws InterruptedException {
        run(impl, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ringbuf", "ringbuf-interface", "ringbuf-claim-none", "agrona-mpsc", "agrona-mpsc-write", "disruptor",
        "jctools"})
    void twoProducersDeliverEveryRecordInPerProducerOrder(String impl) throws InterruptedException {
        run(impl, 2);
    }

    private static void run(String impl, int producers) throws InterruptedException {
        try (Transport transport = Transports.create(impl)) {
            final Validator validator = new Validator(true);
            final ConsumerThread consumer = new ConsumerThread(transport, validator);
            consumer.start();
            final List<Thread> threads = new ArrayList<>();
            for (int id = 0; id < producers; id++) {
                final Transport.Producer producer = transport.producer(id);
                final long first = Records.firstSequence(id);
                final Thread t = new Thread(() -> {
                    for (long s = first; s < first + RECORDS; s++) {
                        producer.send(s);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int id = 0; id < producers; id++) {
                Await.received(validator, id, Records.firstSequence(id) + RECORDS);
            }
            consumer.halt();
            validator.check();
            assertThat(validator.delivered()).isEqualTo((long) RECORDS * producers);
        }
    }
}
