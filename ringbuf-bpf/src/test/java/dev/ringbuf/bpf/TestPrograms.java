package dev.ringbuf.bpf;

import static dev.ringbuf.bpf.BpfAssembler.B;
import static dev.ringbuf.bpf.BpfAssembler.R0;
import static dev.ringbuf.bpf.BpfAssembler.R1;
import static dev.ringbuf.bpf.BpfAssembler.R10;
import static dev.ringbuf.bpf.BpfAssembler.R2;
import static dev.ringbuf.bpf.BpfAssembler.R3;
import static dev.ringbuf.bpf.BpfAssembler.R4;
import static dev.ringbuf.bpf.BpfAssembler.R5;
import static dev.ringbuf.bpf.BpfAssembler.R6;
import static dev.ringbuf.bpf.BpfAssembler.R7;
import static dev.ringbuf.bpf.BpfAssembler.R8;
import static dev.ringbuf.bpf.BpfAssembler.W;


/**
 * The BPF programs the tests load: socket filters (runnable with {@code BPF_PROG_TEST_RUN} and attachable to a
 * socket) that write into a ring buffer map.
 */
final class TestPrograms {

    /** {@code BPF_RB_NO_WAKEUP}. */
    static final int NO_WAKEUP = PacketEventProgram.NO_WAKEUP;
    /** {@code BPF_RB_FORCE_WAKEUP}. */
    static final int FORCE_WAKEUP = PacketEventProgram.FORCE_WAKEUP;
    /** Payload of {@link #sequenceOutput}: u64 sequence, u32 packet length, u32 zero. */
    static final int SEQUENCE_PAYLOAD = PacketEventProgram.PAYLOAD;
    /** Payload of {@link #reserveSubmitOrDiscard}: 13 bytes, so that its record rounds up to 24. */
    static final int RESERVED_PAYLOAD = 13;
    /** Constant word at offset 4 of {@link #reserveSubmitOrDiscard}'s payload. */
    static final int MAGIC = 0x0eedbeef;

    private TestPrograms() {
    }

    /** {@link PacketEventProgram}: {@code {++counters[0], skb->len, 0}} per run, failures in {@code counters[1]}. */
    static int sequenceOutput(int ringFd, int counters, int flags) {
        return PacketEventProgram.load(ringFd, counters, flags);
    }

    /**
     * Per run: {@code bpf_ringbuf_reserve(ring, 13, 0)}, fill it with {@code {u32 skb->len, u32 MAGIC, u32
     * 0x12345678, u8 0x7f}}, then submit it when {@code skb->len} is even and discard it when odd.
     */
    static int reserveSubmitOrDiscard(int ringFd) {
        final byte[] program = new BpfAssembler()
                .mov(R6, R1)
                .load(W, R7, R6, 0) // skb->len
                .loadMap(R1, ringFd).movImm(R2, RESERVED_PAYLOAD).movImm(R3, 0)
                .call(BpfAssembler.RINGBUF_RESERVE)
                .jeqImm(R0, 0, "out")
                .mov(R8, R0)
                .store(W, R8, 0, R7).storeImm(W, R8, 4, MAGIC).storeImm(W, R8, 8, 0x12345678)
                .storeImm(B, R8, 12, 0x7f)
                .mov(R1, R7).andImm(R1, 1)
                .jneImm(R1, 0, "discard")
                .mov(R1, R8).movImm(R2, 0).call(BpfAssembler.RINGBUF_SUBMIT).ja("out")
                .label("discard")
                .mov(R1, R8).movImm(R2, 0).call(BpfAssembler.RINGBUF_DISCARD)
                .label("out").movImm(R0, 0).exit()
                .assemble();
        return BpfPrograms.loadProgram(BpfPrograms.PROG_TYPE_SOCKET_FILTER, program, "GPL", "rb_reserve");
    }

    /**
     * Drains a user ring buffer ({@code bpf_user_ringbuf_drain}); its callback reads the first 8 bytes of each sample
     * ({@code bpf_dynptr_read}) and outputs them into {@code outRingFd}. Returns the drain's result (samples drained,
     * or a negative error) as the program's return value.
     */
    static int userRingDrain(int userRingFd, int outRingFd) {
        final BpfAssembler program = new BpfAssembler()
                .loadMap(R1, userRingFd).loadFunction(R2, "callback").movImm(R3, 0).movImm(R4, 0)
                .call(BpfAssembler.USER_RINGBUF_DRAIN)
                .exit();
        final int callback = program.next();
        program.label("callback")
                .mov(R3, R1) // the sample's dynptr
                .mov(R1, R10).addImm(R1, -8).movImm(R2, 8).movImm(R4, 0).movImm(R5, 0)
                .call(BpfAssembler.DYNPTR_READ)
                .loadMap(R1, outRingFd).mov(R2, R10).addImm(R2, -8).movImm(R3, 8).movImm(R4, 0)
                .call(BpfAssembler.RINGBUF_OUTPUT)
                .movImm(R0, 0).exit();
        final int btf = BpfPrograms.loadBtf(TestBtf.mainAndCallback());
        try {
            return BpfPrograms.loadProgram(BpfPrograms.PROG_TYPE_SOCKET_FILTER, program.assemble(), "GPL",
                    "rb_user_drain", btf, TestBtf.funcInfo(callback));
        } finally {
            Bpf.close(btf);
        }
    }

    /** The counters of {@link PacketEventProgram}. */
    static int counters() {
        return PacketEventProgram.createCounters();
    }

    /** Reads counter {@code key} of a {@link #counters()} map. */
    static long counter(int counters, int key) {
        return PacketEventProgram.counter(counters, key);
    }

    /** A packet for {@code BPF_PROG_TEST_RUN} of a socket filter: {@code size} bytes (at least an Ethernet header). */
    static byte[] packet(int size) {
        final byte[] packet = new byte[size];
        packet[12] = 0x08; // EtherType IPv4, for eth_type_trans
        return packet;
    }
}
