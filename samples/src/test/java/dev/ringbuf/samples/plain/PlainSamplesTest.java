package dev.ringbuf.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringbuf.samples.cli.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlainSamplesTest {

    @Test
    void plainSampleDeliversEveryRecordOfEveryProducer() throws InterruptedException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        final long received = PlainJavaSample.run(3, 5_000, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(received).isEqualTo(15_000);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("received 15,000 records from 3 producers");
    }

    @Test
    void throughputDemoPrintsRatesAndKeepsEachProducersOrder() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final CommandLine cli = CommandLine.parse("demo", "", ThroughputDemo.OPTIONS,
                "--producers", "3", "--capacity", "64k", "--duration", "1500ms");

        final ThroughputDemo.Summary summary =
                ThroughputDemo.run(cli, new PrintStream(out, true, StandardCharsets.UTF_8), false);

        assertThat(summary.consumed()).isPositive().isEqualTo(summary.written());
        assertThat(summary.outOfOrder()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("3 producers at full speed", "records/s", "drops/s", "total: ");
    }

    @Test
    void throughputDemoWithARateTheConsumerKeepsUpWith() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final CommandLine cli = CommandLine.parse("demo", "", ThroughputDemo.OPTIONS,
                "--producers", "2", "--rate", "2000", "--batch", "4", "--duration", "1s");

        final ThroughputDemo.Summary summary =
                ThroughputDemo.run(cli, new PrintStream(out, true, StandardCharsets.UTF_8), false);

        assertThat(summary.dropped()).isZero();
        assertThat(summary.consumed()).isPositive().isEqualTo(summary.written());
        assertThat(summary.outOfOrder()).isZero();
    }
}
