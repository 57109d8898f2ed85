package io.voiceorder.bridge.audio;

/**
 * A fixed gain on µ-law audio: decode to 16-bit linear, multiply by 10^(dB/20) with saturation,
 * re-encode — precomputed as one 256-entry table. 0 dB is a pass-through (bytes untouched).
 */
public final class Gain {
    public static final double MIN_DB = -24.0;
    public static final double MAX_DB = 24.0;

    private final byte[] table;

    private Gain(byte[] table) {
        this.table = table;
    }

    public static Gain ofDb(double db) {
        if (Double.isNaN(db) || db < MIN_DB || db > MAX_DB) {
            throw new IllegalArgumentException("gain must be between -24 and +24 dB, got " + db);
        }
        if (db == 0.0) {
            return new Gain(null);
        }
        double factor = Math.pow(10.0, db / 20.0);
        byte[] table = new byte[256];
        for (int code = 0; code < 256; code++) {
            long scaled = Math.round(G711.ulawToLinear((byte) code) * factor);
            table[code] = G711.linearToUlaw((int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, scaled)));
        }
        return new Gain(table);
    }

    public boolean isPassThrough() {
        return table == null;
    }

    /** Applies the gain in place to µ-law bytes. */
    public void applyUlaw(byte[] data, int offset, int length) {
        if (table == null) {
            return;
        }
        for (int i = offset; i < offset + length; i++) {
            data[i] = table[data[i] & 0xFF];
        }
    }
}
