package io.voiceorder.bridge.call;

import io.voiceorder.bridge.config.Cidr;
import io.voiceorder.bridge.sip.TrunkAddresses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SourcePolicyTest {
    @Test
    void theFirstMatchingRuleWinsTrunkThenPeerThenDeviceElseUnknown() throws Exception {
        TrunkAddresses trunk = new TrunkAddresses("127.0.0.1");
        trunk.resolve();
        Set<String> bound = Set.of("127.0.0.1", "198.51.100.7", "192.0.2.9");
        SourcePolicy policy = new SourcePolicy(Optional.of(trunk), List.of(Cidr.parse("192.0.2.0/28")), bound::contains);

        assertThat(policy.classify("127.0.0.1")).isEqualTo(SourceClass.TRUNK);
        assertThat(policy.classify("192.0.2.9")).isEqualTo(SourceClass.PEER);
        assertThat(policy.classify("198.51.100.7")).isEqualTo(SourceClass.DEVICE);
        assertThat(policy.classify("192.0.2.16")).isEqualTo(SourceClass.UNKNOWN);
        assertThat(policy.classify("?")).isEqualTo(SourceClass.UNKNOWN);
    }

    @Test
    void withoutATrunkNoAddressIsATrunkAddress() {
        SourcePolicy policy = new SourcePolicy(Optional.empty(), List.of(), ip -> false);

        assertThat(policy.classify("127.0.0.1")).isEqualTo(SourceClass.UNKNOWN);
    }
}
