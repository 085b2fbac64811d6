package dev.ringbuf.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.benchmarks.harness.Records;
import dev.ringbuf.benchmarks.harness.Validator;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    @Test
    void losslessAcceptsEachProducersSequencesInOrderAndPublishesProgress() {
        final Validator v = new Validator(true);
        v.accept(Records.firstSequence(0));
        v.accept(Records.firstSequence(1));
        v.accept(Records.firstSequence(0) + 1);
        v.publish();

        v.check();
        assertThat(v.nextExpected(0)).isEqualTo(Records.firstSequence(0) + 2);
        assertThat(v.nextExpected(1)).isEqualTo(Records.firstSequence(1) + 1);
        assertThat(v.deliveredFrom(0)).isEqualTo(2);
        assertThat(v.delivered()).isEqualTo(3);
    }

    @Test
    void losslessRejectsALostRecord() {
        final Validator v = new Validator(true);
        v.accept(Records.firstSequence(0));
        v.accept(Records.firstSequence(0) + 2);

        assertThatThrownBy(v::check).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("got producer 0 seq 2, expected seq 1");
    }

    @Test
    void losslessRejectsAReorderedRecord() {
        final Validator v = new Validator(true);
        v.accept(Records.firstSequence(1) + 1);

        assertThatThrownBy(v::check).hasMessageContaining("producer 1");
    }

    @Test
    void lossyAllowsGapsButNotReordering() {
        final Validator v = new Validator(false);
        v.acceptAndPublish(Records.firstSequence(0) + 5);
        v.check();
        assertThat(v.deliveredFrom(0)).isEqualTo(1);

        v.accept(Records.firstSequence(0) + 3);
        assertThatThrownBy(v::check).hasMessageContaining("out of order");
    }
}
