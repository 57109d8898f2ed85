package io.voiceorder.bridge.registrar;

import io.voiceorder.bridge.config.DeviceAccount;
import io.voiceorder.bridge.config.Secret;
import io.voiceorder.bridge.sip.DigestCredentials;
import io.voiceorder.bridge.sip.SipFactories;
import org.junit.jupiter.api.Test;

import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceAuthenticatorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-02-10T13:00:00Z"));
    private final List<String> failures = new ArrayList<>();
    private final DeviceAuthenticator auth = new DeviceAuthenticator(
            List.of(new DeviceAccount("ht841", Secret.of("gw-pass"))), new NonceService(clock), failures::add);

    private static Request register(String user) throws Exception {
        return SipFactories.MESSAGES.createRequest("REGISTER sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=1\r\nTo: <sip:" + user + "@127.0.0.1>\r\n"
                + "Call-ID: c1\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    }

    private Request answered(String user, String password, String ip, boolean proxy) throws Exception {
        Request request = register(user);
        WWWAuthenticateHeader challenge = auth.challenge(ip, proxy, false);
        request.setHeader(new DigestCredentials(user, Secret.of(password)).answer(challenge, request.getMethod(),
                "sip:127.0.0.1", SipFactories.HEADERS));
        return request;
    }

    @Test
    void noCredentialsGetAChallengeAndTheRightOnesAreAccepted() throws Exception {
        assertThat(auth.check(register("ht841"), "127.0.0.1", false, "ht841")).isEqualTo(new AuthOutcome.Challenge(false));
        WWWAuthenticateHeader challenge = auth.challenge("127.0.0.1", false, false);
        assertThat(challenge.getRealm()).isEqualTo("voiceorder");
        assertThat(challenge.getQop()).isEqualTo("auth");
        assertThat(challenge.getAlgorithm()).isEqualTo("MD5");

        assertThat(auth.check(answered("ht841", "gw-pass", "127.0.0.1", false), "127.0.0.1", false, "ht841"))
                .isEqualTo(new AuthOutcome.Accepted("ht841"));
        assertThat(auth.check(answered("ht841", "gw-pass", "127.0.0.1", true), "127.0.0.1", true, null))
                .isEqualTo(new AuthOutcome.Accepted("ht841"));
        assertThat(failures).isEmpty();
    }

    @Test
    void aWrongPasswordAnUnknownUserOrAnotherToUserAreRefusedAndReported() throws Exception {
        assertThat(auth.check(answered("ht841", "wrong", "127.0.0.1", false), "127.0.0.1", false, "ht841"))
                .isInstanceOf(AuthOutcome.Refused.class);
        assertThat(auth.check(answered("nobody", "gw-pass", "127.0.0.1", false), "127.0.0.1", false, "nobody"))
                .isInstanceOf(AuthOutcome.Refused.class);
        assertThat(auth.check(answered("ht841", "gw-pass", "127.0.0.1", false), "127.0.0.1", false, "other"))
                .isInstanceOf(AuthOutcome.Refused.class);
        assertThat(failures).containsExactly("127.0.0.1", "127.0.0.1", "127.0.0.1");
    }

    @Test
    void aNonceIsBoundToItsSourceAndGoesStaleAfter300Seconds() throws Exception {
        Request fromElsewhere = answered("ht841", "gw-pass", "127.0.0.1", false);
        assertThat(auth.check(fromElsewhere, "127.0.0.9", false, "ht841")).isEqualTo(new AuthOutcome.Challenge(false));

        Request old = answered("ht841", "gw-pass", "127.0.0.1", false);
        clock.now = clock.now.plusSeconds(301);
        assertThat(auth.check(old, "127.0.0.1", false, "ht841")).isEqualTo(new AuthOutcome.Challenge(true));
        assertThat(auth.challenge("127.0.0.1", false, true).isStale()).isTrue();
        assertThat(failures).isEmpty();
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
