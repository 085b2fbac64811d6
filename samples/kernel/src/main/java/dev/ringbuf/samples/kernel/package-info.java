/**
 * Kernel events on the feed server's dashboard: {@link dev.ringbuf.samples.kernel.KernelPacketFeed}, every packet a
 * BPF socket filter sees on a loopback UDP port, through a kernel ring buffer into the feed. Java 22+, Linux x86-64,
 * CAP_BPF.
 */
@NullMarked
package dev.ringbuf.samples.kernel;

import org.jspecify.annotations.NullMarked;
