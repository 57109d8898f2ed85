package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DtmfReceiverTest {
    private static final long MS = 1_000_000L;
    private final List<Character> digits = new ArrayList<>();
    private final DtmfReceiver receiver = new DtmfReceiver(digits::add);

    @Test
    void oneDigitPerEventDespiteRetransmittedEnds() {
        receiver.onPacket(1, 100, new TelephoneEvent(5, false, 10, 160), 0);
        receiver.onPacket(1, 100, new TelephoneEvent(5, false, 10, 320), 20 * MS);
        receiver.onPacket(1, 100, new TelephoneEvent(5, true, 10, 480), 40 * MS);
        receiver.onPacket(1, 100, new TelephoneEvent(5, true, 10, 480), 40 * MS);
        receiver.onPacket(1, 100, new TelephoneEvent(5, true, 10, 480), 40 * MS);
        receiver.poll(2000 * MS);
        assertThat(digits).containsExactly('5');
    }

    @Test
    void missingEndIsReportedAfterHalfASecond() {
        receiver.onPacket(1, 100, new TelephoneEvent(10, false, 10, 160), 0);
        receiver.poll(400 * MS);
        assertThat(digits).isEmpty();
        receiver.poll(500 * MS);
        assertThat(digits).containsExactly('*');
        receiver.onPacket(1, 100, new TelephoneEvent(10, true, 10, 800), 600 * MS);
        assertThat(digits).containsExactly('*');
    }

    @Test
    void aNewEventReportsTheUnfinishedOneFirst() {
        receiver.onPacket(1, 100, new TelephoneEvent(1, false, 10, 160), 0);
        receiver.onPacket(1, 900, new TelephoneEvent(2, true, 10, 160), 100 * MS);
        assertThat(digits).containsExactly('1', '2');
    }

    @Test
    void eventsBeyondTheKeypadAreIgnoredAndSameTimestampOfAnotherSourceIsNew() {
        receiver.onPacket(1, 100, new TelephoneEvent(16, true, 10, 160), 0);
        receiver.onPacket(1, 200, new TelephoneEvent(15, true, 10, 160), 0);
        receiver.onPacket(2, 200, new TelephoneEvent(0, true, 10, 160), 0);
        assertThat(digits).containsExactly('D', '0');
    }
}
