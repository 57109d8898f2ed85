package io.voiceorder.app.twilio;

import java.util.Map;

/** The TwiML documents serve answers Twilio's webhook with. Every value is XML-escaped. */
public final class Twiml {
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private Twiml() {
    }

    /**
     * Connects a bidirectional stream. Nothing follows {@code <Connect>}, so when serve closes the
     * stream Twilio hangs up. The one-second pause keeps the greeting from being clipped at answer time.
     */
    public static String stream(String streamUrl, Map<String, String> parameters, boolean pause) {
        StringBuilder b = new StringBuilder(HEAD).append("<Response>\n");
        if (pause) {
            b.append("  <Pause length=\"1\"/>\n");
        }
        b.append("  <Connect>\n    <Stream url=\"").append(escape(streamUrl)).append("\">\n");
        parameters.forEach((name, value) -> b.append("      <Parameter name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\"/>\n"));
        return b.append("    </Stream>\n  </Connect>\n</Response>\n").toString();
    }

    /**
     * All lines busy: a spoken sentence, then hang up. French for a French-speaking restaurant
     * ({@code fr}, {@code fr-FR}, …), English for every other language.
     */
    public static String busy(String language) {
        boolean french = language != null && language.strip().toLowerCase(java.util.Locale.ROOT).matches("fr([-_].*)?");
        return HEAD + "<Response><Say language=\"" + (french ? "fr-FR" : "en-US") + "\">"
                + escape(french ? "Toutes nos lignes sont occupées. Merci de rappeler dans quelques minutes."
                        : "All our lines are busy. Please call again in a few minutes.")
                + "</Say><Hangup/></Response>\n";
    }

    /** A blocked caller: the call is refused without being answered. */
    public static String reject() {
        return HEAD + "<Response><Reject/></Response>\n";
    }

    /** {@link #dial} as a whole webhook answer (automatic transfer). */
    public static String dialDocument(String number, int ringTimeoutSec, String actionUrl) {
        return HEAD + dial(number, ringTimeoutSec, actionUrl) + "\n";
    }

    /**
     * Dials a person: {@code <Dial timeout action method>number</Dial>}. Twilio requests {@code actionUrl}
     * when the dialled leg ends, which is how serve learns whether anyone answered.
     *
     * @param number {@code +} and digits (see {@link DialNumber})
     */
    public static String dial(String number, int ringTimeoutSec, String actionUrl) {
        return "<Response><Dial timeout=\"" + ringTimeoutSec + "\" action=\"" + escape(actionUrl)
                + "\" method=\"POST\">" + escape(DialNumber.require(number)) + "</Dial></Response>";
    }

    /** A call whose transferred leg was answered: nothing more to do but hang up. */
    public static String hangup() {
        return HEAD + "<Response><Hangup/></Response>\n";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    // Characters XML 1.0 cannot carry at all are dropped rather than sent invalid.
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
