package io.voiceorder.bridge.media;

import java.net.URI;

/**
 * Settings of the media side, taken from the bridge flags (bridge.md §2): where RTP binds and what
 * address SDP advertises, the RTP port range, jitter buffer, gains, VAD, RTP timeout, and the
 * WebSocket target with its signing secret.
 * @param advertisedAddress address written in SDP; null or blank = the bind address, or the local
 *                          address routing to the remote party when bound to the wildcard
 * @param mediaStreamSecret key of X-Twilio-Signature; null = unsigned upgrades
 * @param wsSignatureUrl URL the signature covers for the default target; null = the dialled URL
 * @param accountSid the {@code AC…} id naming this bridge in {@code start} and {@code stop}
 * @param pacerPriority {@code SCHED_FIFO} priority of the pacing thread (1-99), 0 = ordinary scheduling
 */
public record MediaSettings(String bindAddress, String advertisedAddress, int rtpPortMin, int rtpPortMax,
                            int jitterBufferMs, double rxGainDb, double txGainDb, boolean vad, int rtpTimeoutSec,
                            int pacerPriority, URI wsTarget, String mediaStreamSecret, String wsSignatureUrl, String accountSid) {

    public MediaSettings {
        if (rtpPortMin < 1 || rtpPortMax > 65535 || rtpPortMin >= rtpPortMax) {
            throw new IllegalArgumentException("--rtp-ports must be LOW-HIGH within 1-65535, got " + rtpPortMin + "-" + rtpPortMax);
        }
        if (jitterBufferMs < 20 || jitterBufferMs > 300) {
            throw new IllegalArgumentException("--jitter-buffer-ms must be 20-300, got " + jitterBufferMs);
        }
        if (rxGainDb < -24 || rxGainDb > 24 || txGainDb < -24 || txGainDb > 24) {
            throw new IllegalArgumentException("--rx-gain and --tx-gain must be -24 to +24 dB");
        }
        if (rtpTimeoutSec < 0) {
            throw new IllegalArgumentException("--rtp-timeout must be 0 (off) or more seconds");
        }
        if (pacerPriority < 0 || pacerPriority > 99) {
            throw new IllegalArgumentException("--pacer-priority must be 0 (ordinary scheduling) to 99, got " + pacerPriority);
        }
        if (wsTarget == null || !("ws".equals(wsTarget.getScheme()) || "wss".equals(wsTarget.getScheme()))) {
            throw new IllegalArgumentException("--ws-target must be a ws:// or wss:// URL");
        }
        if (accountSid == null || accountSid.isBlank()) {
            throw new IllegalArgumentException("accountSid is required");
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            bindAddress = "0.0.0.0";
        }
    }

    @Override
    public String toString() {
        // The secret never leaves this object in text form.
        return "MediaSettings[bind=" + bindAddress + ", advertised=" + advertisedAddress + ", rtp=" + rtpPortMin + "-"
                + rtpPortMax + ", jitterBufferMs=" + jitterBufferMs + ", rxGainDb=" + rxGainDb + ", txGainDb=" + txGainDb
                + ", vad=" + vad + ", rtpTimeoutSec=" + rtpTimeoutSec + ", pacerPriority=" + pacerPriority + ", wsTarget=" + wsTarget
                + ", mediaStreamSecret=" + (mediaStreamSecret == null || mediaStreamSecret.isEmpty() ? "not set" : "set")
                + ", wsSignatureUrl=" + wsSignatureUrl + ", accountSid=" + accountSid + "]";
    }
}
