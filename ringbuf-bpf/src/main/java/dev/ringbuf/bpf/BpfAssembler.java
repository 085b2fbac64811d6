package dev.ringbuf.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny eBPF assembler, so that small programs (the tests', the samples') need no clang: each method appends one
 * instruction ({@code struct bpf_insn}: u8 opcode, u8 dst:4/src:4 registers, s16 offset, s32 immediate,
 * little-endian), jumps go to named labels, and {@link #assemble()} resolves them for
 * {@link BpfPrograms#loadProgram}. Opcodes from {@code include/uapi/linux/bpf_common.h} and {@code bpf.h}. It
 * covers the instructions this project's programs use, not the whole instruction set.
 *
 * <pre>{@code
 * byte[] program = new BpfAssembler()
 *         .load(BpfAssembler.W, BpfAssembler.R2, BpfAssembler.R1, 0)          // r2 = skb->len
 *         .store(BpfAssembler.DW, BpfAssembler.R10, -8, BpfAssembler.R2)      // *(u64 *)(r10 - 8) = r2
 *         .loadMap(BpfAssembler.R1, ring.fd())
 *         .mov(BpfAssembler.R2, BpfAssembler.R10).addImm(BpfAssembler.R2, -8)
 *         .movImm(BpfAssembler.R3, 8).movImm(BpfAssembler.R4, 0)
 *         .call(BpfAssembler.RINGBUF_OUTPUT)                                   // bpf_ringbuf_output(ring, &len, 8, 0)
 *         .movImm(BpfAssembler.R0, 0).exit()
 *         .assemble();
 * }</pre>
 */
public final class BpfAssembler {

    // Registers: r0 return value, r1-r5 arguments, r6-r9 callee-saved, r10 frame pointer (read-only).
    /** Register r0. */
    public static final int R0 = 0;
    /** Register r1. */
    public static final int R1 = 1;
    /** Register r2. */
    public static final int R2 = 2;
    /** Register r3. */
    public static final int R3 = 3;
    /** Register r4. */
    public static final int R4 = 4;
    /** Register r5. */
    public static final int R5 = 5;
    /** Register r6. */
    public static final int R6 = 6;
    /** Register r7. */
    public static final int R7 = 7;
    /** Register r8. */
    public static final int R8 = 8;
    /** Register r10. */
    public static final int R10 = 10;

    // Instruction classes, sizes, modes, operations.
    private static final int LD = 0x00;
    private static final int LDX = 0x01;
    private static final int ST = 0x02;
    private static final int STX = 0x03;
    private static final int JMP = 0x05;
    private static final int ALU64 = 0x07;
    /** Access size: 4 bytes. */
    public static final int W = 0x00;
    /** Access size: 2 bytes. */
    public static final int H = 0x08;
    /** Access size: 1 byte. */
    public static final int B = 0x10;
    /** Access size: 8 bytes. */
    public static final int DW = 0x18;
    private static final int IMM = 0x00;
    private static final int MEM = 0x60;
    private static final int ATOMIC = 0xc0;
    private static final int K = 0x00;
    private static final int X = 0x08;
    private static final int ADD = 0x00;
    private static final int AND = 0x50;
    private static final int MOV = 0xb0;
    private static final int JA = 0x00;
    private static final int JEQ = 0x10;
    private static final int JNE = 0x50;
    private static final int CALL = 0x80;
    private static final int EXIT = 0x90;
    private static final int FETCH = 0x01;
    /** {@code BPF_PSEUDO_MAP_FD}: the 64-bit immediate is a map's descriptor. */
    private static final int PSEUDO_MAP_FD = 1;
    /** {@code BPF_PSEUDO_FUNC}: the 64-bit immediate is a subprogram, relative to the next instruction. */
    private static final int PSEUDO_FUNC = 4;

    // Helper ids (enum bpf_func_id).
    /** Helper {@code bpf_map_lookup_elem}. */
    public static final int MAP_LOOKUP_ELEM = 1;
    /** Helper {@code bpf_ringbuf_output}. */
    public static final int RINGBUF_OUTPUT = 130;
    /** Helper {@code bpf_ringbuf_reserve}. */
    public static final int RINGBUF_RESERVE = 131;
    /** Helper {@code bpf_ringbuf_submit}. */
    public static final int RINGBUF_SUBMIT = 132;
    /** Helper {@code bpf_ringbuf_discard}. */
    public static final int RINGBUF_DISCARD = 133;
    /** Helper {@code bpf_dynptr_read}. */
    public static final int DYNPTR_READ = 201;
    /** Helper {@code bpf_user_ringbuf_drain}. */
    public static final int USER_RINGBUF_DRAIN = 209;

    /** One instruction; {@code target} a label that resolves into {@code off} (jumps) or {@code imm} (functions). */
    private record Insn(int code, int dst, int src, int off, int imm, String target, boolean immTarget) {
        Insn(int code, int dst, int src, int off, int imm, String target) {
            this(code, dst, src, off, imm, target, false);
        }
    }

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /** An empty program. */
    public BpfAssembler() {
    }

    private BpfAssembler add(int code, int dst, int src, int off, int imm) {
        insns.add(new Insn(code, dst, src, off, imm, null));
        return this;
    }

    /** Names the next instruction, as a jump or function target. @return this assembler */
    public BpfAssembler label(String name) {
        labels.put(name, insns.size());
        return this;
    }

    /** {@code dst = imm}. */
    public BpfAssembler movImm(int dst, int imm) {
        return add(ALU64 | MOV | K, dst, 0, 0, imm);
    }

    /** {@code dst = src}. */
    public BpfAssembler mov(int dst, int src) {
        return add(ALU64 | MOV | X, dst, src, 0, 0);
    }

    /** {@code dst += imm}. */
    public BpfAssembler addImm(int dst, int imm) {
        return add(ALU64 | ADD | K, dst, 0, 0, imm);
    }

    /** {@code dst += src}. */
    public BpfAssembler add(int dst, int src) {
        return add(ALU64 | ADD | X, dst, src, 0, 0);
    }

    /** {@code dst &= imm}. */
    public BpfAssembler andImm(int dst, int imm) {
        return add(ALU64 | AND | K, dst, 0, 0, imm);
    }

    /** {@code dst = *(size *)(src + off)}. */
    public BpfAssembler load(int size, int dst, int src, int off) {
        return add(LDX | MEM | size, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = src}. */
    public BpfAssembler store(int size, int dst, int off, int src) {
        return add(STX | MEM | size, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = imm}. */
    public BpfAssembler storeImm(int size, int dst, int off, int imm) {
        return add(ST | MEM | size, dst, 0, off, imm);
    }

    /** {@code src = atomic_fetch_add((u64 *)(dst + off), src)}. */
    public BpfAssembler fetchAdd(int dst, int off, int src) {
        return add(STX | ATOMIC | DW, dst, src, off, ADD | FETCH);
    }

    /** {@code dst = map} (the 16-byte {@code ld_imm64} with {@code BPF_PSEUDO_MAP_FD}). */
    public BpfAssembler loadMap(int dst, int mapFd) {
        add(LD | IMM | DW, dst, PSEUDO_MAP_FD, 0, mapFd);
        return add(0, 0, 0, 0, 0);
    }

    /** {@code dst = &function} (the 16-byte {@code ld_imm64} with {@code BPF_PSEUDO_FUNC}): a callback. */
    public BpfAssembler loadFunction(int dst, String function) {
        insns.add(new Insn(LD | IMM | DW, dst, PSEUDO_FUNC, 0, 0, function, true));
        return add(0, 0, 0, 0, 0);
    }

    /** The index the next instruction will have (a subprogram's start, for BTF function info). */
    public int next() {
        return insns.size();
    }

    /** {@code call helper}. */
    public BpfAssembler call(int helper) {
        return add(JMP | CALL, 0, 0, 0, helper);
    }

    /** {@code if dst == imm goto target}. */
    public BpfAssembler jeqImm(int dst, int imm, String target) {
        insns.add(new Insn(JMP | JEQ | K, dst, 0, 0, imm, target));
        return this;
    }

    /** {@code if dst != imm goto target}. */
    public BpfAssembler jneImm(int dst, int imm, String target) {
        insns.add(new Insn(JMP | JNE | K, dst, 0, 0, imm, target));
        return this;
    }

    /** {@code goto target}. */
    public BpfAssembler ja(String target) {
        insns.add(new Insn(JMP | JA, 0, 0, 0, 0, target));
        return this;
    }

    /** {@code exit}: return r0. @return this assembler */
    public BpfAssembler exit() {
        return add(JMP | EXIT, 0, 0, 0, 0);
    }

    /** The program as {@code BPF_PROG_LOAD} wants it. */
    public byte[] assemble() {
        final ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < insns.size(); i++) {
            final Insn insn = insns.get(i);
            int off = insn.off();
            int imm = insn.imm();
            if (insn.target() != null) {
                final Integer at = labels.get(insn.target());
                if (at == null) {
                    throw new IllegalStateException("no label '" + insn.target() + "'");
                }
                if (insn.immTarget()) {
                    imm = at - i - 1; // relative to the next instruction
                } else {
                    off = at - i - 1;
                }
            }
            out.put((byte) insn.code()).put((byte) ((insn.src() << 4) | insn.dst())).putShort((short) off)
                    .putInt(imm);
        }
        return out.array();
    }
}
