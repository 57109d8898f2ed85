package io.voiceorder.bridge.audio;

import io.voiceorder.fixtures.audio.Ulaw;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class G711Test {

    @Test
    void ulawTablesAgreeWithTheSegmentAlgorithmOfTheFixtures() {
        for (int code = 0; code < 256; code++) {
            assertThat(G711.ulawToLinear((byte) code)).isEqualTo(Ulaw.decode((byte) code));
        }
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s += 7) {
            assertThat(G711.linearToUlaw(s)).as("sample %d", s).isEqualTo(Ulaw.encode((short) s));
        }
    }

    @Test
    void everyCodeSurvivesDecodeThenEncode() {
        for (int code = 0; code < 256; code++) {
            byte u = (byte) code;
            // 0x7F is µ-law's negative zero: it decodes to 0, which encodes as 0xFF.
            if (code != 0x7F) {
                assertThat(G711.linearToUlaw(G711.ulawToLinear(u))).isEqualTo(u);
            }
            byte a = (byte) code;
            assertThat(G711.linearToAlaw(G711.alawToLinear(a))).isEqualTo(a);
        }
    }

    @Test
    void silenceAndKnownAlawPoints() {
        assertThat(G711.linearToUlaw(0)).isEqualTo(G711.ULAW_SILENCE);
        assertThat(G711.linearToAlaw(0)).isEqualTo(G711.ALAW_SILENCE);
        assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
        // Largest A-law magnitude: segment 7, mantissa 15 → 32256.
        assertThat(G711.alawToLinear((byte) (0xFF ^ 0x55))).isEqualTo((short) 32256);
        assertThat(G711.linearToAlaw(Short.MAX_VALUE)).isEqualTo((byte) (0xFF ^ 0x55));
        assertThat(G711.linearToAlaw(Short.MIN_VALUE)).isEqualTo((byte) (0x7F ^ 0x55));
    }

    @Test
    void alawAndUlawConvertThroughTheSameLevel() {
        assertThat(G711.ulawToAlaw(G711.ULAW_SILENCE)).isEqualTo(G711.ALAW_SILENCE);
        // A-law has no zero level: its silence (+8) becomes the µ-law code nearest +8.
        assertThat(G711.ulawToLinear(G711.alawToUlaw(G711.ALAW_SILENCE))).isEqualTo((short) 8);
        for (int code = 0; code < 256; code++) {
            short level = G711.ulawToLinear((byte) code);
            short converted = G711.alawToLinear(G711.ulawToAlaw((byte) code));
            // A-law steps are at most 1024 apart at the top, µ-law's 1024: the level is kept within a step.
            assertThat(Math.abs(level - converted)).isLessThanOrEqualTo(Math.max(16, Math.abs(level) / 16));
        }
        byte[] buffer = {(byte) 0xFF, 0x00, 0x35};
        G711.ulawToAlaw(buffer, 0, 3);
        assertThat(buffer).containsExactly(G711.ulawToAlaw((byte) 0xFF), G711.ulawToAlaw((byte) 0x00), G711.ulawToAlaw((byte) 0x35));
        G711.alawToUlaw(buffer, 0, 3);
        assertThat(G711.ulawToLinear(buffer[1])).isCloseTo(G711.ulawToLinear((byte) 0x00), org.assertj.core.data.Offset.offset((short) 1100));
    }
}
