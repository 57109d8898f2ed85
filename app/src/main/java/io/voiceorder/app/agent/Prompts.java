package io.voiceorder.app.agent;

import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The recorded prompts serve plays itself when no model can speak: "our assistant is unavailable"
 * and "all our lines are busy", in French and English (µ-law, 8 kHz, mono, raw).
 */
@Singleton
public final class Prompts {
    public enum Kind { UNAVAILABLE, BUSY }

    private final Map<String, byte[]> audio = Map.of(
            "unavailable_fr", load("unavailable_fr"),
            "unavailable_en", load("unavailable_en"),
            "busy_fr", load("busy_fr"),
            "busy_en", load("busy_en"));

    /** The prompt in {@code language}: French for {@code fr}, English for every other language. */
    public byte[] get(Kind kind, String language) {
        String lang = "fr".equals(language) ? "fr" : "en";
        return audio.get(kind.name().toLowerCase(java.util.Locale.ROOT) + "_" + lang);
    }

    private static byte[] load(String name) {
        String path = "/prompts/" + name + ".ulaw";
        try (InputStream in = Prompts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing prompt resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
