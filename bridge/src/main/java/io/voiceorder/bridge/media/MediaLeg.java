package io.voiceorder.bridge.media;

import io.voiceorder.bridge.audio.G711;
import io.voiceorder.bridge.audio.Gain;
import io.voiceorder.bridge.nat.CallNat;
import io.voiceorder.bridge.nat.NatException;
import io.voiceorder.bridge.rtp.DtmfSender;
import io.voiceorder.bridge.rtp.DtmfTones;
import io.voiceorder.bridge.rtp.JitterBuffer;
import io.voiceorder.bridge.rtp.Pacer;
import io.voiceorder.bridge.rtp.PortPair;
import io.voiceorder.bridge.sdp.Codec;
import io.voiceorder.bridge.sdp.Direction;
import io.voiceorder.bridge.sdp.Negotiated;
import io.voiceorder.bridge.sdp.OfferAnswer;
import io.voiceorder.bridge.sdp.SdpException;
import io.voiceorder.bridge.sdp.SdpWriter;
import io.voiceorder.bridge.sdp.SessionDescription;
import io.voiceorder.bridge.stream.ServeMessage;
import io.voiceorder.bridge.stream.StreamConnectException;
import io.voiceorder.bridge.stream.StreamConnection;
import io.voiceorder.bridge.stream.StreamHandler;
import org.slf4j.LoggerFactory;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The media of one call: RTP with its jitter buffer, a slot on the pacer, and the Twilio-protocol
 * WebSocket to serve. Each pacer tick moves one frame each way: the caller's next 160 samples to serve
 * as {@code media}, and 160 bytes of serve's queued audio (or silence, or DTMF) to the caller as one
 * RTP packet, then echoes the marks the packet passed. State changes follow {@link LegState}; every
 * mutable field is guarded by this object's monitor, and listener callbacks run outside it.
 */
public final class MediaLeg implements AutoCloseable {
    /** serve gone: at most this much queued audio (10 s) is still played. */
    static final int DRAIN_MAX_BYTES = 80_000;
    /** After a stall, at most this many frames (200 ms) are sent to serve at once to catch up. */
    static final int MAX_CATCH_UP_FRAMES = 10;
    private static final org.slf4j.Logger LOGGER = LoggerFactory.getLogger(MediaLeg.class);

    private final MediaEngine engine;
    private final String callSid;
    private final PortPair ports;
    private final CallNat nat;
    private final RtpSession session;
    private final PlayoutQueue queue = new PlayoutQueue();
    private final DtmfSender dtmfSender = new DtmfSender();
    private final SdpWriter sdpWriter = new SdpWriter(System.currentTimeMillis() / 1000);
    private final Gain rxGain;
    private final Gain txGain;
    private final boolean vad;
    private final long rtpTimeoutNanos;
    private final CallLog log;
    private final byte[] inFrame = new byte[160];
    private final byte[] outFrame = new byte[160];
    private final Consumer<String> echo = this::echoMark;
    /** Frames from the joined leg; touched by the pacer thread only. */
    private final JoinedAudio joinedIn = new JoinedAudio();

    private LegState state = LegState.OPEN;
    private volatile StreamConnection connection;
    private volatile LegListener listener;
    private StreamStart streamStart;
    private Pacer.Handle pacerSlot;
    private MediaLeg joinedTo;
    private String mediaAddress;
    private InetSocketAddress natAddress;
    private String lastAdvertised;
    private boolean talkspurt;
    private boolean drainNotified;
    private String drainReason;
    private boolean timeoutFired;
    private boolean overflowWarned;
    private boolean wasOnHold;
    private long underflowFrames;
    private long plcFrames;
    private long marksEchoed;
    private long clears;
    private long discardedBytes;
    private long missedTicks;
    private final java.util.concurrent.atomic.AtomicLong dtmfIn = new java.util.concurrent.atomic.AtomicLong();
    private long dtmfOut;

    MediaLeg(MediaEngine engine, String callSid, PortPair ports, CallNat nat) {
        this.engine = engine;
        this.callSid = callSid;
        this.ports = ports;
        this.nat = nat;
        MediaSettings settings = engine.settings();
        this.rxGain = Gain.ofDb(settings.rxGainDb());
        this.txGain = Gain.ofDb(settings.txGainDb());
        this.vad = settings.vad();
        this.rtpTimeoutNanos = settings.rtpTimeoutSec() * 1_000_000_000L;
        this.log = new CallLog(LOGGER, callSid);
        this.session = new RtpSession(ports, this::transmit, settings.jitterBufferMs(), engine.counters(),
                this::digitReceived, log);
    }

    /** The STUN/TURN timeouts of a call's set-up: the mapping within 500 ms (§8.1), the allocation within 3 s. */
    static final java.time.Duration STUN_TIMEOUT = java.time.Duration.ofMillis(500);
    static final java.time.Duration TURN_TIMEOUT = java.time.Duration.ofSeconds(3);

    /**
     * Learns this call's media address from its RTP socket (bridge.md §8): a TURN relay when a TURN
     * server is set, else (or when the allocation fails, with a warning) the STUN mapping, else the
     * host address. Called once, before any SDP is written.
     */
    void traverseNat() {
        if (nat == null) {
            return;
        }
        if (engine.natSettings().relay()) {
            try {
                InetSocketAddress relayed = nat.allocate(TURN_TIMEOUT);
                nat.startRelayReceiver(session::onRtp);
                setNatAddress(relayed);
                log.info("RTP relayed by TURN at {}:{}", relayed.getAddress().getHostAddress(), relayed.getPort());
                return;
            } catch (NatException e) {
                log.warn("TURN allocation failed, falling back to STUN/host address: {}", e.getMessage());
            }
        }
        try {
            InetSocketAddress mapped = nat.mapped(STUN_TIMEOUT);
            setNatAddress(mapped);
            log.info("RTP socket mapped by STUN to {}:{}", mapped.getAddress().getHostAddress(), mapped.getPort());
        } catch (NatException e) {
            log.warn("STUN mapping of the RTP socket failed, host address used: {}", e.getMessage());
        }
    }

    private synchronized void setNatAddress(InetSocketAddress address) {
        natAddress = address;
    }

    private boolean transmit(java.nio.ByteBuffer packet, InetSocketAddress target) throws java.io.IOException {
        CallNat n = nat;
        if (n != null && n.relayed()) {
            return n.sendRelayed(packet, target);
        }
        return ports.rtp().send(packet, target) > 0;
    }

    /** Whether TURN carries this call's RTP. */
    public boolean relayed() {
        return nat != null && nat.relayed();
    }

    public String callSid() {
        return callSid;
    }

    public int localRtpPort() {
        return ports.rtpPort();
    }

    /** Sets the address SDP advertises for this call (bridge.md §8.3), instead of the engine's default. */
    public synchronized void advertiseAddress(String address) {
        this.mediaAddress = address;
    }

    // ---- SDP ----

    /**
     * SDP offer for an outbound INVITE or a delayed-offer INVITE. Once a session is negotiated (a
     * re-INVITE without SDP), the current session is offered unchanged, same {@code o=} version.
     */
    public String createOffer() {
        if (session.negotiated() != null) {
            String current = sdpWriter.current();
            if (current != null) {
                return current;
            }
        }
        return sdpWriter.offer(advertised(null), advertisedPort(), Direction.SENDRECV);
    }

    /** Answer to a remote offer. @throws SdpRejectedException with the SIP status (488, 400 when malformed) */
    public String answer(String remoteOfferSdp, String signallingSourceIp) throws SdpRejectedException {
        return answerOffer(remoteOfferSdp, signallingSourceIp, null);
    }

    /** The remote answer to our offer (outbound calls). */
    public void acceptAnswer(String remoteAnswerSdp, String signallingSourceIp) throws SdpRejectedException {
        try {
            Negotiated n = OfferAnswer.readAnswer(SessionDescription.parse(remoteAnswerSdp));
            apply(n, signallingSourceIp);
        } catch (SdpException e) {
            throw new SdpRejectedException(e.sipStatus(), e.getMessage());
        }
    }

    /** Re-INVITE: new remote SDP, same stream (no second WebSocket); returns our answer. */
    public String reoffer(String remoteOfferSdp, String signallingSourceIp) throws SdpRejectedException {
        Negotiated current = session.negotiated();
        return answerOffer(remoteOfferSdp, signallingSourceIp, current == null ? null : current.codec());
    }

    private String answerOffer(String sdp, String signallingSourceIp, Codec current) throws SdpRejectedException {
        try {
            SessionDescription offer = SessionDescription.parse(sdp);
            Negotiated n = OfferAnswer.answerOffer(offer, current);
            InetAddress source = apply(n, signallingSourceIp);
            return sdpWriter.answer(advertised(source), advertisedPort(), offer, n);
        } catch (SdpException e) {
            throw new SdpRejectedException(e.sipStatus(), e.getMessage());
        }
    }

    private InetAddress apply(Negotiated n, String signallingSourceIp) throws SdpException {
        InetAddress remote = literal(n.remoteAddress());
        InetAddress source = signallingSourceIp == null || signallingSourceIp.isBlank() ? null : literal(signallingSourceIp);
        if (remote == null) {
            throw new SdpException(488, "the media address must be an IPv4 literal: " + n.remoteAddress());
        }
        Negotiated before = session.negotiated();
        session.configure(n, remote, source);
        if (before == null || before.codec() != n.codec() || !before.remoteAddress().equals(n.remoteAddress())
                || before.remotePort() != n.remotePort() || before.direction() != n.direction()) {
            log.info("media {} with {}:{}, {}{}", n.codec().label(), n.remoteAddress(), n.remotePort(),
                    n.direction().name().toLowerCase(java.util.Locale.ROOT),
                    n.hasTelephoneEvent() ? ", telephone-event " + n.telephoneEventPayloadType() : "");
        }
        return source;
    }

    private static InetAddress literal(String address) {
        if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private String advertised(InetAddress remote) {
        String address = chooseAddress(remote);
        synchronized (this) {
            lastAdvertised = address;
        }
        return address;
    }

    /** The port SDP carries: the relay's or the STUN mapping's when learned, else the local one. */
    private synchronized int advertisedPort() {
        return natAddress != null ? natAddress.getPort() : ports.rtpPort();
    }

    private String chooseAddress(InetAddress remote) {
        synchronized (this) {
            if (natAddress != null) {
                // bridge.md §8.3: SDP carries the relay address, else the per-call STUN mapping.
                return natAddress.getAddress().getHostAddress();
            }
            if (mediaAddress != null) {
                return mediaAddress;
            }
        }
        MediaSettings s = engine.settings();
        if (s.advertisedAddress() != null && !s.advertisedAddress().isBlank()) {
            return s.advertisedAddress();
        }
        if (!s.bindAddress().equals("0.0.0.0")) {
            return s.bindAddress();
        }
        if (remote != null) {
            try (DatagramSocket probe = new DatagramSocket()) {
                // No packet leaves: connecting a UDP socket only asks the routing table for the source address.
                probe.connect(remote, 9);
                InetAddress local = probe.getLocalAddress();
                if (local != null && !local.isAnyLocalAddress()) {
                    return local.getHostAddress();
                }
            } catch (java.io.IOException e) {
                log.debug("no route to {}: {}", remote.getHostAddress(), e.toString());
            }
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    // ---- stream ----

    /**
     * Opens the WebSocket to serve (upgrade signed when a secret is set) and sends {@code connected}.
     * Completes exceptionally with {@link StreamUnreachableException} within 2 s when serve is
     * unreachable or refuses the upgrade.
     */
    public CompletableFuture<Void> connectStream(StreamStart start, LegListener listener) {
        synchronized (this) {
            if (state != LegState.OPEN) {
                throw new IllegalStateException("the stream of call " + callSid + " was already opened (" + state + ")");
            }
            state = LegState.CONNECTING;
            this.listener = listener;
            this.streamStart = start;
        }
        URI target = start.wsTarget() != null ? start.wsTarget() : engine.settings().wsTarget();
        CompletableFuture<Void> result = new CompletableFuture<>();
        engine.streamClient().connect(callSid, target, new Handler()).whenComplete((conn, error) -> {
            if (error != null) {
                StreamConnectException e = error instanceof StreamConnectException sce ? sce
                        : new StreamConnectException(StreamConnectException.Kind.REFUSED, 0, error.toString(), error);
                synchronized (this) {
                    if (state == LegState.CONNECTING) {
                        state = LegState.ENDED;
                    }
                }
                log.warn("WebSocket to {} unreachable: {}", withoutQuery(target), e.getMessage());
                result.completeExceptionally(new StreamUnreachableException(
                        e.kind().name().toLowerCase(java.util.Locale.ROOT), e.httpStatus(), e.getMessage(), e));
                return;
            }
            boolean cancelled;
            synchronized (this) {
                cancelled = state != LegState.CONNECTING;
                if (!cancelled) {
                    connection = conn;
                    state = LegState.CONNECTED;
                }
            }
            if (cancelled) {
                conn.close();
                result.completeExceptionally(new CancellationException("the call ended while the stream was opening"));
            } else {
                log.info("WebSocket connected to {}", withoutQuery(target));
                result.complete(null);
            }
        });
        return result;
    }

    private static String withoutQuery(URI target) {
        return target.getScheme() + "://" + target.getRawAuthority() + (target.getRawPath() == null ? "" : target.getRawPath());
    }

    /** Sends {@code start} and starts RTP both ways on the pacer (called when the call is answered). */
    public void startMedia() {
        synchronized (this) {
            if (state != LegState.CONNECTED) {
                throw new IllegalStateException("media of call " + callSid + " cannot start in state " + state);
            }
            if (session.negotiated() == null) {
                throw new IllegalStateException("media of call " + callSid + " cannot start before offer/answer");
            }
            connection.sendStart(streamStart.startParameters());
            state = LegState.ACTIVE;
            session.startReceiving(System.nanoTime());
            queue.dueMarks(echo);
            pacerSlot = engine.pacer().add(this::tick);
        }
        log.info("media started on port {} (pacer slot {})", ports.rtpPort(), pacerSlot.slot());
    }

    /**
     * A digit the SIP side received in signalling (INFO, RFC 6086): forwarded to serve as a
     * {@code dtmf} message and counted like an RFC 4733 one. Other characters are ignored.
     */
    public void receivedDigit(char digit) {
        char d = Character.toUpperCase(digit);
        if ("0123456789*#ABCD".indexOf(d) < 0) {
            return;
        }
        StreamConnection conn = connection;
        dtmfIn.incrementAndGet();
        engine.counters().dtmfIn.increment();
        log.debug("DTMF in (signalling): {}", d);
        if (conn != null) {
            conn.sendDtmf(d);
        }
    }

    /**
     * Bridged transfer (bridge.md §5.9): both legs' streams to serve end ({@code stop}, close 1000)
     * and their media is joined — each leg's jitter-buffer output is queued, at most three frames
     * deep, on the other leg's pacer slot and sent in that leg's codec. A leg that never streamed
     * (the transfer target's outbound leg, after its answer) starts its RTP here. Received DTMF is
     * not relayed; gains apply to the serve path only.
     * @throws IllegalStateException when either leg has no negotiated media or has ended
     */
    public void joinWith(MediaLeg other) {
        if (other == this) {
            throw new IllegalArgumentException("a leg cannot be joined with itself");
        }
        this.requireJoinable();
        other.requireJoinable();
        this.enterJoin(other);
        other.enterJoin(this);
        log.info("media joined with call {}", other.callSid());
    }

    private synchronized void requireJoinable() {
        // DRAINING is joinable: serve may close its stream while a bridged transfer rings (bridge.md §5.9)
        if (session.negotiated() == null || state == LegState.JOINED
                || state == LegState.ENDED || state == LegState.CLOSED) {
            throw new IllegalStateException("call " + callSid + " cannot be joined in state " + state);
        }
    }

    private void enterJoin(MediaLeg other) {
        StreamConnection conn;
        synchronized (this) {
            joinedTo = other;
            conn = state == LegState.CONNECTING ? null : connection;
            if (pacerSlot == null) {
                session.startReceiving(System.nanoTime());
            }
            state = LegState.JOINED;
            if (pacerSlot == null) {
                pacerSlot = engine.pacer().add(this::tick);
            }
        }
        if (conn != null) {
            conn.sendStop();
            conn.close();
        }
    }

    /** Who hears of this leg's RTP timeout when no stream was ever opened on it (a bridged transfer's second leg). */
    public void watch(LegListener watcher) {
        this.listener = watcher;
    }

    /** A frame of the joined leg's caller, on the pacer thread. */
    private void joinedFrame(byte[] frame) {
        joinedIn.push(frame);
    }

    /** RFC 4733 digits out (REST /dtmf); in-band tones when telephone-event was not negotiated. */
    public void sendDtmf(String digits) {
        dtmfSender.enqueue(digits);
    }

    /** The call ended on the SIP side (BYE/CANCEL/timeout): {@code stop} to serve, close 1000, RTP stops. */
    public void hangup(String reason) {
        StreamConnection conn;
        LegState before;
        synchronized (this) {
            if (state == LegState.ENDED || state == LegState.CLOSED) {
                return;
            }
            before = state;
            state = LegState.ENDED;
            if (pacerSlot != null) {
                pacerSlot.cancel();
            }
            conn = connection;
        }
        if (before == LegState.ACTIVE || before == LegState.DRAINING || before == LegState.JOINED) {
            session.sendBye(System.nanoTime());
        }
        if (conn != null) {
            conn.sendStop();
            conn.close();
        }
        MediaLegStats s = stats();
        log.info("media ended ({}): rtp in {} out {}, lost {}, late {}, jitter {} ms, pacing p99 {} ms, plc {}, "
                        + "underflow {}, marks {}, clears {}, discarded {} ms",
                reason, s.rtpIn(), s.rtpOut(), s.lostIn(), s.lateIn(), String.format("%.1f", s.jitterMs()),
                s.paceGapP99Ms(), s.plcFrames(), s.underflowFrames(), s.marksEchoed(), s.clears(), s.discardedMs());
    }

    /** Releases the ports (reusable after the 5 s quarantine). Idempotent. */
    @Override
    public void close() {
        hangup("closed");
        synchronized (this) {
            if (state == LegState.CLOSED) {
                return;
            }
            state = LegState.CLOSED;
        }
        if (nat != null) {
            nat.close();
        }
        engine.release(this, ports);
    }

    // ---- per-call media statistics ----

    public MediaLegStats stats() {
        Negotiated n = session.negotiated();
        InetSocketAddress remote = session.remote();
        synchronized (this) {
            return new MediaLegStats(n == null ? null : n.codec().label(),
                    advertisedOrBind() + ":" + advertisedPort(),
                    remote == null ? null : remote.getAddress().getHostAddress() + ":" + remote.getPort(),
                    relayed(), session.rtpIn(), session.rtpOut(), session.lostIn(), session.lateIn(), plcFrames,
                    Math.round(session.jitterMs() * 10) / 10.0, session.remoteLossFraction(), session.remoteJitterMs(),
                    session.rttMs(), session.paceGapP99Ms(), underflowFrames, dtmfIn.get(), dtmfOut, marksEchoed, clears,
                    discardedBytes / 8, null, session.foreign(), session.invalid(), missedTicks,
                    state.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private String advertisedOrBind() {
        if (lastAdvertised != null) {
            return lastAdvertised;
        }
        if (mediaAddress != null) {
            return mediaAddress;
        }
        MediaSettings s = engine.settings();
        return s.advertisedAddress() != null && !s.advertisedAddress().isBlank() ? s.advertisedAddress() : s.bindAddress();
    }

    // ---- RTP in (receiver thread) ----

    void onRtp(java.nio.ByteBuffer datagram, InetSocketAddress source, long arrivalNanos) {
        CallNat n = nat;
        if (n != null && n.offer(datagram, source)) {
            return;
        }
        session.onRtp(datagram, source, arrivalNanos);
    }

    void onRtcp(java.nio.ByteBuffer datagram, InetSocketAddress source, long arrivalNanos) {
        session.onRtcp(datagram, source, arrivalNanos);
    }

    /** A caller digit (RTP receiver or pacer thread, inside the RTP session's lock: touches no leg state). */
    private void digitReceived(char digit) {
        StreamConnection conn = connection;
        dtmfIn.incrementAndGet();
        engine.counters().dtmfIn.increment();
        log.debug("DTMF in: {}", digit);
        if (conn != null) {
            conn.sendDtmf(digit);
        }
        LegListener l = listener;
        if (l != null) {
            l.onDtmf(digit);
        }
    }

    // ---- the pacer tick ----

    private void tick(long now, int skipped) {
        try {
            runTick(now, skipped);
        } catch (RuntimeException e) {
            log.warn("media tick failed: {}", e.toString());
            throw e;
        }
    }

    private void runTick(long now, int skipped) {
        Runnable drained = null;
        Runnable timedOut = null;
        synchronized (this) {
            if (state != LegState.ACTIVE && state != LegState.DRAINING && state != LegState.JOINED) {
                return;
            }
            if (skipped > 0) {
                missedTicks += skipped;
                session.advance(skipped);
                // serve still gets one frame per 20 ms of stream time: the frames of the skipped
                // ticks leave now (RTP to the caller does not catch up: never two packets per pass).
                for (int i = 0; i < Math.min(skipped, MAX_CATCH_UP_FRAMES); i++) {
                    toServe(now);
                }
            }
            toServe(now);
            toCaller(now);
            session.advance(1);
            if (state == LegState.DRAINING && !drainNotified && queue.size() == 0 && dtmfSender.isIdle()) {
                drainNotified = true;
                drained = drainNotice(drainReason);
            }
            Negotiated n = session.negotiated();
            boolean onHold = n.onHold();
            if (onHold || wasOnHold) {
                // --rtp-timeout is suspended on hold, and counts afresh once it ends.
                session.touch(now);
            }
            wasOnHold = onHold;
            if (rtpTimeoutNanos > 0 && !timeoutFired && session.silentFor(rtpTimeoutNanos, now)) {
                timeoutFired = true;
                LegListener l = listener;
                timedOut = l == null ? null : l::onRtpTimeout;
                log.info("no RTP or RTCP for {} s", rtpTimeoutNanos / 1_000_000_000L);
            }
            session.rtcpIfDue(now);
            if (connection != null && state == LegState.ACTIVE) {
                connection.checkDrain(now);
            }
        }
        if (drained != null) {
            drained.run();
        }
        if (timedOut != null) {
            timedOut.run();
        }
    }

    /** The caller's next frame to serve, continuous from start to stop (silence when nothing came). */
    private void toServe(long now) {
        JitterBuffer.Frame frame = session.nextInbound(inFrame, now);
        if (frame == JitterBuffer.Frame.CONCEALED) {
            plcFrames++;
            engine.counters().plc.increment();
        }
        if (state == LegState.ACTIVE) {
            rxGain.applyUlaw(inFrame, 0, inFrame.length);
            connection.sendMedia(inFrame, 0, inFrame.length);
        } else if (state == LegState.JOINED) {
            joinedTo.joinedFrame(inFrame);
        }
    }

    /** One packet of serve's audio, silence or DTMF to the caller; marks passed are echoed. */
    private void toCaller(long now) {
        Negotiated n = session.negotiated();
        boolean sends = n.direction().sends();
        boolean sent = false;
        switch (dtmfSender.nextTick(session.timestamp(), n.hasTelephoneEvent())) {
            case EVENT -> {
                countDigitOut();
                sent = sends && session.sendEvent(dtmfSender.first(), dtmfSender.eventTimestamp(), dtmfSender.event(),
                        dtmfSender.end(), DtmfSender.VOLUME, dtmfSender.duration(), now);
                talkspurt = true;
            }
            case TONE -> {
                countDigitOut();
                DtmfTones.fill(dtmfSender.toneDigit(), dtmfSender.toneSampleIndex(), outFrame, 0);
                sent = sends && session.sendAudio(outFrame, vad && !talkspurt, now);
                talkspurt = true;
            }
            case SILENCE -> sent = sendSilence(sends, now);
            case NONE -> {
                if (state == LegState.JOINED) {
                    sent = joinedIn.take(outFrame) ? sends && session.sendAudio(outFrame, false, now) : sendSilence(sends, now);
                    break;
                }
                int taken = queue.take(outFrame);
                if (taken == 0) {
                    underflowFrames++;
                    engine.counters().underflow.increment();
                    sent = sendSilence(sends, now);
                } else {
                    txGain.applyUlaw(outFrame, 0, outFrame.length);
                    sent = sends && session.sendAudio(outFrame, vad && !talkspurt, now);
                    talkspurt = true;
                }
                // On hold nothing is sent, yet the audio counts as played so marks keep flowing.
                queue.dueMarks(echo);
            }
        }
        if (!sent) {
            session.noPacketThisTick();
        }
    }

    private boolean sendSilence(boolean sends, long now) {
        if (vad) {
            talkspurt = false;
            return false;
        }
        Arrays.fill(outFrame, G711.ULAW_SILENCE);
        return sends && session.sendAudio(outFrame, false, now);
    }

    private void countDigitOut() {
        if (dtmfSender.first()) {
            dtmfOut++;
            engine.counters().dtmfOut.increment();
        }
    }

    private void echoMark(String name) {
        StreamConnection conn = connection;
        if (conn != null && state == LegState.ACTIVE && conn.sendMark(name)) {
            marksEchoed++;
            engine.counters().marksEchoed.increment();
        }
    }

    // ---- serve's messages (WebSocket threads) ----

    private Runnable drainNotice(String reason) {
        LegListener l = listener;
        if (l == null) {
            return null;
        }
        log.info("serve's queued audio played; ending the call ({})", reason);
        return "app-hangup".equals(reason) ? () -> l.onServeHangup(reason) : () -> l.onStreamLost(reason);
    }

    /** serve is gone (close, its stop, or a lost socket): play what is queued (≤ 10 s), then tell the call. */
    private void serveGone(String reason) {
        Runnable notice = null;
        synchronized (this) {
            if (state == LegState.ACTIVE) {
                state = LegState.DRAINING;
                drainReason = reason;
                int dropped = queue.truncate(DRAIN_MAX_BYTES);
                addDiscarded(dropped);
            } else if (state == LegState.CONNECTED || state == LegState.CONNECTING) {
                state = LegState.ENDED;
                drainNotified = true;
                notice = drainNotice(reason);
            }
        }
        log.info("stream to serve ended: {}", reason);
        if (notice != null) {
            notice.run();
        }
    }

    private void addDiscarded(int bytes) {
        if (bytes > 0) {
            discardedBytes += bytes;
            engine.counters().discardedMs.add(bytes / 8);
        }
    }

    private final class Handler implements StreamHandler {
        @Override
        public void onMessage(ServeMessage message) {
            if (message instanceof ServeMessage.Stop) {
                StreamConnection conn;
                synchronized (MediaLeg.this) {
                    conn = connection;
                }
                if (conn != null) {
                    conn.sendStop();
                    conn.close();
                }
                serveGone("app-hangup");
                return;
            }
            synchronized (MediaLeg.this) {
                if (state != LegState.ACTIVE && state != LegState.CONNECTED) {
                    return;
                }
                if (message instanceof ServeMessage.Media media) {
                    int dropped = queue.append(media.payload());
                    if (dropped > 0) {
                        addDiscarded(dropped);
                        if (!overflowWarned) {
                            overflowWarned = true;
                            log.warn("serve's audio exceeds the 120 s queue; the excess is discarded");
                        }
                    }
                } else if (message instanceof ServeMessage.Mark mark) {
                    queue.mark(mark.name());
                    if (state == LegState.ACTIVE && queue.size() == 0) {
                        queue.dueMarks(echo);
                    }
                } else if (message instanceof ServeMessage.Clear) {
                    clears++;
                    engine.counters().clears.increment();
                    addDiscarded(queue.clear(echo));
                }
            }
        }

        @Override
        public void onEnded(boolean clean, String reason) {
            if (clean) {
                log.debug("stream ended: {}", reason);
            } else {
                log.info("stream to serve lost: {}", reason);
            }
            serveGone(clean ? "app-hangup" : "ws-lost");
        }
    }
}
