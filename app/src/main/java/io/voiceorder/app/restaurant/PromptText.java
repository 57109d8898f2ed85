package io.voiceorder.app.restaurant;

import java.util.ArrayList;
import java.util.List;

/**
 * A system prompt kept as the pieces it is made of, in order. A restaurant's large sections (menu,
 * hours, rules) are one string shared by all of its calls; a call only adds its own short pieces
 * (the time, the caller, answered questions), so a call holds references rather than a copy of the
 * whole prompt. {@link #text()} joins the pieces when the prompt is sent.
 *
 * @param parts the pieces, joined without separators
 */
public record PromptText(List<String> parts) {

    public PromptText {
        parts = List.copyOf(parts);
    }

    public static PromptText of(String text) {
        return new PromptText(List.of(text));
    }

    /** This prompt followed by {@code more}. */
    public PromptText then(String... more) {
        List<String> all = new ArrayList<>(parts.size() + more.length);
        all.addAll(parts);
        all.addAll(List.of(more));
        return new PromptText(all);
    }

    public int length() {
        int n = 0;
        for (String p : parts) {
            n += p.length();
        }
        return n;
    }

    /** The whole prompt as one string (a new string each time: callers send it and let it go). */
    public String text() {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        StringBuilder b = new StringBuilder(length());
        for (String p : parts) {
            b.append(p);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
