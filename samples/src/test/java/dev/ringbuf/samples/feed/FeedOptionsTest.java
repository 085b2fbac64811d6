package dev.ringbuf.samples.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringbuf.samples.cli.CommandLine;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeedOptionsTest {

    @Test
    void defaultsAreSane() throws Exception {
        final FeedOptions options = FeedOptions.parse();

        assertThat(options).isEqualTo(FeedOptions.defaults("127.0.0.1", 8080));
        assertThat(options.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.duration()).isZero();
    }

    @Test
    void parsesEveryOptionInBothForms() throws Exception {
        final FeedOptions options = FeedOptions.parse("--port=9000", "--host", "0.0.0.0", "--capacity", "64k",
                "--producers", "2", "--rate", "100_000", "--batch=8", "--client-buffer", "32", "--heartbeat", "500ms",
                "--stats-interval", "2s", "--report-interval", "0", "--duration", "1m");

        assertThat(options).isEqualTo(new FeedOptions("0.0.0.0", 9000, 65536, 2, 100_000, 8, 32,
                Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(1)));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertThatThrownBy(() -> FeedOptions.parse("--rate", "5", "--help"))
                .isInstanceOf(CommandLine.HelpRequested.class)
                .hasMessageContainingAll("--port N", "(default: 8080)", "--capacity BYTES", "--producers N", "--rate",
                        "--client-buffer", "--heartbeat", "(default: 15s)", "--duration", "--help");
    }

    @Test
    void badValuesNameTheOptionTheValueAndTheRule() {
        assertThatThrownBy(() -> FeedOptions.parse("--port", "70000"))
                .hasMessage("--port must be between 0 and 65535, was 70000");
        assertThatThrownBy(() -> FeedOptions.parse("--capacity", "lots"))
                .hasMessage("--capacity must be a byte count such as 65536, 64k or 1m, was 'lots'");
        assertThatThrownBy(() -> FeedOptions.parse("--heartbeat", "soon"))
                .hasMessage("--heartbeat must be a duration such as 500ms, 15s or 2m (or 0), was 'soon'");
        assertThatThrownBy(() -> FeedOptions.parse("--heartbeat", "0"))
                .hasMessage("heartbeat must be a positive duration, was PT0S");
        assertThatThrownBy(() -> FeedOptions.parse("--nope", "1")).hasMessageStartingWith("unknown option '--nope'");
        assertThatThrownBy(() -> FeedOptions.parse("--port")).hasMessage("option '--port' needs a value (N)");
        assertThatThrownBy(() -> FeedOptions.parse("8080"))
                .hasMessage("unexpected argument '8080': options start with --");
    }
}
