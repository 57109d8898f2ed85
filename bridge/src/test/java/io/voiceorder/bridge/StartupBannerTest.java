package io.voiceorder.bridge;

import io.voiceorder.bridge.config.BridgeConfigParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StartupBannerTest {
    @Test
    void waysInNameTheTrunkTheDeviceUsersAndThePeersButNoPassword() {
        var config = BridgeConfigParser.parse(Map.of("SIP_USERNAME", "0033972360682", "SIP_DOMAIN", "sip.ovh.fr",
                "SIP_DEVICES", "ht841:gw-secret-1,fxs:gw-secret-2", "SIP_ALLOW_FROM", "192.0.2.0/28"), List.of(), List.of());

        String ways = StartupBanner.waysIn(config);

        assertThat(ways).contains("trunk 0033972360682@sip.ovh.fr").contains("gateway devices ht841,fxs")
                .contains("peers 192.0.2.0/28").contains("403").doesNotContain("gw-secret");
    }
}
