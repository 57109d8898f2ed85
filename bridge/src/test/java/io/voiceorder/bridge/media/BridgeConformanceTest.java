package io.voiceorder.bridge.media;

import io.voiceorder.bridge.support.LegHarness;
import io.voiceorder.bridge.support.RecordingListener;
import io.voiceorder.bridge.support.RtpPeer;
import io.voiceorder.fixtures.conformance.CallerSideReplay;
import io.voiceorder.fixtures.conformance.ConformanceExchange;
import io.voiceorder.fixtures.conformance.ConformanceResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance exchanges of media-stream.md that a caller side produces, replayed against a media
 * leg: the RTP peer on 127.0.0.1 is the caller, {@link CallerSideReplay} plays serve and judges the
 * bridge's messages against Twilio's.
 */
class BridgeConformanceTest {
    private static CallerSideReplay serve;
    private static MediaEngine engine;

    @BeforeAll
    static void start() {
        serve = CallerSideReplay.start();
        engine = new MediaEngine(LegHarness.settings(serve.url()));
    }

    @AfterAll
    static void stop() {
        engine.close();
        serve.close();
    }

    static Stream<String> exchanges() {
        return ConformanceExchange.all().stream().filter(CallerSideReplay::appliesToCallerSide).map(ConformanceExchange::name);
    }

    @ParameterizedTest
    @MethodSource("exchanges")
    void bridgeProducesTwilioSequence(String name) throws Exception {
        ConformanceExchange exchange = ConformanceExchange.load(name);
        try (RtpPeer peer = RtpPeer.open(); RtpCaller caller = new RtpCaller(peer)) {
            RecordingListener listener = new RecordingListener() {
                @Override
                public void onServeHangup(String endReason) {
                    super.onServeHangup(endReason);
                    caller.leg.hangup(endReason);
                }
            };
            Runnable placeCall = () -> {
                try {
                    caller.leg = engine.openLeg(UUID.randomUUID().toString());
                    caller.leg.answer(peer.offer("0 101"), "127.0.0.1");
                    caller.leg.connectStream(LegHarness.streamStart(), listener).get(3, TimeUnit.SECONDS);
                    caller.leg.startMedia();
                    caller.t0 = System.nanoTime();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            ConformanceResult result = serve.run(exchange, caller, placeCall, true, true);
            assertThat(result.passed()).as(result.report()).isTrue();
            if (name.equals("serve-hangup")) {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                        .until(() -> !listener.of("serveHangup").isEmpty());
                assertThat(listener.of("serveHangup")).extracting(RecordingListener.Event::detail).containsExactly("app-hangup");
            }
        }
    }

    /** The caller, as RTP from a real socket: speech as PCMU frames in real time, keys as RFC 4733 events. */
    private static final class RtpCaller implements CallerSideReplay.CallerDriver, AutoCloseable {
        private final RtpPeer peer;
        private final ExecutorService sender = Executors.newSingleThreadExecutor();
        private final long ssrc = 0x5EED;
        private volatile MediaLeg leg;
        private volatile long t0;
        private int sequence = 1;

        RtpCaller(RtpPeer peer) {
            this.peer = peer;
        }

        /** RTP timestamp of now on the caller's 8 kHz clock, on a 20 ms frame boundary. */
        private long timestampNow() {
            return 160L * ((System.nanoTime() - t0) / 20_000_000L);
        }

        @Override
        public void speak(byte[] ulaw) {
            sender.execute(() -> {
                long start = System.nanoTime();
                long ts = timestampNow();
                for (int i = 0; i * 160 < ulaw.length; i++) {
                    byte[] frame = Arrays.copyOfRange(ulaw, i * 160, Math.min(ulaw.length, (i + 1) * 160));
                    send(RtpPeer.rtp(0, i == 0, nextSequence(), ts + 160L * i, ssrc, frame));
                    sleepUntil(start + (i + 1) * 20_000_000L);
                }
            });
        }

        @Override
        public void dtmf(char digit) {
            int event = "0123456789*#".indexOf(digit);
            sender.execute(() -> {
                long start = System.nanoTime();
                long ts = timestampNow();
                for (int i = 0; i < 6; i++) {
                    boolean end = i >= 3;
                    int duration = end ? 480 : 160 * (i + 1);
                    byte[] payload = {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
                    send(RtpPeer.rtp(101, i == 0, nextSequence(), ts, ssrc, payload));
                    sleepUntil(start + (i + 1) * 20_000_000L);
                }
            });
        }

        @Override
        public void hangUp() {
            MediaLeg l = leg;
            if (l != null) {
                l.hangup("caller-hangup");
            }
        }

        private synchronized int nextSequence() {
            return sequence++ & 0xFFFF;
        }

        private void send(byte[] datagram) {
            try {
                peer.send(datagram, leg.localRtpPort());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static void sleepUntil(long nanos) {
            long wait = nanos - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
            sender.shutdownNow();
            if (leg != null) {
                leg.close();
            }
        }
    }
}
