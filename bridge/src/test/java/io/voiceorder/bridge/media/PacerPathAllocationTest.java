package io.voiceorder.bridge.media;

import io.voiceorder.bridge.audio.Gain;
import io.voiceorder.bridge.rtp.DtmfSender;
import io.voiceorder.bridge.rtp.PortAllocator;
import io.voiceorder.bridge.rtp.PortPair;
import io.voiceorder.bridge.sdp.Codec;
import io.voiceorder.bridge.sdp.Direction;
import io.voiceorder.bridge.sdp.Negotiated;
import io.voiceorder.bridge.support.RtpPeer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RTP half of a pacer tick allocates nothing in steady state: jitter buffer out, playout queue,
 * gain, A-law conversion, DTMF decision, mark check, non-blocking send. (The WebSocket half writes
 * each message into a pooled buffer; the stream's event loop writes it.)
 */
class PacerPathAllocationTest {

    @Test
    void steadyStateTickWorkAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), 30000, 39999, 0, System::nanoTime);
        PortPair pair = ports.allocate();
        try (RtpPeer peer = RtpPeer.open()) {
            RtpSession session = new RtpSession(pair, (packet, target) -> pair.rtp().send(packet, target) > 0, 60, new MediaCounters(), digit -> { },
                    new CallLog(org.slf4j.LoggerFactory.getLogger(PacerPathAllocationTest.class), "alloc"));
            session.configure(new Negotiated(0, Codec.PCMA, 8, 101, "127.0.0.1", peer.port(), peer.port() + 1,
                    Direction.SENDRECV), InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress());
            session.startReceiving(System.nanoTime());
            PlayoutQueue queue = new PlayoutQueue();
            queue.append(new byte[PlayoutQueue.CAPACITY]);
            byte[] none = new byte[0];
            DtmfSender dtmf = new DtmfSender();
            Gain gain = Gain.ofDb(3);
            byte[] in = new byte[160];
            byte[] out = new byte[160];
            java.util.function.Consumer<String> echo = name -> { };
            Runnable tick = () -> {
                long now = System.nanoTime();
                session.nextInbound(in, now);
                dtmf.nextTick(session.timestamp(), true);
                if (queue.take(out) == 0) {
                    queue.append(none);
                }
                gain.applyUlaw(out, 0, 160);
                session.sendAudio(out, false, now);
                queue.dueMarks(echo);
                session.advance(1);
            };
            for (int i = 0; i < 2000; i++) {
                tick.run();
            }
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 2000; i++) {
                tick.run();
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(allocated).as("bytes allocated by 2000 ticks").isLessThan(1024);
        } finally {
            ports.release(pair);
        }
    }
}
