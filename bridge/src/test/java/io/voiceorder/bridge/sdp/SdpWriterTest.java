package io.voiceorder.bridge.sdp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SdpWriterTest {

    @Test
    void offerIsTheSpecsOffer() {
        String sdp = new SdpWriter(1730000000L).offer("203.0.113.10", 10042, Direction.SENDRECV);
        assertThat(sdp).isEqualTo("v=0\r\n"
                + "o=VoiceOrder 1730000000 1 IN IP4 203.0.113.10\r\n"
                + "s=VoiceOrder\r\n"
                + "c=IN IP4 203.0.113.10\r\n"
                + "t=0 0\r\n"
                + "m=audio 10042 RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n");
    }

    @Test
    void answerHasOneCodecRefusesOtherLinesAndBumpsTheVersionOnlyOnChange() throws Exception {
        SessionDescription offer = SessionDescription.parse("v=0\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\nm=video 5000 RTP/AVP 97\r\n");
        Negotiated n = OfferAnswer.answerOffer(offer, null);
        SdpWriter writer = new SdpWriter(7);
        String answer = writer.answer("192.0.2.1", 10042, offer, n);
        assertThat(answer).contains("o=VoiceOrder 7 1 IN IP4 192.0.2.1\r\n")
                .contains("m=audio 10042 RTP/AVP 0 96\r\n")
                .contains("a=rtpmap:0 PCMU/8000\r\n")
                .contains("a=rtpmap:96 telephone-event/8000\r\n")
                .contains("a=ptime:20\r\n")
                .contains("a=sendrecv\r\n")
                .contains("m=video 0 RTP/AVP 97\r\n")
                .doesNotContain("PCMA").doesNotContain("rtcp-mux").doesNotContain("candidate").doesNotContain("crypto");
        assertThat(writer.answer("192.0.2.1", 10042, offer, n)).contains(" 7 1 IN IP4");
        SessionDescription hold = SessionDescription.parse("v=0\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n");
        assertThat(writer.answer("192.0.2.1", 10042, hold, OfferAnswer.answerOffer(hold, Codec.PCMU)))
                .contains(" 7 2 IN IP4").contains("a=recvonly");
    }
}
