package dev.ringbuf.bpf;

import static dev.ringbuf.bpf.BpfAssembler.DW;
import static dev.ringbuf.bpf.BpfAssembler.R0;
import static dev.ringbuf.bpf.BpfAssembler.R1;
import static dev.ringbuf.bpf.BpfAssembler.R10;
import static dev.ringbuf.bpf.BpfAssembler.R2;
import static dev.ringbuf.bpf.BpfAssembler.R3;
import static dev.ringbuf.bpf.BpfAssembler.R4;
import static dev.ringbuf.bpf.BpfAssembler.R6;
import static dev.ringbuf.bpf.BpfAssembler.R7;
import static dev.ringbuf.bpf.BpfAssembler.W;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ready-made socket filter that turns every packet it sees into a kernel ring record: {@code u64 sequence} (from 1,
 * atomic, across CPUs), {@code u32 skb->len}, {@code u32 0}. A failed output (the ring full) is counted in the
 * counters map, since the kernel itself keeps no count of what a full ring drops. It returns 0, so a socket it is
 * attached to drops each packet after it has seen it. Run it with {@code BPF_PROG_TEST_RUN} or attach it with
 * {@link FilteredUdpSocket}.
 *
 * <pre>{@code
 * int counters = PacketEventProgram.createCounters();
 * int program = PacketEventProgram.load(ring.fd(), counters, PacketEventProgram.DEFAULT_WAKEUP);
 * ring.consume(r -> System.out.println(r.getLong(PacketEventProgram.SEQUENCE) + ": "
 *         + r.getInt(PacketEventProgram.LENGTH)));
 * long dropped = PacketEventProgram.counter(counters, PacketEventProgram.DROPPED);
 * }</pre>
 */
public final class PacketEventProgram {

    /** Payload offset of the sequence number (u64). */
    public static final int SEQUENCE = 0;
    /** Payload offset of the packet length, {@code skb->len} (u32). */
    public static final int LENGTH = 8;
    /** Payload bytes of a record. */
    public static final int PAYLOAD = 16;
    /** Counter key: records the program tried to output (the last sequence number). */
    public static final int ATTEMPTED = 0;
    /** Counter key: records the kernel dropped because the ring was full. */
    public static final int DROPPED = 1;
    /** Output flags: the kernel's self-balancing notification. */
    public static final int DEFAULT_WAKEUP = 0;
    /** Output flags: {@code BPF_RB_NO_WAKEUP}. */
    public static final int NO_WAKEUP = 1;
    /** Output flags: {@code BPF_RB_FORCE_WAKEUP}. */
    public static final int FORCE_WAKEUP = 2;

    private PacketEventProgram() {
    }

    /**
     * Creates the counters map: an array of two u64 counters, keys {@link #ATTEMPTED} and {@link #DROPPED}.
     *
     * @return the map's descriptor
     */
    public static int createCounters() {
        return Bpf.createMap(Bpf.MAP_TYPE_ARRAY, 4, 8, 2, 0, "packet_counts");
    }

    /**
     * Reads one counter.
     *
     * @param counters the counters map
     * @param key {@link #ATTEMPTED} or {@link #DROPPED}
     * @return its value
     */
    public static long counter(int counters, int key) {
        final byte[] k = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(key).array();
        return ByteBuffer.wrap(Bpf.lookup(counters, k, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * Loads the program.
     *
     * @param ringFd the kernel ring it outputs into
     * @param counters the map from {@link #createCounters()}
     * @param flags {@link #DEFAULT_WAKEUP}, {@link #NO_WAKEUP} or {@link #FORCE_WAKEUP}
     * @return the program's descriptor
     */
    public static int load(int ringFd, int counters, int flags) {
        final byte[] program = new BpfAssembler()
                .mov(R6, R1)
                .load(W, R7, R6, 0) // skb->len
                .storeImm(W, R10, -4, ATTEMPTED)
                .loadMap(R1, counters).mov(R2, R10).addImm(R2, -4)
                .call(BpfAssembler.MAP_LOOKUP_ELEM)
                .jeqImm(R0, 0, "out")
                .movImm(R1, 1).fetchAdd(R0, 0, R1).addImm(R1, 1) // r1 = ++counters[ATTEMPTED]
                .store(DW, R10, -24, R1).store(W, R10, -16, R7).storeImm(W, R10, -12, 0)
                .loadMap(R1, ringFd).mov(R2, R10).addImm(R2, -24).movImm(R3, PAYLOAD).movImm(R4, flags)
                .call(BpfAssembler.RINGBUF_OUTPUT)
                .jeqImm(R0, 0, "out")
                .storeImm(W, R10, -4, DROPPED)
                .loadMap(R1, counters).mov(R2, R10).addImm(R2, -4)
                .call(BpfAssembler.MAP_LOOKUP_ELEM)
                .jeqImm(R0, 0, "out")
                .movImm(R1, 1).fetchAdd(R0, 0, R1)
                .label("out").movImm(R0, 0).exit()
                .assemble();
        return BpfPrograms.loadProgram(BpfPrograms.PROG_TYPE_SOCKET_FILTER, program, "GPL", "packet_events");
    }
}
