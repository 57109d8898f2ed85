package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class SymmetricLatchTest {
    private static final long S = 1_000_000_000L;

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void latchesOnTheFirstCandidateAndRejectsOthers() throws Exception {
        SymmetricLatch latch = new SymmetricLatch();
        latch.arm(ip("198.51.100.7"), 4000, ip("203.0.113.5"));
        assertThat(latch.target()).isEqualTo(new InetSocketAddress(ip("198.51.100.7"), 4000));
        assertThat(latch.accept(new InetSocketAddress(ip("192.0.2.99"), 4000), 0)).isFalse();
        assertThat(latch.accept(new InetSocketAddress(ip("203.0.113.5"), 31000), 0)).isTrue();
        assertThat(latch.target()).isEqualTo(new InetSocketAddress(ip("203.0.113.5"), 31000));
        assertThat(latch.accept(new InetSocketAddress(ip("198.51.100.7"), 4000), S)).isFalse();
        assertThat(latch.accept(new InetSocketAddress(ip("203.0.113.5"), 31002), S / 2)).isFalse();
    }

    @Test
    void newPortOfTheSameIpAfterOneSecondOfSilence() throws Exception {
        SymmetricLatch latch = new SymmetricLatch();
        latch.arm(ip("198.51.100.7"), 4000, null);
        latch.accept(new InetSocketAddress(ip("198.51.100.7"), 4000), 0);
        assertThat(latch.accept(new InetSocketAddress(ip("198.51.100.7"), 5000), S - 1)).isFalse();
        assertThat(latch.accept(new InetSocketAddress(ip("198.51.100.7"), 5000), S + S / 2)).isTrue();
        assertThat(latch.target().getPort()).isEqualTo(5000);
    }

    @Test
    void privateSdpAddressBehindAPublicSignallingSourceSendsToTheSource() throws Exception {
        SymmetricLatch latch = new SymmetricLatch();
        latch.arm(ip("192.168.1.50"), 5004, ip("198.51.100.7"));
        assertThat(latch.target()).isEqualTo(new InetSocketAddress(ip("198.51.100.7"), 5004));
        latch.arm(ip("100.64.1.2"), 5004, ip("198.51.100.7"));
        assertThat(latch.target().getAddress()).isEqualTo(ip("198.51.100.7"));
        latch.arm(ip("10.0.0.2"), 5004, ip("10.0.0.1"));
        assertThat(latch.target().getAddress()).isEqualTo(ip("10.0.0.2"));
    }

    @Test
    void reArmingWithANewAddressUnlatches() throws Exception {
        SymmetricLatch latch = new SymmetricLatch();
        latch.arm(ip("198.51.100.7"), 4000, null);
        latch.accept(new InetSocketAddress(ip("198.51.100.7"), 4000), 0);
        latch.arm(ip("198.51.100.7"), 4000, null);
        assertThat(latch.latched()).isNotNull();
        latch.arm(ip("198.51.100.8"), 4100, null);
        assertThat(latch.latched()).isNull();
        assertThat(latch.accept(new InetSocketAddress(ip("198.51.100.7"), 4000), S)).isFalse();
        assertThat(latch.accept(new InetSocketAddress(ip("198.51.100.8"), 4100), S)).isTrue();
    }
}
