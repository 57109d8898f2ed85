package io.voiceorder.app.agent.tools;

import java.text.Normalizer;
import java.util.Locale;

/** Option and choice names compared case-, accent- and surrounding-space-insensitively (§6.3). */
final class Names {
    private Names() {
    }

    static String key(String name) {
        if (name == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return decomposed.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    static boolean same(String a, String b) {
        return key(a).equals(key(b));
    }
}
