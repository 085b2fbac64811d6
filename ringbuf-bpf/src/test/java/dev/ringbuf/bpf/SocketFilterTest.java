package dev.ringbuf.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A socket filter on a loopback UDP socket outputs one record per datagram the kernel delivers to it. */
class SocketFilterTest extends KernelRingFixture {

    private static final int UDP_HEADER = 8;

    SocketFilterTest() {
        super(1 << 16, "rb_socket");
    }

    @BeforeEach
    void loadProgram() {
        program = TestPrograms.sequenceOutput(ring.fd(), counters, 0);
    }

    @Test
    void everyDatagramToTheSocketBecomesARecordWithItsSize() throws Exception {
        final int datagrams = 50;
        try (FilteredUdpSocket socket = FilteredUdpSocket.open(program);
                DatagramSocket sender = new DatagramSocket()) {
            for (int i = 0; i < datagrams; i++) {
                final byte[] payload = new byte[10 + i];
                sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(),
                        socket.port()));
            }

            final List<long[]> seen = new ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.size() < datagrams && System.nanoTime() < deadline) {
                ring.awaitData(Duration.ofMillis(200));
                ring.consume(record -> seen.add(new long[] {record.getLong(0), record.getInt(8)}));
            }

            assertThat(seen).hasSize(datagrams);
            for (int i = 0; i < datagrams; i++) {
                assertThat(seen.get(i)[0]).as("sequence").isEqualTo(i + 1);
                assertThat(seen.get(i)[1]).as("skb->len: UDP header and payload").isEqualTo(UDP_HEADER + 10 + i);
            }
        }
    }
}
