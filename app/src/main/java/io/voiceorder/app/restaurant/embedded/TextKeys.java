package io.voiceorder.app.restaurant.embedded;

import java.text.Normalizer;
import java.util.Locale;

/** Comparison keys for names and questions: case-, accent- and spacing-insensitive. */
public final class TextKeys {
    private TextKeys() {
    }

    /** Option and choice names (§6.3): lower case, accents removed, surrounding spaces trimmed. */
    public static String match(String s) {
        return stripAccents(s).toLowerCase(Locale.ROOT).trim();
    }

    /** FAQ questions (§6.4.5): lower case, no accents or punctuation, spaces collapsed. */
    public static String question(String s) {
        return stripAccents(s).toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\s]", " ")
                .replaceAll("\\s+", " ")
                .trim();
    }

    private static String stripAccents(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }
}
