package io.voiceorder.bridge.sip;

import io.voiceorder.bridge.call.DialPolicy;
import io.voiceorder.bridge.config.PhoneNumbers;
import io.voiceorder.bridge.config.Secret;
import org.junit.jupiter.api.Test;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Digest answers, trace masking, timers and the outbound dial policy. */
class SipUnitsTest {

    @Test
    void digestAnswersAnyRealmWithQopAuthAsRfc2617Says() throws Exception {
        WWWAuthenticateHeader challenge = (WWWAuthenticateHeader) SipFactories.HEADERS.createHeader("WWW-Authenticate",
                "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                        + "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
        AuthorizationHeader a = new DigestCredentials("Mufasa", Secret.of("Circle Of Life"))
                .answer(challenge, "GET", "sip:dir@index.html", SipFactories.HEADERS);

        String ha1 = DigestCredentials.md5("Mufasa:testrealm@host.com:Circle Of Life");
        String ha2 = DigestCredentials.md5("GET:sip:dir@index.html");
        String expected = DigestCredentials.md5(ha1 + ":dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:" + a.getCNonce() + ":auth:" + ha2);
        assertThat(a.getResponse()).isEqualTo(expected);
        assertThat(a.getRealm()).isEqualTo("testrealm@host.com");
        assertThat(a.getQop()).isEqualTo("auth");
        assertThat(a.getOpaque()).isEqualTo("5ccc069c403ebaf9f0171e9517f40e41");
    }

    @Test
    void tracesMaskDigestSecretsAndConfiguredSecrets() {
        String message = "REGISTER sip:x SIP/2.0\r\nAuthorization: Digest username=\"u\",realm=\"r\",nonce=\"n1\","
                + "uri=\"sip:x\",response=\"abc\",cnonce=\"c1\",qop=auth\r\nX-Note: pw-123\r\n\r\n";

        String masked = SipTraceMask.mask(message, List.of("pw-123"));

        assertThat(masked).contains("username=\"u\"", "realm=\"r\"", "uri=\"sip:x\"", "response=\"***\"", "nonce=\"***\"",
                "cnonce=\"***\"").doesNotContain("abc", "n1", "c1", "pw-123");
    }

    @Test
    void backoffIsOneTwoFourEightSixteenThenTwentySecondsAndAuthFailuresDoubleFromThirtyToSixHundred() {
        SipTimings t = SipTimings.standard();
        assertThat(List.of(t.backoff(1, 0.5), t.backoff(2, 0.5), t.backoff(3, 0.5), t.backoff(4, 0.5), t.backoff(5, 0.5)))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                        Duration.ofSeconds(16));
        assertThat(t.backoff(6, 0.0)).isEqualTo(Duration.ofSeconds(18));
        assertThat(t.backoff(9, 1.0)).isEqualTo(Duration.ofSeconds(22));
        assertThat(t.authBackoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.authBackoff(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(t.authBackoff(10)).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void dialPolicyAllowsOnlyTheConfiguredPrefixesAndCapsAttemptsPerHour() {
        DialPolicy p = new DialPolicy(List.of("+33"), "sip.ovh.fr", 2, new PhoneNumbers(Optional.of("+33")), Clock.systemUTC());

        assertThat(p.allowed("06 12 34 56 78")).isTrue();
        assertThat(p.normalise("tel:+33612345678")).isEqualTo("+33612345678");
        assertThat(p.allowed("+447700900123")).isFalse();
        assertThat(p.allowed("sip:0612345678@sip.ovh.fr")).isTrue();
        assertThat(p.allowed("sip:0612345678@evil.example")).isFalse();
        assertThat(DialPolicy.dialString("(06) 12.34-56 78")).isEqualTo("0612345678");
        assertThat(p.takeAttempt()).isEmpty();
        assertThat(p.takeAttempt()).isEmpty();
        assertThat(p.takeAttempt()).isPresent();
    }
}
