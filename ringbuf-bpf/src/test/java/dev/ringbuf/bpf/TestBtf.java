package dev.ringbuf.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The smallest BTF that lets the verifier accept a program with one callback subprogram: {@code int main(void *)}
 * (global) and {@code static int cb(void *, void *)}, and the {@code bpf_func_info} records that tie them to their
 * first instructions. Encoding from {@code include/uapi/linux/btf.h}.
 */
final class TestBtf {

    private static final int KIND_INT = 1;
    private static final int KIND_PTR = 2;
    private static final int KIND_FUNC = 12;
    private static final int KIND_FUNC_PROTO = 13;
    private static final int LINKAGE_STATIC = 0;
    private static final int LINKAGE_GLOBAL = 1;
    /** Type ids below, in order: 1 int, 2 void *, 3 proto(main), 4 main, 5 proto(cb), 6 cb. */
    static final int MAIN = 4;
    static final int CALLBACK = 6;
    private static final String STRINGS = "\0int\0main\0cb\0ctx\0sample\0";

    private TestBtf() {
    }

    static byte[] mainAndCallback() {
        final ByteBuffer types = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        type(types, 1, KIND_INT, 0, 4).putInt((1 << 24) | 32); // signed, 32 bits
        type(types, 0, KIND_PTR, 0, 0);
        type(types, 0, KIND_FUNC_PROTO, 1, 1).putInt(13).putInt(2); // (void *ctx)
        type(types, 5, KIND_FUNC, LINKAGE_GLOBAL, 3);
        type(types, 0, KIND_FUNC_PROTO, 2, 1).putInt(17).putInt(2).putInt(13).putInt(2); // (void *sample, void *ctx)
        type(types, 10, KIND_FUNC, LINKAGE_STATIC, 5);
        final byte[] strings = STRINGS.getBytes(StandardCharsets.US_ASCII);
        final int typeLength = types.position();
        final ByteBuffer btf = ByteBuffer.allocate(24 + typeLength + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        btf.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24) // magic, version, flags, hdr_len
                .putInt(0).putInt(typeLength).putInt(typeLength).putInt(strings.length);
        btf.put(types.array(), 0, typeLength).put(strings);
        return btf.array();
    }

    /** {@code struct bpf_func_info} for main at 0 and the callback at {@code callbackStart}. */
    static byte[] funcInfo(int callbackStart) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(MAIN).putInt(callbackStart)
                .putInt(CALLBACK).array();
    }

    private static ByteBuffer type(ByteBuffer out, int name, int kind, int vlen, int sizeOrType) {
        return out.putInt(name).putInt((kind << 24) | vlen).putInt(sizeOrType);
    }
}
