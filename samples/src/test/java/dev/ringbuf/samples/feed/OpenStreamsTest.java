package dev.ringbuf.samples.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class OpenStreamsTest {

    private final OpenStreams streams = new OpenStreams();

    @Test
    void countsAResponseFromSubscriptionToItsEnd() throws InterruptedException {
        final Sinks.Empty<Void> written = Sinks.empty();
        final Mono<Void> tracked = streams.track(written.asMono());
        assertThat(streams.count()).as("nothing counted before subscription").isZero();

        tracked.subscribe();
        assertThat(streams.count()).isEqualTo(1);
        assertThat(streams.awaitNone(Duration.ofMillis(20))).isFalse();

        written.tryEmitEmpty();
        assertThat(streams.count()).isZero();
        assertThat(streams.awaitNone(Duration.ZERO)).isTrue();
    }

    @Test
    void errorsAndCancellationsEndTheCountToo() {
        streams.track(Mono.error(new IllegalStateException("reset"))).onErrorResume(e -> Mono.empty()).subscribe();
        streams.track(Mono.never()).subscribe().dispose();

        assertThat(streams.count()).isZero();
    }
}
