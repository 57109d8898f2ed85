package io.voiceorder.bridge.sip;

import org.junit.jupiter.api.Test;

import javax.sip.message.Request;

import static org.assertj.core.api.Assertions.assertThat;

/** Identities, DTMF in INFO and Require handling, on parsed SIP requests. */
class SipMessagesTest {
    private static Request parse(String headers, String contentType, String body) throws Exception {
        String text = headers.replace("\n", "\r\n")
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        return SipFactories.MESSAGES.createRequest(text);
    }

    private static String invite(String extra) {
        return "INVITE sip:0033972360682@127.0.0.1:5060 SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-1\n"
                + "From: \"Jean\" <sip:0145678901@trunk.example;user=phone>;tag=a1\n"
                + "To: <sip:0033972360682@127.0.0.1>\n"
                + "Call-ID: c1@127.0.0.1\nCSeq: 1 INVITE\nMax-Forwards: 69\n" + extra;
    }

    @Test
    void theCallerIsTheAssertedIdentityElseTheFromUser() throws Exception {
        assertThat(SipMessages.callerOf(parse(invite(""), null, ""))).isEqualTo("0145678901");
        assertThat(SipMessages.callerOf(parse(invite("P-Asserted-Identity: \"Jean\" <sip:+33674911383@trunk.example>\n"), null, "")))
                .isEqualTo("+33674911383");
        assertThat(SipMessages.callerOf(parse(invite("P-Asserted-Identity: <tel:+33674911383;cpc=ordinary>\n"), null, "")))
                .isEqualTo("+33674911383");
        assertThat(SipMessages.calledOf(parse(invite(""), null, ""))).isEqualTo("0033972360682");
    }

    @Test
    void requireOtherThanReplacesAndReliableProvisionalsIsUnsupported() throws Exception {
        assertThat(SipMessages.unsupportedRequire(parse(invite("Require: replaces\n"), null, ""))).isEmpty();
        assertThat(SipMessages.unsupportedRequire(parse(invite("Require: timer\n"), null, ""))).hasValue("timer");
        assertThat(SipMessages.requires100rel(parse(invite("Require: 100rel\n"), null, ""))).isTrue();
    }

    @Test
    void digitsOfSipInfoInBothContentTypes() throws Exception {
        String info = "INFO sip:0033972360682@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-2\n"
                + "From: <sip:a@127.0.0.1>;tag=a\nTo: <sip:b@127.0.0.1>;tag=b\nCall-ID: c2@127.0.0.1\nCSeq: 2 INFO\nMax-Forwards: 70\n";
        assertThat(SipMessages.dtmfOf(parse(info, "application/dtmf-relay", "Signal=5\r\nDuration=160\r\n"))).hasValue('5');
        assertThat(SipMessages.dtmfOf(parse(info, "application/dtmf", "#"))).hasValue('#');
        assertThat(SipMessages.dtmfOf(parse(info, "application/sdp", "v=0\r\n"))).isEmpty();
    }
}
