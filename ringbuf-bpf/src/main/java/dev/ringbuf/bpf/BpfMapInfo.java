package dev.ringbuf.bpf;

/**
 * A map's {@code struct bpf_map_info}, as {@link Bpf#mapInfo(int)} read it (the fields this module uses).
 *
 * @param type the map type ({@code Bpf.MAP_TYPE_*})
 * @param id the kernel's id of the map
 * @param keySize bytes of a key (0 for ring buffers)
 * @param valueSize bytes of a value (0 for ring buffers)
 * @param maxEntries entries; for a ring buffer, the bytes of its data area
 * @param flags the map's {@code map_flags}
 * @param name the map's name (may be empty)
 */
public record BpfMapInfo(int type, int id, int keySize, int valueSize, int maxEntries, int flags, String name) {
}
