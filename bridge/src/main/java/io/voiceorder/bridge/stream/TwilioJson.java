package io.voiceorder.bridge.stream;

import java.util.Map;

/**
 * The caller-side messages of the media-stream protocol, written exactly as Twilio writes them
 * (bridge.md §7.2): counters as JSON strings, {@code sampleRate} and {@code channels} as numbers.
 */
public final class TwilioJson {
    public static final String CONNECTED = "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";

    private TwilioJson() {
    }

    public static String start(long seq, String sid, String accountSid, Map<String, String> customParameters) {
        StringBuilder b = new StringBuilder(512)
                .append("{\"event\":\"start\",\"sequenceNumber\":\"").append(seq)
                .append("\",\"streamSid\":").append(quote(sid))
                .append(",\"start\":{\"streamSid\":").append(quote(sid))
                .append(",\"accountSid\":").append(quote(accountSid))
                .append(",\"callSid\":").append(quote(sid))
                .append(",\"tracks\":[\"inbound\"],\"customParameters\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : customParameters.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
        }
        return b.append("},\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}")
                .toString();
    }

    public static String media(long seq, String sid, long chunk, String base64Payload) {
        return new StringBuilder(300)
                .append("{\"event\":\"media\",\"sequenceNumber\":\"").append(seq)
                .append("\",\"streamSid\":").append(quote(sid))
                .append(",\"media\":{\"track\":\"inbound\",\"chunk\":\"").append(chunk)
                .append("\",\"timestamp\":\"").append(chunk * 20)
                .append("\",\"payload\":\"").append(base64Payload).append("\"}}")
                .toString();
    }

    public static String dtmf(long seq, String sid, char digit) {
        return "{\"event\":\"dtmf\",\"streamSid\":" + quote(sid) + ",\"sequenceNumber\":\"" + seq
                + "\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":" + quote(String.valueOf(digit)) + "}}";
    }

    public static String mark(long seq, String sid, String name) {
        return "{\"event\":\"mark\",\"sequenceNumber\":\"" + seq + "\",\"streamSid\":" + quote(sid)
                + ",\"mark\":{\"name\":" + quote(name) + "}}";
    }

    /**
     * Writes a mark message into {@code out} (cleared first), so a connection can reuse one builder.
     * @param quotedSid the stream sid already written as a JSON string ({@link #quote})
     */
    public static void mark(StringBuilder out, long seq, String quotedSid, String name) {
        out.setLength(0);
        out.append("{\"event\":\"mark\",\"sequenceNumber\":\"").append(seq).append("\",\"streamSid\":").append(quotedSid)
                .append(",\"mark\":{\"name\":");
        appendQuoted(out, name);
        out.append("}}");
    }

    public static String stop(long seq, String sid, String accountSid) {
        return "{\"event\":\"stop\",\"sequenceNumber\":\"" + seq + "\",\"streamSid\":" + quote(sid)
                + ",\"stop\":{\"accountSid\":" + quote(accountSid) + ",\"callSid\":" + quote(sid) + "}}";
    }

    /** A JSON string literal (RFC 8259 escaping). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        appendQuoted(b, s);
        return b.toString();
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259 escaping). */
    public static void appendQuoted(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
