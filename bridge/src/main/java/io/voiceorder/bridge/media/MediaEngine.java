package io.voiceorder.bridge.media;

import io.voiceorder.bridge.nat.CallNat;
import io.voiceorder.bridge.nat.NatSettings;
import io.voiceorder.bridge.nat.NatTraversal;
import io.voiceorder.bridge.rtp.DatagramReceiver;
import io.voiceorder.bridge.rtp.Pacer;
import io.voiceorder.bridge.rtp.PortAllocator;
import io.voiceorder.bridge.rtp.PortPair;
import io.voiceorder.bridge.stream.StreamClient;
import io.voiceorder.bridge.stream.StreamMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The media side of the process: the RTP port pool, the single pacing scheduler, the RTP receiver
 * thread and the stream client shared by every call.
 */
public final class MediaEngine implements AutoCloseable {
    /** Released ports stay unused this long, so stray packets of an ended call reach no other. */
    public static final long PORT_QUARANTINE_NANOS = 5_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(MediaEngine.class);

    private final MediaSettings settings;
    private final PortAllocator ports;
    private final Pacer pacer;
    private final DatagramReceiver receiver;
    private final StreamClient streamClient;
    private final StreamMetrics streamMetrics = new StreamMetrics();
    private final MediaCounters counters = new MediaCounters();
    // by identity: a bridged transfer's second leg shares its call's sid
    private final java.util.Set<MediaLeg> legs = ConcurrentHashMap.newKeySet();
    private final NatTraversal nat;
    private final InetAddress bind;

    public MediaEngine(MediaSettings settings) {
        this(settings, null);
    }

    /** @param nat per-call STUN/TURN (bridge.md §8); null = none. Closed with the engine. */
    public MediaEngine(MediaSettings settings, NatTraversal nat) {
        this.settings = settings;
        this.nat = nat;
        try {
            bind = InetAddress.getByName(settings.bindAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind-address is not an address of this host: " + settings.bindAddress(), e);
        }
        this.ports = new PortAllocator(bind, settings.rtpPortMin(), settings.rtpPortMax(), PORT_QUARANTINE_NANOS, System::nanoTime);
        this.streamClient = new StreamClient(settings.accountSid(), settings.mediaStreamSecret(), settings.wsTarget(),
                settings.wsSignatureUrl(), streamMetrics);
        this.pacer = new Pacer(settings.pacerPriority());
        this.receiver = new DatagramReceiver();
    }

    /** Allocates an RTP/RTCP port pair for one call. @throws PortsExhaustedException (→ SIP 503) */
    public MediaLeg openLeg(String callSid) throws PortsExhaustedException {
        PortPair pair;
        try {
            pair = ports.allocate();
        } catch (PortAllocator.NoFreePortException e) {
            new CallLog(LOG, callSid).warn("no RTP port: {}", e.getMessage());
            throw new PortsExhaustedException(e.getMessage());
        }
        CallNat callNat = null;
        if (nat != null) {
            try {
                callNat = nat.forCall(callSid, pair.rtp(), bind, pair.rtpPort()).orElse(null);
            } catch (java.net.SocketException e) {
                new CallLog(LOG, callSid).warn("no STUN/TURN for this call, host address used: {}", e.getMessage());
            }
        }
        MediaLeg leg = new MediaLeg(this, callSid, pair, callNat);
        legs.add(leg);
        receiver.register(pair.rtp(), leg::onRtp);
        receiver.register(pair.rtcp(), leg::onRtcp);
        leg.traverseNat();
        return leg;
    }

    /** Live legs, ports in use, pacer missed ticks, gap histogram, and the media counters. */
    public MediaEngineStats stats() {
        int pairsInUse = ports.pairsInUse();
        return new MediaEngineStats(legs.size(), settings.rtpPortMin() + "-" + settings.rtpPortMax(), 2 * pairsInUse,
                ports.capacity() - pairsInUse, pacer.missedTicks(), pacer.realtime(), counters.pacerGap.snapshot(),
                counters.jitter.snapshot(), counters.rtpIn.sum(), counters.rtpOut.sum(), counters.lost.sum(),
                counters.late.sum(), counters.foreign.sum(), counters.plc.sum(), counters.underflow.sum(),
                counters.marksEchoed.sum(), counters.clears.sum(), counters.discardedMs.sum(), counters.dtmfIn.sum(),
                counters.dtmfOut.sum(), streamMetrics.connects(), streamMetrics.disconnects(), streamMetrics.dropped(),
                streamMetrics.lastConnect());
    }

    @Override
    public void close() {
        for (MediaLeg leg : List.copyOf(legs)) {
            leg.close();
        }
        pacer.close();
        receiver.close();
        streamClient.close();
        if (nat != null) {
            nat.close();
        }
    }

    NatSettings natSettings() {
        return nat == null ? NatSettings.NONE : nat.settings();
    }

    MediaSettings settings() {
        return settings;
    }

    Pacer pacer() {
        return pacer;
    }

    StreamClient streamClient() {
        return streamClient;
    }

    MediaCounters counters() {
        return counters;
    }

    void release(MediaLeg leg, PortPair pair) {
        legs.remove(leg);
        ports.release(pair);
    }
}
