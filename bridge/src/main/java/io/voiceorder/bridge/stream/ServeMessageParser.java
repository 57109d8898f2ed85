package io.voiceorder.bridge.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads one message from serve (bridge.md §7.3) with a streaming parser over the frame's UTF-8 bytes: no
 * tree, no intermediate strings, the media payload decoded from the parser's own buffer. One non-blocking
 * parser per stream is fed message after message (a parser per message would cost more than the message),
 * and replaced whenever a message does not end cleanly after one JSON value. Only the fields the bridge
 * acts on are kept ({@code event}, {@code streamSid}, {@code media.payload}, {@code mark.name}); everything
 * else is skipped. Field order does not matter; a repeated key keeps its last value. Not thread-safe: one
 * message at a time.
 */
public final class ServeMessageParser {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ServeMessage.Clear CLEAR = new ServeMessage.Clear();
    private static final ServeMessage.Stop STOP = new ServeMessage.Stop();
    private static final int RENEW_AFTER = 4096;

    /** What a message turned out to be: a message to act on, or why it is dropped. */
    public record Outcome(ServeMessage message, String dropReason, String detail) {
        static Outcome drop(String reason, String detail) {
            return new Outcome(null, reason, detail);
        }
    }

    private final String streamSid;
    /** A message's bytes, copied here for the parser, which reads them after they are fed (reused). */
    private byte[] copy = new byte[1024];
    private JsonParser parser;
    /** Messages read by the current parser: it is renewed now and then, so field names it has seen (its symbol table) stay bounded. */
    private int parsed;

    /** @param streamSid this call's stream sid: a message naming another one is dropped */
    public ServeMessageParser(String streamSid) {
        this.streamSid = streamSid;
    }

    /** Parses a message's UTF-8 bytes (the readable bytes of {@code utf8}, which is left unchanged). */
    public Outcome parse(ByteBuf utf8) {
        int length = utf8.readableBytes();
        ensureCopy(length);
        utf8.getBytes(utf8.readerIndex(), copy, 0, length);
        return parseCopy(length);
    }

    /** Parses {@code length} UTF-8 bytes of {@code utf8} from {@code offset}; they are only read during the call. */
    public Outcome parse(byte[] utf8, int offset, int length) {
        ensureCopy(length);
        System.arraycopy(utf8, offset, copy, 0, length);
        return parseCopy(length);
    }

    public Outcome parse(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return parse(utf8, 0, utf8.length);
    }

    private void ensureCopy(int length) {
        if (copy.length < length) {
            copy = new byte[Math.max(length, 2 * copy.length)];
        }
    }

    private Outcome parseCopy(int length) {
        JsonParser p = parser;
        boolean clean = false;
        try {
            if (p == null || ++parsed > RENEW_AFTER) {
                p = JSON.createNonBlockingByteArrayParser();
                parser = p;
                parsed = 0;
            }
            ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(copy, 0, length);
            Outcome outcome = read(p);
            // Ready for the next message only when this one was exactly one complete JSON object.
            clean = p.currentToken() == JsonToken.END_OBJECT && p.getParsingContext().inRoot()
                    && p.nextToken() == JsonToken.NOT_AVAILABLE;
            return outcome;
        } catch (IOException | RuntimeException e) {
            return Outcome.drop("malformed", "not JSON");
        } finally {
            if (!clean) {
                parser = null;
            }
        }
    }

    private Outcome read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return Outcome.drop("malformed", "not a JSON object");
        }
        String event = null;
        boolean otherStream = false;
        byte[] payload = null;
        boolean payloadText = false;
        boolean payloadBase64 = false;
        String markName = null;
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "event" -> event = value == JsonToken.VALUE_STRING ? event(p) : null;
                case "streamSid" -> otherStream = value != JsonToken.VALUE_NULL && !sameSid(p, value);
                case "media" -> {
                    payload = null;
                    payloadText = false;
                    payloadBase64 = false;
                    if (value == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            boolean isPayload = "payload".equals(p.currentName());
                            JsonToken v = p.nextToken();
                            if (isPayload) {
                                payloadText = v == JsonToken.VALUE_STRING;
                                payload = null;
                                payloadBase64 = false;
                                if (payloadText) {
                                    try {
                                        payload = Base64Chars.decode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                                        payloadBase64 = true;
                                    } catch (IllegalArgumentException e) {
                                        payloadBase64 = false;
                                    }
                                }
                            }
                            p.skipChildren();
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "mark" -> {
                    markName = null;
                    if (value == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            boolean isName = "name".equals(p.currentName());
                            JsonToken v = p.nextToken();
                            if (isName) {
                                markName = v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : null;
                            }
                            p.skipChildren();
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            return Outcome.drop("malformed", "not JSON");
        }
        if (event == null) {
            return Outcome.drop("unknown_event", "no event");
        }
        if (otherStream) {
            return Outcome.drop("wrong_stream", "a message for another stream");
        }
        return switch (event) {
            case "media" -> !payloadText ? Outcome.drop("bad_payload", "media without a string payload")
                    : !payloadBase64 ? Outcome.drop("bad_payload", "media payload is not base64")
                    : new Outcome(new ServeMessage.Media(payload), null, null);
            case "mark" -> new Outcome(new ServeMessage.Mark(markName == null ? "" : markName), null, null);
            case "clear" -> new Outcome(CLEAR, null, null);
            case "stop" -> new Outcome(STOP, null, null);
            default -> Outcome.drop("unknown_event", "unknown event " + abbreviate(event));
        };
    }

    private static final String[] EVENTS = {"media", "mark", "clear", "stop"};

    /** The event name: one of the known names without making a string, any other as read. */
    private static String event(JsonParser p) throws IOException {
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        for (String known : EVENTS) {
            if (equal(known, chars, offset, length)) {
                return known;
            }
        }
        return p.getText();
    }

    private static boolean equal(String s, char[] chars, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (chars[offset + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a {@code streamSid} value names this stream (a non-string scalar compares by its text, a structure never matches). */
    private boolean sameSid(JsonParser p, JsonToken value) throws IOException {
        if (!value.isScalarValue()) {
            p.skipChildren();
            return false;
        }
        return equal(streamSid, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
