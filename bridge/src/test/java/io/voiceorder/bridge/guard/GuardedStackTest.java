package io.voiceorder.bridge.guard;

import io.voiceorder.bridge.sip.SipEndpoint;
import io.voiceorder.bridge.support.UdpSipProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sip.message.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guard inside a real JAIN-SIP stack on loopback: what reaches the application, what is answered 400 by the
 * hooks, what gets nothing. 127.0.0.1 is the known source here, 127.0.0.5 and up unknown ones.
 */
class GuardedStackTest {
    private static final Duration SETTLE = Duration.ofMillis(800);

    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<UdpSipProbe> probes = new ArrayList<>();
    private SourceGuard guard;
    private SipEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        guard = new SourceGuard(Set.of("127.0.0.1")::contains, Clock.systemUTC(),
                (verdict, invite) -> dropped.add(verdict.reason()));
        endpoint = SipEndpoint.start("127.0.0.1", 0, "udp", "127.0.0.1", false, List.of(), guard);
        endpoint.onRequests(event -> {
            Request request = event.getRequest();
            delivered.add(request.getMethod() + " " + ((javax.sip.header.CallIdHeader) request.getHeader("Call-ID")).getCallId());
            if (request.getHeader("X-Fail") != null) {
                throw new IllegalStateException("a bug in one message's handling");
            }
            if (!request.getMethod().equals(Request.ACK)) {
                endpoint.respond(event, null, endpoint.response(200, request));
            }
        });
    }

    @AfterEach
    void stop() {
        probes.forEach(UdpSipProbe::close);
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private UdpSipProbe probe(String ip) throws Exception {
        UdpSipProbe probe = new UdpSipProbe(ip, endpoint.localPort());
        probes.add(probe);
        return probe;
    }

    private static String withHeader(String message, String header) {
        return message.replaceFirst("\r\nMax-Forwards: 70\r\n", "\r\nMax-Forwards: 70\r\n" + header + "\r\n");
    }

    private static List<Integer> awaitAnswer(UdpSipProbe probe, String callId) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !probe.statusesFor(callId).isEmpty());
        return probe.statusesFor(callId);
    }

    @Test
    void ordinaryRequestsPassFromKnownAndUnknownSources() throws Exception {
        UdpSipProbe known = probe("127.0.0.1");
        UdpSipProbe stranger = probe("127.0.0.5");
        known.send(known.request("OPTIONS", "k1", "Asterisk"));
        stranger.send(stranger.request("OPTIONS", "s1", "Linphone"));

        assertThat(awaitAnswer(known, "k1")).containsExactly(200);
        assertThat(awaitAnswer(stranger, "s1")).containsExactly(200);
        assertThat(dropped).isEmpty();
    }

    @Test
    void aScannerUserAgentFromAnUnknownSourceGetsNothingAndNeverReachesTheApplication() throws Exception {
        UdpSipProbe scanner = probe("127.0.0.6");
        UdpSipProbe known = probe("127.0.0.1");
        scanner.send(scanner.request("INVITE", "scan1", "friendly-scanner"));
        scanner.send(scanner.request("OPTIONS", "scan2", "SIPVicious 0.3"));
        known.send(known.request("OPTIONS", "k-scanner-ua", "sipcli/1.8"));

        assertThat(awaitAnswer(known, "k-scanner-ua")).as("a known source is not judged by its User-Agent").containsExactly(200);
        Thread.sleep(SETTLE.toMillis());
        assertThat(scanner.received()).isEmpty();
        assertThat(delivered).containsExactly("OPTIONS k-scanner-ua");
        assertThat(dropped).containsExactly("scanner", "scanner");
    }

    @Test
    void anUnknownSourceBeyondItsBucketGetsNothing() throws Exception {
        UdpSipProbe stranger = probe("127.0.0.7");
        for (int i = 0; i < 40; i++) {
            stranger.send(stranger.request("OPTIONS", "b" + i, "plain"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> dropped.size() + stranger.received().size() >= 40);
        Thread.sleep(SETTLE.toMillis());
        assertThat(stranger.received().size()).as("20 in the bucket, a few refilled meanwhile").isBetween(20, 26);
        assertThat(dropped).allMatch("rate_limited"::equals);
    }

    @Test
    void aBannedSourceGetsNothingEvenWhenKnown() throws Exception {
        for (int i = 0; i < SourceGuard.AUTH_FAILURES; i++) {
            guard.authenticationFailed("127.0.0.1");
        }
        UdpSipProbe known = probe("127.0.0.1");
        known.send(known.request("OPTIONS", "banned1", "Asterisk"));
        Thread.sleep(SETTLE.toMillis());
        assertThat(known.received()).isEmpty();
        assertThat(dropped).containsExactly("banned");
    }

    @Test
    void moreThanFiftyViasAreAnswered400() throws Exception {
        UdpSipProbe known = probe("127.0.0.1");
        StringBuilder vias49 = new StringBuilder();
        for (int i = 0; i < 49; i++) {
            vias49.append("Via: SIP/2.0/UDP proxy").append(i).append(".example.com;branch=z9hG4bKv").append(i).append("\r\n");
        }
        // the probe's own Via stays on top, the others follow it
        String fifty = known.request("OPTIONS", "via50", "x").replaceFirst("(Via: [^\r]*\r\n)", "$1" + vias49);
        String fiftyOne = known.request("OPTIONS", "via51", "x").replaceFirst("(Via: [^\r]*\r\n)",
                "$1" + vias49 + "Via: SIP/2.0/UDP proxy49.example.com;branch=z9hG4bKv49\r\n");
        known.send(fifty);
        known.send(fiftyOne);

        assertThat(awaitAnswer(known, "via50")).containsExactly(200);
        assertThat(awaitAnswer(known, "via51")).containsExactly(400);
        assertThat(delivered).noneMatch(d -> d.endsWith("via51"));
        assertThat(dropped).containsExactly("malformed");
    }

    @Test
    void anSdpOver16KiBAndAHeaderLineOver8KiBAreAnswered400() throws Exception {
        UdpSipProbe known = probe("127.0.0.1");
        String big = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
                + ("a=x-padding:" + "p".repeat(500) + "\r\n").repeat(34);
        String invite = known.request("INVITE", "bigsdp", "x");
        String header = invite.substring(0, invite.indexOf("\r\n\r\n"));
        invite = header.replaceFirst("Content-Length: \\d+", "Content-Length: " + big.length()) + "\r\n\r\n" + big;
        assertThat(big.length()).isGreaterThan(SipHygiene.MAX_SDP);
        known.send(invite);
        known.send(withHeader(known.request("OPTIONS", "longline", "x"), "Subject: " + "s".repeat(9000)));
        known.send(withHeader(known.request("OPTIONS", "shortline", "x"), "Subject: " + "s".repeat(8000)));

        assertThat(awaitAnswer(known, "bigsdp")).containsExactly(400);
        assertThat(awaitAnswer(known, "longline")).containsExactly(400);
        assertThat(awaitAnswer(known, "shortline")).containsExactly(200);
        assertThat(delivered).containsExactly("OPTIONS shortline");
    }

    @Test
    void anExceptionWhileHandlingOneMessageIsAnswered500AndTheNextIsServed() throws Exception {
        UdpSipProbe known = probe("127.0.0.1");
        known.send(withHeader(known.request("OPTIONS", "boom", "x"), "X-Fail: yes"));
        assertThat(awaitAnswer(known, "boom")).containsExactly(500);
        known.send(known.request("OPTIONS", "after", "x"));
        assertThat(awaitAnswer(known, "after")).containsExactly(200);
    }

    @Test
    void garbageIsCountedMalformedAndNeverReachesTheApplication() throws Exception {
        UdpSipProbe known = probe("127.0.0.1");
        known.send("this is not SIP at all\r\n\r\n");
        known.send(known.request("OPTIONS", "truncated", "x").substring(0, 120));
        known.send(known.request("OPTIONS", "fine", "x"));
        assertThat(awaitAnswer(known, "fine")).containsExactly(200);
        Thread.sleep(SETTLE.toMillis());
        assertThat(delivered).containsExactly("OPTIONS fine");
        assertThat(dropped).hasSize(2).allMatch("malformed"::equals);
    }
}
