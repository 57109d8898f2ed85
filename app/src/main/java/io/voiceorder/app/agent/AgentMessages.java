package io.voiceorder.app.agent;

import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The texts serve gives the model — tool result messages, cues, the rules block — from the bundles
 * {@code agent-messages_fr} and {@code agent-messages_en}. French for {@code fr}, English for every
 * other language (the instructions then tell the model which language to speak).
 */
public final class AgentMessages {
    private static final AgentMessages FRENCH = new AgentMessages("fr");
    private static final AgentMessages ENGLISH = new AgentMessages("en");

    private final ResourceBundle bundle;

    private AgentMessages(String language) {
        // The base name has no root bundle: each language file is complete on its own.
        this.bundle = ResourceBundle.getBundle("agent-messages", Locale.forLanguageTag(language),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static AgentMessages of(String language) {
        return "fr".equalsIgnoreCase(language) ? FRENCH : ENGLISH;
    }

    /**
     * The text of {@code key} with {@code {0}}, {@code {1}}… replaced by the arguments as given (plain
     * substitution: apostrophes in the bundles are literal, numbers are not reformatted).
     */
    public String get(String key, Object... args) {
        String text = bundle.getString(key);
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    public boolean has(String key) {
        return bundle.containsKey(key);
    }
}
