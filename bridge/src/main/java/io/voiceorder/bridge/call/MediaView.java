package io.voiceorder.bridge.call;

import io.voiceorder.bridge.media.MediaLegStats;

import java.util.LinkedHashMap;
import java.util.Map;

/** The call object's {@code media} (bridge.md §3.1) from the media side's per-call statistics. */
final class MediaView {
    private MediaView() {
    }

    static Map<String, Object> of(MediaLegStats s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("codec", s.codec());
        m.put("local", s.local());
        m.put("remote", s.remote());
        m.put("relayed", s.relayed());
        m.put("rtpIn", s.rtpIn());
        m.put("rtpOut", s.rtpOut());
        m.put("lostIn", s.lostIn());
        m.put("lateIn", s.lateIn());
        m.put("plcFrames", s.plcFrames());
        m.put("jitterMs", s.jitterMs());
        m.put("remoteLossFraction", s.remoteLossFraction());
        m.put("remoteJitterMs", s.remoteJitterMs());
        m.put("rttMs", s.rttMs());
        m.put("paceGapP99Ms", s.paceGapP99Ms());
        m.put("underflowFrames", s.underflowFrames());
        m.put("dtmfIn", s.dtmfIn());
        m.put("dtmfOut", s.dtmfOut());
        m.put("marksEchoed", s.marksEchoed());
        m.put("clears", s.clears());
        m.put("discardedMs", s.discardedMs());
        m.put("erleDb", s.erleDb());
        return m;
    }
}
