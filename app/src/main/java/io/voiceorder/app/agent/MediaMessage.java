package io.voiceorder.app.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The fields serve reads from a caller {@code media} message, found by one streaming pass instead of a
 * tree: media messages are 50 a second per call, the other events a handful per call. Anything that is not
 * a well-formed {@code media} event object yields null, and the message takes the full (tree) path.
 *
 * @param payload the {@code media.payload} text, or null when absent or not a string
 * @param track   the {@code media.track} as text ({@code ""} for a non-scalar), or null when absent
 */
record MediaMessage(String payload, String track) {

    static MediaMessage parse(JsonFactory json, String text) {
        // Every caller event starts with '{'; a cheap look for the event name avoids parsing others twice.
        if (!text.contains("\"media\"")) {
            return null;
        }
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String event = null;
            String payload = null;
            String track = null;
            boolean media = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("event".equals(field)) {
                    event = value == JsonToken.VALUE_STRING ? p.getText() : null;
                } else if ("media".equals(field) && value == JsonToken.START_OBJECT) {
                    // A repeated key replaces the earlier value, as in a tree.
                    media = true;
                    payload = null;
                    track = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("payload".equals(name)) {
                            payload = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        } else if ("track".equals(name)) {
                            track = v.isScalarValue() ? p.getValueAsString("") : "";
                        }
                        p.skipChildren();
                    }
                } else {
                    if ("media".equals(field)) {
                        media = false;
                        payload = null;
                        track = null;
                    }
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || !"media".equals(event) || !media) {
                return null;
            }
            return new MediaMessage(payload, track);
        } catch (IOException e) {
            return null;
        }
    }
}
