package dev.ringbuf.samples.kernel;

import dev.ringbuf.bpf.Bpf;
import dev.ringbuf.bpf.FilteredUdpSocket;
import dev.ringbuf.bpf.KernelRingBuffer;
import dev.ringbuf.bpf.PacketEventProgram;
import dev.ringbuf.core.Wakeup;
import dev.ringbuf.samples.cli.CommandLine;
import dev.ringbuf.samples.event.EventCodec;
import dev.ringbuf.samples.feed.FeedOptions;
import dev.ringbuf.samples.feed.FeedServer;
import io.micrometer.core.instrument.FunctionCounter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kernel events on the feed server's dashboard: a BPF socket filter ({@link PacketEventProgram}) on a UDP socket on
 * 127.0.0.1 writes one record per packet it sees into a kernel ring buffer; a thread consumes that ring
 * ({@link KernelRingBuffer}) and writes each packet into the feed server's ring as an event of type {@code packet}
 * whose value is the packet's length ({@code skb->len}: UDP header and payload). Packets the kernel dropped because
 * its ring was full (the program counts them) appear among the dashboard's drops, as reason {@code kernel}.
 *
 * <pre>{@code
 * try (KernelPacketFeed feed = KernelPacketFeed.start(FeedOptions.defaults("127.0.0.1", 8080), System.out)) {
 *     // send datagrams to 127.0.0.1:feed.udpPort(); watch http://127.0.0.1:8080/
 * }
 * }</pre>
 *
 * Needs Linux x86-64, Java 22+ with {@code --enable-native-access=ALL-UNNAMED}, and CAP_BPF (root).
 */
public final class KernelPacketFeed implements AutoCloseable {

    /** The {@code producer} field of the events this sample writes (the feed server's producers count from 0). */
    public static final int KERNEL_PRODUCER = 1000;
    private static final Logger LOG = Logger.getLogger(KernelPacketFeed.class.getName());
    private static final byte[] PACKET = EventCodec.typeBytes("packet");

    private final FeedServer server;
    private final KernelRingBuffer kernel;
    private final int counters;
    private final int program;
    private final FilteredUdpSocket socket;
    private final Thread pump;
    private volatile boolean stopped;

    private KernelPacketFeed(FeedServer server, KernelRingBuffer kernel, int counters, int program,
            FilteredUdpSocket socket) {
        this.server = server;
        this.kernel = kernel;
        this.counters = counters;
        this.program = program;
        this.socket = socket;
        FunctionCounter.builder("ringbuf.records.dropped", this, KernelPacketFeed::kernelDrops)
                .tags("ring", server.ring().name(), "reason", "kernel")
                // No base unit, like the ring's own record counters: Prometheus names it ringbuf_records_dropped_total.
                .description("Records (in records) whose reservation failed: kernel = the kernel ring was full")
                .register(server.registry());
        this.pump = Thread.ofPlatform().daemon().name("kernel-packets").start(this::pump);
    }

    /**
     * Starts the feed server (its synthetic producers slowed to one thread at one event per second, so that the
     * packets stand out), the kernel ring, the program and the filtered socket.
     *
     * @param options the feed server's settings; producers and rate are overridden
     * @param console where the feed server's console lines go
     * @return the running sample
     * @throws dev.ringbuf.bpf.BpfException if BPF is refused here (see its message)
     */
    public static KernelPacketFeed start(FeedOptions options, PrintStream console) {
        final FeedOptions quiet = new FeedOptions(options.host(), options.port(), options.capacity(), 1, 1,
                options.batch(), options.clientBuffer(), options.heartbeat(), options.statsInterval(),
                options.reportInterval(), options.duration());
        final KernelRingBuffer kernel = KernelRingBuffer.create(1 << 20, "packets");
        int counters = -1;
        int program = -1;
        try {
            counters = PacketEventProgram.createCounters();
            program = PacketEventProgram.load(kernel.fd(), counters, PacketEventProgram.DEFAULT_WAKEUP);
            final FilteredUdpSocket socket = FilteredUdpSocket.open(program);
            try {
                return new KernelPacketFeed(FeedServer.start(quiet, console), kernel, counters, program, socket);
            } catch (RuntimeException | Error e) {
                socket.close();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            if (program >= 0) {
                Bpf.close(program);
            }
            if (counters >= 0) {
                Bpf.close(counters);
            }
            kernel.close();
            throw e;
        }
    }

    /** Kernel ring to feed ring, until stopped: one event per packet. */
    private void pump() {
        try {
            while (!stopped) {
                kernel.consume(record -> EventCodec.write(server.ring(), KERNEL_PRODUCER,
                        record.getLong(PacketEventProgram.SEQUENCE), System.currentTimeMillis() * 1000, PACKET,
                        record.getInt(PacketEventProgram.LENGTH), Wakeup.DEFAULT));
                kernel.awaitData(Duration.ofMillis(100));
            }
        } catch (InterruptedException | RuntimeException e) {
            if (!stopped) {
                LOG.log(Level.SEVERE, "the kernel packet pump stopped; no more packets reach the feed", e);
            }
        }
    }

    /** @return the UDP port on 127.0.0.1 whose packets become events */
    public int udpPort() {
        return socket.port();
    }

    /** @return the feed server (its HTTP port, its ring, its meters) */
    public FeedServer server() {
        return server;
    }

    /** @return packets the kernel dropped because its ring was full */
    public long kernelDrops() {
        return PacketEventProgram.counter(counters, PacketEventProgram.DROPPED);
    }

    /** Stops the pump, then closes the socket, the program, the kernel ring and the feed server. */
    @Override
    public void close() {
        stopped = true;
        boolean interrupted = false;
        while (pump.isAlive()) {
            try {
                pump.join(); // it sees the flag within one 100 ms wait
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        socket.close();
        Bpf.close(program);
        kernel.close();
        server.close();
        Bpf.close(counters);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the sample until SIGINT/SIGTERM (or {@code --duration}); the feed server's options apply.
     *
     * @param args the feed server's options; {@code --help} lists them
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        final FeedOptions options;
        try {
            options = FeedOptions.parse(args);
        } catch (CommandLine.HelpRequested help) {
            System.out.print(help.getMessage());
            return;
        }
        final KernelPacketFeed feed = start(options, System.out);
        final Thread hook = new Thread(feed::close, "kernel-feed-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.printf("dashboard on http://%s:%d/  -- packets to udp 127.0.0.1:%d become events, e.g.%n"
                + "  for i in $(seq 100); do echo hello > /dev/udp/127.0.0.1/%d; done%n", options.host(),
                feed.server().port(), feed.udpPort(), feed.udpPort());
        if (options.duration().isZero()) {
            feed.server().awaitClosed(Duration.ofMillis(Long.MAX_VALUE));
        } else if (!feed.server().awaitClosed(options.duration())) {
            Runtime.getRuntime().removeShutdownHook(hook);
            feed.close();
        }
    }
}
