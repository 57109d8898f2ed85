package io.voiceorder.bridge.audio;

import io.voiceorder.fixtures.audio.Ulaw;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GainTest {

    @Test
    void zeroDecibelIsABitExactPassThrough() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] copy = all.clone();
        Gain zero = Gain.ofDb(0.0);
        zero.applyUlaw(copy, 0, copy.length);
        assertThat(zero.isPassThrough()).isTrue();
        assertThat(copy).isEqualTo(all);
    }

    @Test
    void gainChangesTheLevelByItsDecibels() {
        byte[] tone = Ulaw.tone(440, 200, 0.1);
        for (double db : new double[] {-12, -6, 6, 12}) {
            byte[] out = tone.clone();
            Gain.ofDb(db).applyUlaw(out, 0, out.length);
            assertThat(Ulaw.energyDbfs(out) - Ulaw.energyDbfs(tone)).as("%s dB", db).isCloseTo(db, org.assertj.core.data.Offset.offset(0.5));
        }
    }

    @Test
    void loudAudioSaturatesInsteadOfWrapping() {
        byte[] tone = Ulaw.tone(440, 100, 0.9);
        Gain.ofDb(24).applyUlaw(tone, 0, tone.length);
        for (byte b : tone) {
            // Full-scale codes stay at the extremes with their sign: no wrap-around to the other polarity.
            short s = G711.ulawToLinear(b);
            assertThat(Math.abs((int) s)).isLessThanOrEqualTo(32124);
        }
        byte[] max = {(byte) 0x80, (byte) 0x00};
        Gain.ofDb(24).applyUlaw(max, 0, 2);
        assertThat(G711.ulawToLinear(max[0])).isEqualTo((short) 32124);
        assertThat(G711.ulawToLinear(max[1])).isEqualTo((short) -32124);
    }

    @Test
    void outOfRangeGainIsRefused() {
        assertThatThrownBy(() -> Gain.ofDb(24.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gain.ofDb(-30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gain.ofDb(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
