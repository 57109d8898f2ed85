package io.voiceorder.bridge.sdp;

import java.util.Locale;

/**
 * Offer/answer decisions (RFC 3264, bridge.md §6.1): the first usable audio m= line, one codec —
 * the current one on a re-offer when still offered, else PCMU, else PCMA — telephone-event at 8000 Hz
 * with the remote's payload type, and the direction that answers the remote's.
 */
public final class OfferAnswer {
    public static final String TELEPHONE_EVENT = "telephone-event/8000";

    private OfferAnswer() {
    }

    /**
     * Chooses what to answer to a remote offer.
     * @param current the codec already in use (re-INVITE), or null
     * @throws SdpException 488 when nothing acceptable is offered, 400 when the SDP lacks an address
     */
    public static Negotiated answerOffer(SessionDescription offer, Codec current) throws SdpException {
        int index = usableAudio(offer);
        MediaDescription m = offer.media().get(index);
        Codec codec = null;
        int payloadType = -1;
        if (current != null) {
            payloadType = payloadTypeOf(m, current);
            codec = payloadType >= 0 ? current : null;
        }
        for (Codec candidate : Codec.values()) {
            if (codec == null) {
                payloadType = payloadTypeOf(m, candidate);
                codec = payloadType >= 0 ? candidate : null;
            }
        }
        if (codec == null) {
            throw new SdpException(488, "no common codec (PCMU or PCMA) offered");
        }
        return negotiated(index, m, codec, payloadType, m.direction().answerTo());
    }

    /**
     * Reads the remote answer to our offer: its first codec we support.
     * @throws SdpException 488 when the answer holds no usable audio or codec
     */
    public static Negotiated readAnswer(SessionDescription answer) throws SdpException {
        int index = usableAudio(answer);
        MediaDescription m = answer.media().get(index);
        for (String format : m.formats()) {
            int pt = parsePayloadType(format);
            Codec codec = codecOf(m.encodingOf(pt));
            if (codec != null) {
                // The answerer's direction is from its side: ours is its mirror.
                return negotiated(index, m, codec, pt, m.direction().answerTo());
            }
        }
        throw new SdpException(488, "the answer holds no PCMU or PCMA");
    }

    private static Negotiated negotiated(int index, MediaDescription m, Codec codec, int payloadType, Direction direction)
            throws SdpException {
        if (m.connection() == null) {
            throw new SdpException(400, "no c= address for the audio stream");
        }
        int telephoneEvent = -1;
        for (String format : m.formats()) {
            int pt = parsePayloadType(format);
            String encoding = m.encodingOf(pt);
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).equals(TELEPHONE_EVENT)) {
                telephoneEvent = pt;
                break;
            }
        }
        Direction ours = m.connection().equals("0.0.0.0") ? Direction.INACTIVE : direction;
        int rtcpPort = m.rtcpPort() > 0 ? m.rtcpPort() : m.port() + 1;
        return new Negotiated(index, codec, payloadType, telephoneEvent, m.connection(), m.port(), rtcpPort, ours);
    }

    private static int usableAudio(SessionDescription sdp) throws SdpException {
        boolean secureOnly = false;
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription m = sdp.media().get(i);
            if (!m.media().equalsIgnoreCase("audio") || m.port() == 0) {
                continue;
            }
            if (m.proto().equalsIgnoreCase("RTP/AVP")) {
                return i;
            }
            if (m.proto().toUpperCase(Locale.ROOT).contains("SAVP")) {
                secureOnly = true;
            }
        }
        throw new SdpException(488, secureOnly ? "only secure RTP (RTP/SAVP) offered" : "no RTP/AVP audio stream");
    }

    private static int payloadTypeOf(MediaDescription m, Codec codec) {
        for (String format : m.formats()) {
            int pt = parsePayloadType(format);
            if (codec == codecOf(m.encodingOf(pt))) {
                return pt;
            }
        }
        return -1;
    }

    private static Codec codecOf(String encoding) {
        if (encoding == null) {
            return null;
        }
        String e = encoding.toUpperCase(Locale.ROOT);
        // Encoding name, clock rate, optional channel count 1.
        for (Codec c : Codec.values()) {
            String base = c.encodingName() + "/" + Codec.CLOCK_RATE;
            if (e.equals(base) || e.equals(base + "/1")) {
                return c;
            }
        }
        return null;
    }

    private static int parsePayloadType(String format) {
        try {
            int pt = Integer.parseInt(format);
            return pt >= 0 && pt <= 127 ? pt : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
