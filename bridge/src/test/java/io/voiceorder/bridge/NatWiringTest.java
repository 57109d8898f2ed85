package io.voiceorder.bridge;

import io.voiceorder.bridge.config.HostPort;
import io.voiceorder.bridge.config.NatConfig;
import io.voiceorder.bridge.config.Secret;
import io.voiceorder.bridge.nat.NatSettings;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How the NAT flags reach the media engine, and which registrars count as public (bridge.md §8.3). */
class NatWiringTest {

    @Test
    void turnServerDoublesAsStunAndNoIceKeepsStunForSipOnly() throws Exception {
        NatSettings turn = BridgeServer.natSettings(new NatConfig(Optional.empty(), Optional.of(new HostPort("127.0.0.1", 3479)),
                Optional.of("site1"), Secret.of("pw"), false));
        assertThat(turn.turnServer()).isEqualTo(new InetSocketAddress("127.0.0.1", 3479));
        assertThat(turn.stunServer()).isEqualTo(turn.turnServer());
        assertThat(turn.relay()).isTrue();
        assertThat(turn.toString()).doesNotContain("pw");

        NatSettings noIce = BridgeServer.natSettings(new NatConfig(Optional.of(new HostPort("127.0.0.1", 3478)), Optional.empty(),
                Optional.empty(), Secret.of(null), true));
        assertThat(noIce.stunServer()).isNotNull();
        assertThat(noIce.perCall()).isFalse();
        assertThat(noIce.relay()).isFalse();

        assertThat(BridgeServer.natSettings(NatConfig.NONE).perCall()).isFalse();

        // --public-address: no STUN learning for media either, while a TURN relay still applies.
        NatSettings stun = BridgeServer.natSettings(new NatConfig(Optional.of(new HostPort("127.0.0.1", 3478)),
                Optional.empty(), Optional.empty(), Secret.of(null), false));
        assertThat(BridgeServer.mediaNat(stun, true).perCall()).isFalse();
        assertThat(BridgeServer.mediaNat(stun, false).perCall()).isTrue();
        assertThat(BridgeServer.mediaNat(turn, true).relay()).isTrue();
    }

    @Test
    void loopbackAndPrivateRegistrarsAreNotPublic() {
        assertThat(BridgeServer.isPublic("127.0.0.1")).isFalse();
        assertThat(BridgeServer.isPublic("192.168.1.20")).isFalse();
        assertThat(BridgeServer.isPublic("10.1.2.3")).isFalse();
        assertThat(BridgeServer.isPublic("203.0.113.10")).isTrue();
    }
}
