package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortAllocatorTest {
    private final AtomicLong clock = new AtomicLong();

    private static int evenBase() {
        return 30000 + 2 * ThreadLocalRandom.current().nextInt(8000);
    }

    @Test
    void evenRtpAndOddRtcpPortsUntilTheRangeIsExhausted() throws Exception {
        int low = evenBase();
        PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), low - 1, low + 6, 5_000_000_000L, clock::get);
        assertThat(ports.capacity()).isEqualTo(3);
        Set<Integer> seen = new HashSet<>();
        PortPair[] pairs = new PortPair[3];
        for (int i = 0; i < 3; i++) {
            pairs[i] = ports.allocate();
            assertThat(pairs[i].rtpPort() % 2).isZero();
            assertThat(((InetSocketAddress) pairs[i].rtcp().getLocalAddress()).getPort()).isEqualTo(pairs[i].rtpPort() + 1);
            seen.add(pairs[i].rtpPort());
        }
        assertThat(seen).containsExactlyInAnyOrder(low, low + 2, low + 4);
        assertThatThrownBy(ports::allocate).isInstanceOf(PortAllocator.NoFreePortException.class);
        for (PortPair p : pairs) {
            ports.release(p);
        }
        assertThat(ports.pairsInUse()).isEqualTo(3);
        assertThatThrownBy(ports::allocate).isInstanceOf(PortAllocator.NoFreePortException.class);
        clock.addAndGet(5_000_000_001L);
        assertThat(ports.pairsInUse()).isZero();
        ports.release(ports.allocate());
    }

    @Test
    void pairsHeldByAnotherProgramAreSkipped() throws Exception {
        int low = evenBase();
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), low + 1))) {
            PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), low, low + 3, 0, clock::get);
            for (int i = 0; i < 5; i++) {
                PortPair p = ports.allocate();
                assertThat(p.rtpPort()).isEqualTo(low + 2);
                ports.release(p);
            }
            assertThat(other.isBound()).isTrue();
        }
    }
}
