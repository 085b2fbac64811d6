package dev.ringbuf.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny eBPF assembler for tests, so that no clang is needed: each method appends one instruction
 * ({@code struct bpf_insn}: u8 opcode, u8 dst:4/src:4 registers, s16 offset, s32 immediate, little-endian), jumps go
 * to named labels, and {@link #assemble()} resolves them. Opcodes from {@code include/uapi/linux/bpf_common.h} and
 * {@code bpf.h}.
 */
final class BpfAssembler {

    // Registers.
    static final int R0 = 0;
    static final int R1 = 1;
    static final int R2 = 2;
    static final int R3 = 3;
    static final int R4 = 4;
    static final int R5 = 5;
    static final int R6 = 6;
    static final int R7 = 7;
    static final int R8 = 8;
    static final int R10 = 10;

    // Instruction classes, sizes, modes, operations.
    private static final int LD = 0x00;
    private static final int LDX = 0x01;
    private static final int ST = 0x02;
    private static final int STX = 0x03;
    private static final int JMP = 0x05;
    private static final int ALU64 = 0x07;
    static final int W = 0x00;
    static final int H = 0x08;
    static final int B = 0x10;
    static final int DW = 0x18;
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
    static final int MAP_LOOKUP_ELEM = 1;
    static final int RINGBUF_OUTPUT = 130;
    static final int RINGBUF_RESERVE = 131;
    static final int RINGBUF_SUBMIT = 132;
    static final int RINGBUF_DISCARD = 133;
    static final int DYNPTR_READ = 201;
    static final int USER_RINGBUF_DRAIN = 209;

    /** One instruction; {@code target} a label that resolves into {@code off} (jumps) or {@code imm} (functions). */
    private record Insn(int code, int dst, int src, int off, int imm, String target, boolean immTarget) {
        Insn(int code, int dst, int src, int off, int imm, String target) {
            this(code, dst, src, off, imm, target, false);
        }
    }

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    private BpfAssembler add(int code, int dst, int src, int off, int imm) {
        insns.add(new Insn(code, dst, src, off, imm, null));
        return this;
    }

    BpfAssembler label(String name) {
        labels.put(name, insns.size());
        return this;
    }

    /** {@code dst = imm}. */
    BpfAssembler movImm(int dst, int imm) {
        return add(ALU64 | MOV | K, dst, 0, 0, imm);
    }

    /** {@code dst = src}. */
    BpfAssembler mov(int dst, int src) {
        return add(ALU64 | MOV | X, dst, src, 0, 0);
    }

    /** {@code dst += imm}. */
    BpfAssembler addImm(int dst, int imm) {
        return add(ALU64 | ADD | K, dst, 0, 0, imm);
    }

    /** {@code dst += src}. */
    BpfAssembler add(int dst, int src) {
        return add(ALU64 | ADD | X, dst, src, 0, 0);
    }

    /** {@code dst &= imm}. */
    BpfAssembler andImm(int dst, int imm) {
        return add(ALU64 | AND | K, dst, 0, 0, imm);
    }

    /** {@code dst = *(size *)(src + off)}. */
    BpfAssembler load(int size, int dst, int src, int off) {
        return add(LDX | MEM | size, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = src}. */
    BpfAssembler store(int size, int dst, int off, int src) {
        return add(STX | MEM | size, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = imm}. */
    BpfAssembler storeImm(int size, int dst, int off, int imm) {
        return add(ST | MEM | size, dst, 0, off, imm);
    }

    /** {@code src = atomic_fetch_add((u64 *)(dst + off), src)}. */
    BpfAssembler fetchAdd(int dst, int off, int src) {
        return add(STX | ATOMIC | DW, dst, src, off, ADD | FETCH);
    }

    /** {@code dst = map} (the 16-byte {@code ld_imm64} with {@code BPF_PSEUDO_MAP_FD}). */
    BpfAssembler loadMap(int dst, int mapFd) {
        add(LD | IMM | DW, dst, PSEUDO_MAP_FD, 0, mapFd);
        return add(0, 0, 0, 0, 0);
    }

    /** {@code dst = &function} (the 16-byte {@code ld_imm64} with {@code BPF_PSEUDO_FUNC}): a callback. */
    BpfAssembler loadFunction(int dst, String function) {
        insns.add(new Insn(LD | IMM | DW, dst, PSEUDO_FUNC, 0, 0, function, true));
        return add(0, 0, 0, 0, 0);
    }

    /** The index the next instruction will have (a subprogram's start, for BTF function info). */
    int next() {
        return insns.size();
    }

    /** {@code call helper}. */
    BpfAssembler call(int helper) {
        return add(JMP | CALL, 0, 0, 0, helper);
    }

    /** {@code if dst == imm goto target}. */
    BpfAssembler jeqImm(int dst, int imm, String target) {
        insns.add(new Insn(JMP | JEQ | K, dst, 0, 0, imm, target));
        return this;
    }

    /** {@code if dst != imm goto target}. */
    BpfAssembler jneImm(int dst, int imm, String target) {
        insns.add(new Insn(JMP | JNE | K, dst, 0, 0, imm, target));
        return this;
    }

    /** {@code goto target}. */
    BpfAssembler ja(String target) {
        insns.add(new Insn(JMP | JA, 0, 0, 0, 0, target));
        return this;
    }

    BpfAssembler exit() {
        return add(JMP | EXIT, 0, 0, 0, 0);
    }

    /** The program as {@code BPF_PROG_LOAD} wants it. */
    byte[] assemble() {
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
