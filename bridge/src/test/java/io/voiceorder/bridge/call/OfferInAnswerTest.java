package io.voiceorder.bridge.call;

import io.voiceorder.bridge.sip.SipFactories;
import org.junit.jupiter.api.Test;

import javax.sip.message.Request;

import static org.assertj.core.api.Assertions.assertThat;

/** Which ACK carries the answer to the offer our 200 made to an offerless re-INVITE (bridge.md §5.4). */
class OfferInAnswerTest {
    @Test
    void onlyTheAckOfThatReInviteCarriesTheAnswerAndOnlyOnce() throws Exception {
        OfferInAnswer pending = new OfferInAnswer();
        assertThat(pending.answeredBy(request("ACK", 1))).as("no offer made yet").isFalse();

        pending.offered(request("INVITE", 3));
        assertThat(pending.answeredBy(request("ACK", 1))).as("a late ACK of the first INVITE").isFalse();
        assertThat(pending.answeredBy(request("ACK", 3))).isTrue();
        assertThat(pending.answeredBy(request("ACK", 3))).as("a repeated ACK: already answered").isFalse();
    }

    private static Request request(String method, long cseq) throws Exception {
        String text = method + " sip:bridge@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-" + method + cseq + "\r\n"
                + "From: <sip:caller@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:bridge@127.0.0.1>;tag=b2\r\n"
                + "Call-ID: offer-in-answer@127.0.0.1\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
        return SipFactories.MESSAGES.createRequest(text);
    }
}
