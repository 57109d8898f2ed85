package io.voiceorder.bridge.sdp;

import java.util.List;

/**
 * Writes the call's SDP (bridge.md §6.1). One writer per call keeps the o= session id and bumps the
 * version only when the body changes (RFC 3264 §8).
 */
public final class SdpWriter {
    /** Payload type of telephone-event in our own offers. */
    public static final int OFFER_TELEPHONE_EVENT_PT = 101;

    private final long sessionId;
    private long version;
    private String lastBody;
    private String lastAddress;

    public SdpWriter(long sessionId) {
        this.sessionId = sessionId;
    }

    /** Our offer: PCMU, PCMA, telephone-event 101, ptime 20. */
    public synchronized String offer(String address, int port, Direction direction) {
        String body = "s=VoiceOrder\r\n"
                + "c=IN IP4 " + address + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 8 " + OFFER_TELEPHONE_EVENT_PT + "\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:" + OFFER_TELEPHONE_EVENT_PT + " telephone-event/8000\r\n"
                + "a=fmtp:" + OFFER_TELEPHONE_EVENT_PT + " 0-15\r\n"
                + "a=ptime:20\r\n"
                + direction.attribute() + "\r\n";
        return wrap(address, body);
    }

    /** Our answer: one audio codec on the chosen m= line, every other m= line refused with port 0. */
    public synchronized String answer(String address, int port, SessionDescription offer, Negotiated chosen) {
        StringBuilder body = new StringBuilder()
                .append("s=VoiceOrder\r\n")
                .append("c=IN IP4 ").append(address).append("\r\n")
                .append("t=0 0\r\n");
        List<MediaDescription> media = offer.media();
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            if (i != chosen.mediaIndex()) {
                String format = m.formats().isEmpty() ? "0" : m.formats().get(0);
                body.append("m=").append(m.media()).append(" 0 ").append(m.proto()).append(' ').append(format).append("\r\n");
                continue;
            }
            int pt = chosen.payloadType();
            int te = chosen.telephoneEventPayloadType();
            body.append("m=audio ").append(port).append(" RTP/AVP ").append(pt);
            if (te >= 0) {
                body.append(' ').append(te);
            }
            body.append("\r\n");
            body.append("a=rtpmap:").append(pt).append(' ').append(chosen.codec().label()).append("\r\n");
            if (te >= 0) {
                body.append("a=rtpmap:").append(te).append(" telephone-event/8000\r\n");
                body.append("a=fmtp:").append(te).append(" 0-15\r\n");
            }
            body.append("a=ptime:20\r\n");
            body.append(chosen.direction().attribute()).append("\r\n");
        }
        return wrap(address, body.toString());
    }

    /** The SDP last written, unchanged (same version): the current session; null before any. */
    public synchronized String current() {
        return lastBody == null ? null : wrap(lastAddress, lastBody);
    }

    private String wrap(String address, String body) {
        if (!body.equals(lastBody) || !address.equals(lastAddress)) {
            version++;
            lastBody = body;
            lastAddress = address;
        }
        return "v=0\r\n" + "o=VoiceOrder " + sessionId + " " + version + " IN IP4 " + address + "\r\n" + body;
    }
}
