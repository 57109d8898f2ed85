package io.voiceorder.bridge.media;

import io.voiceorder.bridge.audio.G711;
import io.voiceorder.bridge.rtp.DtmfReceiver;
import io.voiceorder.bridge.rtp.GapHistogram;
import io.voiceorder.bridge.rtp.JitterBuffer;
import io.voiceorder.bridge.rtp.PortPair;
import io.voiceorder.bridge.rtp.ReceptionStats;
import io.voiceorder.bridge.rtp.Rtcp;
import io.voiceorder.bridge.rtp.RtpHeader;
import io.voiceorder.bridge.rtp.SymmetricLatch;
import io.voiceorder.bridge.rtp.TelephoneEvent;
import io.voiceorder.bridge.sdp.Codec;
import io.voiceorder.bridge.sdp.Negotiated;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The RTP side of one call: both sockets, latching (§6.3), the inbound jitter buffer, loss and
 * jitter (§6.4), RFC 4733 in, the outgoing RTP header state (§6.5) and basic RTCP (§6.8).
 * The receiver thread calls {@link #onRtp}/{@link #onRtcp}; the pacer calls the send side; both hold
 * this object's monitor. Sends are non-blocking: a full socket buffer drops the packet.
 */
final class RtpSession {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CN_PAYLOAD_TYPE = 13;
    private static final int MAX_AUDIO_PAYLOAD = 8000;
    private static final long RTCP_INTERVAL_NANOS = 5_000_000_000L;

    private final PortPair ports;
    private final CallLog log;
    private final MediaCounters counters;
    private final SymmetricLatch rtpLatch = new SymmetricLatch();
    private final SymmetricLatch rtcpLatch = new SymmetricLatch();
    private final JitterBuffer jitter;
    private final ReceptionStats reception = new ReceptionStats();
    private final DtmfReceiver dtmfIn;
    private final GapHistogram gaps = new GapHistogram();
    private final byte[] alawToUlaw = G711.alawToUlawTable();
    private final ByteBuffer out = ByteBuffer.allocate(RtpHeader.FIXED_LENGTH + 160);
    private final ByteBuffer rtcpOut = ByteBuffer.allocate(512);
    private final byte[] cname;
    private final long ssrc;

    private Negotiated negotiated;
    private boolean receiving;
    private int sequence;
    private long timestamp;
    private boolean firstPacketSent;
    private long lastSendNanos;
    private long lastRemoteSsrc = -1;
    private long lastRxNanos;
    private long nextRtcpNanos;
    private long packetsOut;
    private long octetsOut;
    private long packetsOutAtReport;
    private long lastSrMiddle;
    private long lastSrArrivalNanos;
    private long lostReported;
    private volatile long rtpIn;
    private volatile long lateIn;
    private volatile long foreign;
    private volatile long invalid;
    private volatile Double remoteLossFraction;
    private volatile Double remoteJitterMs;
    private volatile Long rttMs;

    RtpSession(PortPair ports, int jitterBufferMs, MediaCounters counters, DtmfReceiver.DigitSink digits, CallLog log) {
        this.log = log;
        this.ports = ports;
        this.counters = counters;
        this.jitter = new JitterBuffer(jitterBufferMs, G711.ULAW_SILENCE);
        this.dtmfIn = new DtmfReceiver(digits);
        this.ssrc = RANDOM.nextInt() & 0xFFFFFFFFL;
        this.sequence = RANDOM.nextInt(1 << 16);
        this.timestamp = RANDOM.nextInt() & 0xFFFFFFFFL;
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        this.cname = Rtcp.cname(HexFormat.of().formatHex(id) + "@voiceorder");
    }

    /** Applies an offer/answer outcome; a new remote address or port re-arms latching. */
    synchronized void configure(Negotiated n, InetAddress remote, InetAddress signallingSource) {
        this.negotiated = n;
        rtpLatch.arm(remote, n.remotePort(), signallingSource);
        rtcpLatch.arm(remote, n.remoteRtcpPort(), signallingSource);
    }

    synchronized Negotiated negotiated() {
        return negotiated;
    }

    /** From now on received audio goes to the jitter buffer (before: early media, dropped). */
    synchronized void startReceiving(long nowNanos) {
        receiving = true;
        lastRxNanos = nowNanos;
        nextRtcpNanos = nowNanos + randomisedInterval();
    }

    long ssrc() {
        return ssrc;
    }

    // ---- receive side (receiver thread) ----

    void onRtp(ByteBuffer datagram, InetSocketAddress source, long nowNanos) {
        RtpHeader h = RtpHeader.parse(datagram);
        synchronized (this) {
            Negotiated n = negotiated;
            if (h == null || n == null || !acceptable(h, n)) {
                invalid++;
                return;
            }
            InetSocketAddress before = rtpLatch.latched();
            if (!rtpLatch.accept(source, nowNanos)) {
                foreign++;
                counters.foreign.increment();
                return;
            }
            if (before != rtpLatch.latched()) {
                log.info("RTP latched to {}:{}", source.getAddress().getHostAddress(), source.getPort());
            }
            lastRxNanos = nowNanos;
            if (h.ssrc() != lastRemoteSsrc) {
                reception.reset();
                lastRemoteSsrc = h.ssrc();
            }
            if (!reception.onSequence(h.sequence())) {
                return;
            }
            rtpIn++;
            counters.rtpIn.increment();
            if (!receiving) {
                return;
            }
            if (h.payloadType() == n.telephoneEventPayloadType()) {
                TelephoneEvent event = TelephoneEvent.parse(datagram, h.payloadOffset(), h.payloadLength());
                if (event != null) {
                    dtmfIn.onPacket(h.ssrc(), h.timestamp(), event, nowNanos);
                }
            } else if (h.payloadType() == CN_PAYLOAD_TYPE) {
                jitter.comfortNoise(h.ssrc(), h.timestamp(), nowNanos);
            } else {
                reception.onArrival(h.timestamp(), nowNanos, Codec.CLOCK_RATE);
                byte[] converter = n.codec() == Codec.PCMA ? alawToUlaw : null;
                JitterBuffer.Insert result = jitter.insert(h.ssrc(), h.timestamp(), datagram.array(),
                        datagram.arrayOffset() + h.payloadOffset(), h.payloadLength(), converter, nowNanos);
                if (result == JitterBuffer.Insert.LATE) {
                    lateIn++;
                    counters.late.increment();
                }
            }
        }
    }

    private static boolean acceptable(RtpHeader h, Negotiated n) {
        int pt = h.payloadType();
        if (pt == n.payloadType()) {
            return h.payloadLength() > 0 && h.payloadLength() <= MAX_AUDIO_PAYLOAD;
        }
        if (pt == n.telephoneEventPayloadType()) {
            return h.payloadLength() >= TelephoneEvent.LENGTH;
        }
        return pt == CN_PAYLOAD_TYPE;
    }

    void onRtcp(ByteBuffer datagram, InetSocketAddress source, long nowNanos) {
        Rtcp.Received r = Rtcp.parse(datagram, ssrc);
        synchronized (this) {
            if (r == null || negotiated == null) {
                invalid++;
                return;
            }
            if (!rtcpLatch.accept(source, nowNanos)) {
                foreign++;
                counters.foreign.increment();
                return;
            }
            lastRxNanos = nowNanos;
            if (r.senderReport()) {
                lastSrMiddle = r.ntpMiddle();
                lastSrArrivalNanos = nowNanos;
            }
            Rtcp.ReportBlock about = r.aboutUs();
            if (about != null) {
                remoteLossFraction = about.fractionLost() / 256.0;
                remoteJitterMs = about.jitter() * 1000.0 / Codec.CLOCK_RATE;
                if (about.lastSr() != 0) {
                    long now = Rtcp.middle(Rtcp.ntp(System.currentTimeMillis()));
                    long rtt = (now - about.lastSr() - about.delaySinceLastSr()) & 0xFFFFFFFFL;
                    if (rtt < 0x80000000L) {
                        rttMs = rtt * 1000 / 65536;
                    }
                }
            }
        }
    }

    // ---- pacer side ----

    /** The next 160 µ-law samples for serve (after A→µ conversion). */
    synchronized JitterBuffer.Frame nextInbound(byte[] frame, long nowNanos) {
        dtmfIn.poll(nowNanos);
        return jitter.next(frame, 0, nowNanos);
    }

    /** Sends one 20 ms µ-law frame (converted to A-law when negotiated); @return true if it left */
    synchronized boolean sendAudio(byte[] ulawFrame, boolean talkspurtStart, long nowNanos) {
        Negotiated n = negotiated;
        out.clear();
        RtpHeader.write(out, n.payloadType(), !firstPacketSent || talkspurtStart, sequence, timestamp, ssrc);
        int payloadAt = out.position();
        out.put(ulawFrame, 0, 160);
        if (n.codec() == Codec.PCMA) {
            G711.ulawToAlaw(out.array(), payloadAt, 160);
        }
        return transmit(nowNanos, 160);
    }

    /** Sends one RFC 4733 packet; the marker goes on an event's first packet. */
    synchronized boolean sendEvent(boolean first, long eventTimestamp, int event, boolean end, int volume, int duration,
                                   long nowNanos) {
        out.clear();
        RtpHeader.write(out, negotiated.telephoneEventPayloadType(), first, sequence, eventTimestamp, ssrc);
        TelephoneEvent.write(out, event, end, volume, duration);
        return transmit(nowNanos, TelephoneEvent.LENGTH);
    }

    private boolean transmit(long nowNanos, int payloadBytes) {
        InetSocketAddress target = rtpLatch.target();
        out.flip();
        boolean sent = false;
        try {
            sent = target != null && ports.rtp().send(out, target) > 0;
        } catch (IOException e) {
            // ICMP unreachable reported on the socket, or closed at hang-up: the packet is lost.
        }
        if (sent) {
            firstPacketSent = true;
            sequence = (sequence + 1) & 0xFFFF;
            packetsOut++;
            octetsOut += payloadBytes;
            counters.rtpOut.increment();
            if (lastSendNanos != 0) {
                long gap = nowNanos - lastSendNanos;
                gaps.record(gap);
                counters.pacerGap.record(gap / 1_000_000.0);
            }
            lastSendNanos = nowNanos;
        } else {
            lastSendNanos = 0;
        }
        return sent;
    }

    /** A tick that sent nothing: the next packet's gap is not a pacing gap. */
    synchronized void noPacketThisTick() {
        lastSendNanos = 0;
    }

    /** Advances the media clock by whole ticks (one per tick, sent or not). */
    synchronized void advance(int ticks) {
        timestamp = (timestamp + 160L * ticks) & 0xFFFFFFFFL;
    }

    synchronized long timestamp() {
        return timestamp;
    }

    /** Whether nothing (RTP or RTCP) came from the caller for longer than the timeout. */
    synchronized boolean silentFor(long timeoutNanos, long nowNanos) {
        return receiving && nowNanos - lastRxNanos > timeoutNanos;
    }

    /** Keeps the timeout from firing right after a hold ends. */
    synchronized void touch(long nowNanos) {
        lastRxNanos = nowNanos;
    }

    /** Sends the periodic compound RTCP when due (every 5 s, randomised ±50 %). */
    synchronized void rtcpIfDue(long nowNanos) {
        if (!receiving || nowNanos - nextRtcpNanos < 0) {
            return;
        }
        nextRtcpNanos = nowNanos + randomisedInterval();
        if (reception.hasSource()) {
            counters.jitter.record(reception.jitterMs());
        }
        long lost = reception.lost();
        counters.lost.add(lost - lostReported);
        lostReported = lost;
        sendRtcp(nowNanos, false);
    }

    /** RTCP BYE at the end of the call. */
    synchronized void sendBye(long nowNanos) {
        if (negotiated != null && receiving) {
            long lost = reception.lost();
            counters.lost.add(lost - lostReported);
            lostReported = lost;
            sendRtcp(nowNanos, true);
        }
    }

    private void sendRtcp(long nowNanos, boolean bye) {
        InetSocketAddress target = rtcpLatch.target();
        if (target == null) {
            return;
        }
        boolean sender = packetsOut > packetsOutAtReport;
        packetsOutAtReport = packetsOut;
        Rtcp.ReportBlock block = null;
        if (reception.hasSource()) {
            long dlsr = lastSrArrivalNanos == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
            block = new Rtcp.ReportBlock(lastRemoteSsrc, reception.takeFractionLost(), reception.lost(),
                    reception.extendedHighestSequence() & 0xFFFFFFFFL, reception.jitterUnits(), lastSrMiddle,
                    lastSrMiddle == 0 ? 0 : dlsr);
        }
        rtcpOut.clear();
        Rtcp.writeCompound(rtcpOut, ssrc, sender, Rtcp.ntp(System.currentTimeMillis()), timestamp, packetsOut,
                octetsOut, block, cname, bye);
        rtcpOut.flip();
        try {
            ports.rtcp().send(rtcpOut, target);
        } catch (IOException e) {
            // Best effort: RTCP is advisory.
        }
    }

    private static long randomisedInterval() {
        return RTCP_INTERVAL_NANOS / 2 + (long) (RANDOM.nextDouble() * RTCP_INTERVAL_NANOS);
    }

    // ---- statistics ----

    long rtpIn() {
        return rtpIn;
    }

    synchronized long rtpOut() {
        return packetsOut;
    }

    long lateIn() {
        return lateIn;
    }

    long foreign() {
        return foreign;
    }

    long invalid() {
        return invalid;
    }

    long lostIn() {
        return reception.lost();
    }

    double jitterMs() {
        return reception.jitterMs();
    }

    Double remoteLossFraction() {
        return remoteLossFraction;
    }

    Double remoteJitterMs() {
        return remoteJitterMs;
    }

    Long rttMs() {
        return rttMs;
    }

    Double paceGapP99Ms() {
        return gaps.percentileMs(0.99);
    }

    InetSocketAddress remote() {
        InetSocketAddress latched = rtpLatch.latched();
        return latched != null ? latched : rtpLatch.target();
    }
}
