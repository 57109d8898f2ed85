package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DtmfSenderTest {

    @Test
    void aDigitIsFiveEventTicksThreeEndsAndTwoSilentTicks() {
        DtmfSender s = new DtmfSender();
        s.enqueue("7x");
        List<String> ticks = new ArrayList<>();
        long ts = 1000;
        for (int i = 0; i < 11; i++, ts += 160) {
            DtmfSender.Action a = s.nextTick(ts, true);
            ticks.add(a == DtmfSender.Action.EVENT
                    ? a + ":" + s.event() + ":" + s.duration() + (s.end() ? "E" : "") + (s.first() ? "M" : "") + "@" + s.eventTimestamp()
                    : a.name());
        }
        assertThat(ticks).containsExactly("EVENT:7:160M@1000", "EVENT:7:320@1000", "EVENT:7:480@1000", "EVENT:7:640@1000",
                "EVENT:7:800@1000", "EVENT:7:800E@1000", "EVENT:7:800E@1000", "EVENT:7:800E@1000", "SILENCE", "SILENCE",
                "NONE");
        assertThat(s.isIdle()).isTrue();
    }

    @Test
    void pauseAndInBandTones() {
        DtmfSender s = new DtmfSender();
        s.enqueue("w#");
        int silence = 0;
        while (s.nextTick(0, false) == DtmfSender.Action.SILENCE) {
            silence++;
        }
        assertThat(silence).isEqualTo(25);
        int tones = 1;
        while (s.nextTick(0, false) == DtmfSender.Action.TONE) {
            tones++;
        }
        assertThat(tones).isEqualTo(5);
        assertThat(s.toneDigit()).isEqualTo('#');
    }
}
