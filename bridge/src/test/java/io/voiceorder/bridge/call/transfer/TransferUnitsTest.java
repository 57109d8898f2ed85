package io.voiceorder.bridge.call.transfer;

import io.voiceorder.bridge.call.CallRefusedException;
import io.voiceorder.bridge.call.DialPolicy;
import io.voiceorder.bridge.config.HostPort;
import io.voiceorder.bridge.config.PhoneNumbers;
import io.voiceorder.bridge.metrics.BridgeMetrics;
import io.voiceorder.bridge.config.Secret;
import io.voiceorder.bridge.sip.DigestCredentials;
import io.voiceorder.bridge.sip.SipFactories;
import org.junit.jupiter.api.Test;

import javax.sip.message.Request;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transfer's state machine, routing and guard, and the sipfrag of a NOTIFY (RFC 3420). */
class TransferUnitsTest {

    private static TransferRouter router(int maxPerHour, String... allowDial) {
        PhoneNumbers numbers = new PhoneNumbers(Optional.of("+33"));
        DialPolicy policy = new DialPolicy(List.of(allowDial), "sip.example.net", maxPerHour, numbers, Clock.systemUTC());
        return new TransferRouter(policy, new HostPort("sip.example.net", 5060), "", new BridgeMetrics("sip.example.net"));
    }

    /** Devices {@code ht841} (registered from 198.51.100.7:41234) and {@code fxs} (configured, not registered). */
    private static TransferRouter routerWithDevices(int maxPerHour, String... allowDial) {
        PhoneNumbers numbers = new PhoneNumbers(Optional.of("+33"));
        DialPolicy policy = new DialPolicy(List.of(allowDial), "sip.example.net", maxPerHour, numbers, Clock.systemUTC());
        DeviceDirectory devices = new DeviceDirectory() {
            @Override
            public boolean isDevice(String user) {
                return user.equals("ht841") || user.equals("fxs");
            }

            @Override
            public Optional<TransferTarget.DeviceLeg> binding(String user) {
                return user.equals("ht841")
                        ? Optional.of(new TransferTarget.DeviceLeg("ht841", "198.51.100.7", 41234,
                                new DigestCredentials("ht841", Secret.of("gw-pass"))))
                        : Optional.empty();
            }
        };
        return new TransferRouter(policy, new HostPort("sip.example.net", 5060), "", new BridgeMetrics("sip.example.net"), devices);
    }

    @Test
    void numbersGoTheWayTheCallCameIn() throws Exception {
        TransferRouter router = routerWithDevices(0, "+33");
        TransferTarget viaPeer = router.route("0612345678", TransferRoute.peer("192.0.2.5", 5060));
        assertThat(viaPeer.uri()).isEqualTo("sip:0612345678@192.0.2.5:5060");
        assertThat(viaPeer.viaTrunk()).isFalse();
        assertThat(viaPeer.device()).isNull();

        TransferTarget viaDevice = router.route("+33612345678", TransferRoute.device("ht841"));
        assertThat(viaDevice.uri()).isEqualTo("sip:+33612345678@198.51.100.7:41234");
        assertThat(viaDevice.device().user()).isEqualTo("ht841");
        assertThat(viaDevice.device().port()).isEqualTo(41234);

        assertThat(refusal(() -> router.route("+33612345678", TransferRoute.device("fxs"))))
                .as("a call's device that is no longer registered").isEqualTo(502);
        assertThat(refusal(() -> router.route("+447700900123", TransferRoute.peer("192.0.2.5", 5060))))
                .as("the toll-fraud guard holds on every route").isEqualTo(403);
    }

    @Test
    void aDeviceUserIsReachedThroughItsBindingWithoutTheDialGuard() throws Exception {
        TransferRouter router = routerWithDevices(1);
        TransferTarget device = router.route("ht841", TransferRoute.TRUNK);
        assertThat(device.uri()).isEqualTo("sip:ht841@198.51.100.7:41234");
        assertThat(device.shownDestination()).isEqualTo("ht841");
        assertThat(device.device().credentials().username()).isEqualTo("ht841");
        router.route("ht841", TransferRoute.TRUNK);
        router.route("ht841", TransferRoute.TRUNK);
        assertThat(device.viaTrunk()).isFalse();
        assertThat(refusal(() -> router.route("fxs", TransferRoute.TRUNK))).as("configured, not registered").isEqualTo(502);
        assertThat(refusal(() -> router.route("pbx", TransferRoute.TRUNK))).as("not a configured device").isEqualTo(400);
    }

    private static int refusal(ThrowingRoute route) {
        try {
            route.run();
        } catch (CallRefusedException e) {
            return e.httpStatus();
        }
        return 0;
    }

    private interface ThrowingRoute {
        void run() throws CallRefusedException;
    }

    @Test
    void statesMoveForwardOnlyAndEndOnce() {
        assertThat(TransferState.PENDING.canMoveTo(TransferState.ACCEPTED)).isTrue();
        assertThat(TransferState.ACCEPTED.canMoveTo(TransferState.RINGING)).isTrue();
        assertThat(TransferState.RINGING.canMoveTo(TransferState.SUCCEEDED)).isTrue();
        assertThat(TransferState.PENDING.canMoveTo(TransferState.RINGING)).as("a bridged leg skips accepted").isTrue();
        assertThat(TransferState.RINGING.canMoveTo(TransferState.ACCEPTED)).isFalse();
        assertThat(TransferState.SUCCEEDED.canMoveTo(TransferState.FAILED)).isFalse();
        assertThat(TransferState.FAILED.canMoveTo(TransferState.SUCCEEDED)).isFalse();
        assertThat(TransferState.FAILED.isFinal()).isTrue();
        assertThat(TransferState.ACCEPTED.json()).isEqualTo("accepted");
    }

    @Test
    void numbersGoToTheTrunkAsDialledAndSipUrisAsGiven() throws Exception {
        TransferRouter router = router(0, "+33", "sip:pbx.example.org");
        TransferTarget national = router.route(" 06 12 34 56 78 ", TransferRoute.TRUNK);
        assertThat(national.uri()).isEqualTo("sip:0612345678@sip.example.net");
        assertThat(national.shownDestination()).isEqualTo("+33612345678");
        assertThat(national.viaTrunk()).isTrue();
        assertThat(router.route("tel:+33612345678", TransferRoute.TRUNK).uri()).isEqualTo("sip:+33612345678@sip.example.net");
        TransferTarget pbx = router.route("sip:+33612345678@pbx.example.org", TransferRoute.TRUNK);
        assertThat(pbx.uri()).isEqualTo("sip:+33612345678@pbx.example.org");
        assertThat(pbx.viaTrunk()).isFalse();
        assertThat(router.route("sip:0612345678@sip.example.net:5060", TransferRoute.TRUNK).viaTrunk()).isTrue();
    }

    @Test
    void badForeignAndDeviceDestinationsAreRefusedInTheApisOrder() {
        TransferRouter router = router(0, "+33");
        assertThat(refusal(() -> router.route("", TransferRoute.TRUNK))).isEqualTo(400);
        assertThat(refusal(() -> router.route("not a number!", TransferRoute.TRUNK))).isEqualTo(400);
        assertThat(refusal(() -> router.route("+33" + "1".repeat(300), TransferRoute.TRUNK))).isEqualTo(400);
        assertThatThrownBy(() -> router.route("ht841", TransferRoute.TRUNK)).isInstanceOf(CallRefusedException.class)
                .hasMessageContaining("not a configured device");
        assertThat(refusal(() -> router.route("+447700900123", TransferRoute.TRUNK))).isEqualTo(403);
        assertThat(refusal(() -> router.route("sip:+33612345678@elsewhere.example.com", TransferRoute.TRUNK))).isEqualTo(403);
    }

    @Test
    void theHourlyCapCountsOnlyAllowedAttempts() throws Exception {
        TransferRouter router = router(1, "+33");
        assertThat(refusal(() -> router.route("+447700900123", TransferRoute.TRUNK))).isEqualTo(403);
        router.route("+33612345678", TransferRoute.TRUNK);
        try {
            router.route("+33612345678", TransferRoute.TRUNK);
        } catch (CallRefusedException e) {
            assertThat(e.httpStatus()).isEqualTo(429);
            assertThat(e.code()).isEqualTo("hourly_cap");
            assertThat(e.retryAfterSec()).isPresent();
            return;
        }
        throw new AssertionError("the second attempt within the hour should be capped");
    }

    @Test
    void theSipfragStatusLineGivesTheFarEndsCode() throws Exception {
        assertThat(ReferTransfer.sipfragStatus(notify("SIP/2.0 100 Trying\r\n"))).hasValue(100);
        assertThat(ReferTransfer.sipfragStatus(notify("SIP/2.0 200 OK\r\nContact: <sip:a@b>\r\n"))).hasValue(200);
        assertThat(ReferTransfer.sipfragStatus(notify("SIP/2.0 486 Busy Here"))).hasValue(486);
        assertThat(ReferTransfer.sipfragStatus(notify("garbage"))).isEmpty();
        assertThat(ReferTransfer.sipfragStatus(notify(""))).isEmpty();
    }

    private static Request notify(String body) throws Exception {
        String text = "NOTIFY sip:bridge@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=a\r\nTo: <sip:bridge@127.0.0.1>;tag=b\r\n"
                + "Call-ID: c1\r\nCSeq: 2 NOTIFY\r\nMax-Forwards: 70\r\nEvent: refer\r\n"
                + "Content-Type: message/sipfrag;version=2.0\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        return SipFactories.MESSAGES.createRequest(text);
    }
}
