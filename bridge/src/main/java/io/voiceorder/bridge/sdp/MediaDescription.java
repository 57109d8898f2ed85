package io.voiceorder.bridge.sdp;

import java.util.List;
import java.util.Map;

/**
 * One m= section of a received SDP.
 * @param connection the effective c= address (media level, else session level), null if none
 * @param rtpmaps payload type → encoding as written in a=rtpmap (e.g. {@code telephone-event/8000})
 * @param direction effective direction (media level, else session level, else sendrecv)
 * @param rtcpPort the a=rtcp port, or 0 when absent (then port + 1)
 */
public record MediaDescription(String media, int port, String proto, List<String> formats, String connection,
                               Map<Integer, String> rtpmaps, Direction direction, int rtcpPort) {

    /** Encoding name/rate of a payload type, from a=rtpmap or the static assignments of RFC 3551. */
    public String encodingOf(int payloadType) {
        String mapped = rtpmaps.get(payloadType);
        if (mapped != null) {
            return mapped;
        }
        return switch (payloadType) {
            case 0 -> "PCMU/8000";
            case 8 -> "PCMA/8000";
            case 13 -> "CN/8000";
            default -> null;
        };
    }
}
