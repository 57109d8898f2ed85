package io.voiceorder.bridge.sdp;

/**
 * The outcome of one offer/answer for the call's audio.
 * @param mediaIndex index of the m= line used
 * @param payloadType the RTP payload type of the codec in both directions
 * @param telephoneEventPayloadType RFC 4733 payload type, or -1 when not negotiated
 * @param remoteAddress the remote c= address (IPv4 literal or host name)
 * @param remoteRtcpPort the remote RTCP port (a=rtcp, else RTP port + 1)
 * @param direction our direction for this session
 */
public record Negotiated(int mediaIndex, Codec codec, int payloadType, int telephoneEventPayloadType,
                         String remoteAddress, int remotePort, int remoteRtcpPort, Direction direction) {
    public boolean hasTelephoneEvent() {
        return telephoneEventPayloadType >= 0;
    }

    /** Held by the remote party with c=0.0.0.0 (RFC 2543 style) or a=inactive/sendonly. */
    public boolean onHold() {
        return direction != Direction.SENDRECV;
    }
}
