package io.voiceorder.bridge.support;

import io.voiceorder.bridge.media.MediaEngine;
import io.voiceorder.bridge.media.MediaLeg;
import io.voiceorder.bridge.media.MediaSettings;
import io.voiceorder.bridge.media.StreamStart;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One call's media under test: a MediaEngine on 127.0.0.1, a stand-in serve, an RTP peer, and a leg
 * answered to the peer's offer. Everything it starts, it stops.
 */
public final class LegHarness implements AutoCloseable {
    public static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";

    public final FakeServe serve;
    public final RtpPeer peer;
    public final MediaEngine engine;
    public final RecordingListener listener = new RecordingListener();
    public final String sid = UUID.randomUUID().toString();
    public MediaLeg leg;

    private LegHarness(FakeServe serve, MediaSettings settings) throws Exception {
        this(serve, settings, null);
    }

    private LegHarness(FakeServe serve, MediaSettings settings, io.voiceorder.bridge.nat.NatTraversal nat) throws Exception {
        this.serve = serve;
        this.peer = RtpPeer.open();
        this.engine = new MediaEngine(settings, nat);
    }

    /** Default settings, with per-call STUN/TURN. */
    public static LegHarness start(io.voiceorder.bridge.nat.NatTraversal nat) throws Exception {
        FakeServe serve = FakeServe.start();
        return new LegHarness(serve, settings(serve.uri()), nat);
    }

    /** Default settings: PCMU preferred, 200 ms jitter buffer, no gains, no VAD, no RTP timeout. */
    public static MediaSettings settings(URI target) {
        return settings(target, 0.0, 0.0, false, 0, null);
    }

    public static MediaSettings settings(URI target, double rxGain, double txGain, boolean vad, int rtpTimeout, String secret) {
        int low = 20000 + 2 * java.util.concurrent.ThreadLocalRandom.current().nextInt(10000);
        // A deep jitter buffer (200 ms) so a test's sender stalled by a loaded machine still delivers every frame.
        return new MediaSettings("127.0.0.1", null, low, low + 199, 200, rxGain, txGain, vad, rtpTimeout, 0, target,
                secret, null, ACCOUNT_SID);
    }

    public static LegHarness start() throws Exception {
        FakeServe serve = FakeServe.start();
        return new LegHarness(serve, settings(serve.uri()));
    }

    public static LegHarness start(java.util.function.Function<URI, MediaSettings> settings) throws Exception {
        FakeServe serve = FakeServe.start();
        return new LegHarness(serve, settings.apply(serve.uri()));
    }

    /** Opens the leg, answers the peer's offer, connects the stream and starts media. */
    public LegHarness answeredCall(String codecs) throws Exception {
        leg = engine.openLeg(sid);
        leg.answer(peer.offer(codecs), "127.0.0.1");
        leg.connectStream(streamStart(), listener).get(3, TimeUnit.SECONDS);
        leg.startMedia();
        return this;
    }

    public static StreamStart streamStart() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("restaurantId", "r1");
        return new StreamStart("+33612345678", "inbound", "+33972360682", params);
    }

    /** Sends PCMU/PCMA frames from the peer, one every 20 ms, on a real-time schedule. */
    public void sendFrames(int pt, byte[] audio, int firstSeq, long firstTs, long ssrc) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i * 160 < audio.length; i++) {
            byte[] frame = java.util.Arrays.copyOfRange(audio, i * 160, Math.min(audio.length, (i + 1) * 160));
            peer.send(RtpPeer.rtp(pt, i == 0, (firstSeq + i) & 0xFFFF, (firstTs + 160L * i) & 0xFFFFFFFFL, ssrc, frame),
                    leg.localRtpPort());
            long next = t0 + (i + 1) * 20_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (leg != null) {
            leg.close();
        }
        engine.close();
        peer.close();
        serve.close();
    }
}
