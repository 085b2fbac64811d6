package dev.ringbuf.samples.feed;

import dev.ringbuf.samples.cli.CommandLine;
import java.time.Duration;
import java.util.List;

/**
 * The feed server's settings, from the command line ({@link #parse(String...)}) or built in code.
 *
 * @param host the address to bind, for example {@code 127.0.0.1} (this machine only) or {@code 0.0.0.0}
 * @param port the TCP port, 0 for any free one
 * @param capacity the ring's capacity in bytes, a power of two
 * @param producers producer threads
 * @param rate total events per second over all producers, 0 for as fast as they can
 * @param batch events per batch for the batching producers ({@code Wakeup.NONE} ..., then {@code FORCE})
 * @param clientBuffer events each client may have buffered before its own events are dropped
 * @param heartbeat the interval of the SSE heartbeat comment that keeps idle connections open
 * @param statsInterval the interval of the dashboard's meter snapshots
 * @param reportInterval the interval of the console line, {@link Duration#ZERO} for none
 * @param duration how long to run before shutting down, {@link Duration#ZERO} for until SIGINT/SIGTERM
 */
public record FeedOptions(String host, int port, long capacity, int producers, long rate, int batch,
        int clientBuffer, Duration heartbeat, Duration statsInterval, Duration reportInterval, Duration duration) {

    /** The command-line options and their defaults. */
    static final List<CommandLine.Option> OPTIONS = List.of(
            new CommandLine.Option("host", "ADDRESS", "127.0.0.1", "address to bind; 0.0.0.0 for every interface"),
            new CommandLine.Option("port", "N", "8080", "HTTP port, 0 for any free one"),
            new CommandLine.Option("capacity", "BYTES", "1m", "ring capacity, a power of two (64 .. 1g; k/m/g suffixes)"),
            new CommandLine.Option("producers", "N", "4", "producer threads"),
            new CommandLine.Option("rate", "EVENTS/S", "20000", "total events per second over all producers, 0 = as fast as they can"),
            new CommandLine.Option("batch", "N", "16", "events per batch for the batching producers (Wakeup.NONE ... FORCE)"),
            new CommandLine.Option("client-buffer", "EVENTS", "4096", "events buffered per client before that client's events are dropped"),
            new CommandLine.Option("heartbeat", "TIME", "15s", "interval of the SSE heartbeat comment"),
            new CommandLine.Option("stats-interval", "TIME", "1s", "interval of the dashboard's meter snapshots"),
            new CommandLine.Option("report-interval", "TIME", "1s", "interval of the console line (events/s, drops/s), 0 = none"),
            new CommandLine.Option("duration", "TIME", "0", "run this long, then shut down; 0 = until Ctrl-C / SIGTERM"));

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming the setting, its value and the rule
     */
    public FeedOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank, was '" + host + "'");
        }
        check("port", port, 0, 65535);
        check("producers", producers, 1, 256);
        check("rate", rate, 0, 1_000_000_000L);
        check("batch", batch, 1, 1 << 20);
        check("client-buffer", clientBuffer, 1, 1 << 20);
        positive("heartbeat", heartbeat);
        positive("stats-interval", statsInterval);
        notNegative("report-interval", reportInterval);
        notNegative("duration", duration);
    }

    /**
     * The defaults, on the given host and port.
     *
     * @param host the address to bind
     * @param port the port, 0 for any free one
     * @return the options
     */
    public static FeedOptions defaults(String host, int port) {
        return new FeedOptions(host, port, 1 << 20, 4, 20_000, 16, 4096, Duration.ofSeconds(15), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ZERO);
    }

    /**
     * Parses the command line.
     *
     * @param args the arguments
     * @return the options
     * @throws CommandLine.HelpRequested for {@code --help}
     * @throws IllegalArgumentException for a bad option or value
     */
    public static FeedOptions parse(String... args) throws CommandLine.HelpRequested {
        final CommandLine cli = CommandLine.parse("java -jar samples/target/ringbuf-samples.jar",
                "A live event feed over HTTP: producers write events into one ring; GET /events streams them as"
                        + " Server-Sent Events,\nGET /metrics serves Prometheus text, GET / is a dashboard of the event"
                        + " and drop rates.", OPTIONS, args);
        return new FeedOptions(cli.value("host"), cli.intValue("port", 0, 65535),
                cli.bytesValue("capacity", 64, 1L << 30), cli.intValue("producers", 1, 256),
                cli.longValue("rate", 0, 1_000_000_000L), cli.intValue("batch", 1, 1 << 20),
                cli.intValue("client-buffer", 1, 1 << 20), cli.durationValue("heartbeat"),
                cli.durationValue("stats-interval"), cli.durationValue("report-interval"),
                cli.durationValue("duration"));
    }

    /**
     * A copy with another rate.
     *
     * @param eventsPerSecond the total rate
     * @return the copy
     */
    public FeedOptions withRate(long eventsPerSecond) {
        return new FeedOptions(host, port, capacity, producers, eventsPerSecond, batch, clientBuffer, heartbeat,
                statsInterval, reportInterval, duration);
    }

    /**
     * A copy with other timings.
     *
     * @param heartbeatInterval the heartbeat interval
     * @param statsEvery the snapshot interval
     * @param reportEvery the console interval, zero for none
     * @return the copy
     */
    public FeedOptions withIntervals(Duration heartbeatInterval, Duration statsEvery, Duration reportEvery) {
        return new FeedOptions(host, port, capacity, producers, rate, batch, clientBuffer, heartbeatInterval,
                statsEvery, reportEvery, duration);
    }

    /**
     * A copy with another per-client buffer.
     *
     * @param events events per client
     * @return the copy
     */
    public FeedOptions withClientBuffer(int events) {
        return new FeedOptions(host, port, capacity, producers, rate, batch, events, heartbeat, statsInterval,
                reportInterval, duration);
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }

    private static void notNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive, was " + value);
        }
    }
}
