package io.voiceorder.bridge.rtp;

import io.voiceorder.bridge.audio.G711;

/** In-band DTMF (ITU-T Q.23 frequency pairs) as µ-law, for calls without telephone-event. */
public final class DtmfTones {
    private static final int[] LOW = {697, 770, 852, 941};
    private static final int[] HIGH = {1209, 1336, 1477, 1633};
    private static final String KEYS = "123A456B789C*0#D";
    /** Each tone at about −10 dBm0 (G.711 full scale is +3.17 dBm0). */
    private static final double AMPLITUDE = 32767 * Math.pow(10, -13.17 / 20.0);

    private DtmfTones() {
    }

    /** Fills 160 µ-law samples of the digit's tone, starting at sample index {@code from} of the tone. */
    public static void fill(char digit, int from, byte[] out, int offset) {
        int key = KEYS.indexOf(Character.toUpperCase(digit));
        if (key < 0) {
            java.util.Arrays.fill(out, offset, offset + 160, G711.ULAW_SILENCE);
            return;
        }
        double low = 2 * Math.PI * LOW[key / 4] / 8000.0;
        double high = 2 * Math.PI * HIGH[key % 4] / 8000.0;
        for (int k = 0; k < 160; k++) {
            int n = from + k;
            out[offset + k] = G711.linearToUlaw((int) Math.round(AMPLITUDE * (Math.sin(low * n) + Math.sin(high * n))));
        }
    }
}
