package io.voiceorder.bridge.sdp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OfferAnswerTest {

    private static String offer(String mLine, String... attributes) {
        StringBuilder b = new StringBuilder("v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n")
                .append(mLine).append("\r\n");
        for (String a : attributes) {
            b.append(a).append("\r\n");
        }
        return b.toString();
    }

    private static Negotiated answer(String sdp) throws SdpException {
        return OfferAnswer.answerOffer(SessionDescription.parse(sdp), null);
    }

    @Test
    void pcmuIsPreferredWhateverTheOrderAndTelephoneEventKeepsTheOffersType() throws Exception {
        Negotiated n = answer(offer("m=audio 4000 RTP/AVP 8 0 96", "a=rtpmap:96 telephone-event/8000", "a=fmtp:96 0-16"));
        assertThat(n.codec()).isEqualTo(Codec.PCMU);
        assertThat(n.payloadType()).isZero();
        assertThat(n.telephoneEventPayloadType()).isEqualTo(96);
        assertThat(n.remoteAddress()).isEqualTo("198.51.100.7");
        assertThat(n.remotePort()).isEqualTo(4000);
        assertThat(n.remoteRtcpPort()).isEqualTo(4001);
        assertThat(n.direction()).isEqualTo(Direction.SENDRECV);
    }

    @Test
    void pcmaWhenPcmuIsAbsentAndTelephoneEventOnlyAt8000Hz() throws Exception {
        Negotiated n = answer(offer("m=audio 4000 RTP/AVP 8 97", "a=rtpmap:97 telephone-event/16000"));
        assertThat(n.codec()).isEqualTo(Codec.PCMA);
        assertThat(n.hasTelephoneEvent()).isFalse();
    }

    @Test
    void dynamicPayloadTypeForAG711CodecIsUnderstood() throws Exception {
        Negotiated n = answer(offer("m=audio 4000 RTP/AVP 112", "a=rtpmap:112 pcmu/8000/1"));
        assertThat(n.codec()).isEqualTo(Codec.PCMU);
        assertThat(n.payloadType()).isEqualTo(112);
    }

    @Test
    void unacceptableOffers() {
        assertThatThrownBy(() -> answer(offer("m=audio 4000 RTP/AVP 18", "a=rtpmap:18 G729/8000")))
                .isInstanceOf(SdpException.class).extracting("sipStatus").isEqualTo(488);
        assertThatThrownBy(() -> answer(offer("m=audio 4000 RTP/SAVP 0", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x")))
                .isInstanceOf(SdpException.class).hasMessageContaining("RTP/SAVP").extracting("sipStatus").isEqualTo(488);
        assertThatThrownBy(() -> answer(offer("m=video 4000 RTP/AVP 96")))
                .isInstanceOf(SdpException.class).extracting("sipStatus").isEqualTo(488);
        assertThatThrownBy(() -> answer("v=0\r\nm=audio 4000 RTP/AVP 0\r\n"))
                .isInstanceOf(SdpException.class).extracting("sipStatus").isEqualTo(400);
        assertThatThrownBy(() -> answer("v=0\r\nc=IN IP6 ::1\r\nm=audio 4000 RTP/AVP 0\r\n"))
                .isInstanceOf(SdpException.class).extracting("sipStatus").isEqualTo(488);
        assertThatThrownBy(() -> SessionDescription.parse("hello")).isInstanceOf(SdpException.class)
                .extracting("sipStatus").isEqualTo(400);
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\na=" + "x".repeat(17000)))
                .isInstanceOf(SdpException.class).extracting("sipStatus").isEqualTo(400);
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nm=audio port RTP/AVP 0\r\n"))
                .isInstanceOf(SdpException.class).extracting("sipStatus").isEqualTo(400);
    }

    @Test
    void directionsAndHold() throws Exception {
        assertThat(answer(offer("m=audio 4000 RTP/AVP 0", "a=sendonly")).direction()).isEqualTo(Direction.RECVONLY);
        assertThat(answer(offer("m=audio 4000 RTP/AVP 0", "a=recvonly")).direction()).isEqualTo(Direction.SENDONLY);
        assertThat(answer(offer("m=audio 4000 RTP/AVP 0", "a=inactive")).direction()).isEqualTo(Direction.INACTIVE);
        assertThat(answer(offer("m=audio 4000 RTP/AVP 0").replace("c=IN IP4 198.51.100.7", "c=IN IP4 0.0.0.0"))
                .direction()).isEqualTo(Direction.INACTIVE);
        String sessionLevel = offer("m=audio 4000 RTP/AVP 0").replace("t=0 0\r\n", "t=0 0\r\na=sendonly\r\n");
        assertThat(answer(sessionLevel).direction()).isEqualTo(Direction.RECVONLY);
    }

    @Test
    void reofferKeepsTheCurrentCodecWhileItIsStillOffered() throws Exception {
        SessionDescription both = SessionDescription.parse(offer("m=audio 4000 RTP/AVP 0 8"));
        assertThat(OfferAnswer.answerOffer(both, Codec.PCMA).codec()).isEqualTo(Codec.PCMA);
        SessionDescription onlyU = SessionDescription.parse(offer("m=audio 4000 RTP/AVP 0"));
        assertThat(OfferAnswer.answerOffer(onlyU, Codec.PCMA).codec()).isEqualTo(Codec.PCMU);
    }

    @Test
    void firstUsableAudioLineAndRtcpAttribute() throws Exception {
        String sdp = offer("m=video 5000 RTP/AVP 96") + "m=audio 0 RTP/AVP 0\r\nm=audio 6000 RTP/AVP 8\r\na=rtcp:6010\r\n"
                + "c=IN IP4 198.51.100.9\r\n";
        Negotiated n = answer(sdp);
        assertThat(n.mediaIndex()).isEqualTo(2);
        assertThat(n.remoteAddress()).isEqualTo("198.51.100.9");
        assertThat(n.remoteRtcpPort()).isEqualTo(6010);
    }

    @Test
    void readingTheAnswerToOurOffer() throws Exception {
        Negotiated n = OfferAnswer.readAnswer(SessionDescription.parse(offer("m=audio 4000 RTP/AVP 8 101",
                "a=rtpmap:101 telephone-event/8000", "a=recvonly")));
        assertThat(n.codec()).isEqualTo(Codec.PCMA);
        assertThat(n.telephoneEventPayloadType()).isEqualTo(101);
        assertThat(n.direction()).isEqualTo(Direction.SENDONLY);
        assertThatThrownBy(() -> OfferAnswer.readAnswer(SessionDescription.parse(offer("m=audio 4000 RTP/AVP 18"))))
                .isInstanceOf(SdpException.class).extracting("sipStatus").isEqualTo(488);
    }
}
