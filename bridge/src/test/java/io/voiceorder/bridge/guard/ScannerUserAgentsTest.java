package io.voiceorder.bridge.guard;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ScannerUserAgentsTest {
    @ParameterizedTest
    @ValueSource(strings = {"friendly-scanner", "Friendly-Scanner 1.0", "sipvicious", "SIPVicious 0.3.4", "sipcli/v1.8",
            "sip-scan", "iWar", "IWAR", "sundayddr", "VaxSIPUserAgent/3.1", "pplsip", "x PPLSIP y"})
    void knownScannersMatchCaseInsensitively(String userAgent) {
        assertThat(ScannerUserAgents.matches(userAgent)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sipp-test-caller", "Asterisk PBX 18.0", "Linphone/5.0", "VoiceOrder-Bridge", "friendly scanner",
            "sip scan"})
    void ordinaryUserAgentsDoNot(String userAgent) {
        assertThat(ScannerUserAgents.matches(userAgent)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void noUserAgentIsNoScanner() {
        assertThat(ScannerUserAgents.matches(null)).isFalse();
    }
}
