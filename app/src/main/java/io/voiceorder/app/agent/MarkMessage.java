package io.voiceorder.app.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The name of a caller {@code mark} echo, found by one streaming pass instead of a tree: echoes come back as
 * often as serve sends audio chunks. Anything that is not a well-formed {@code mark} event object with a string
 * {@code mark.name} yields null, and the message takes the full (tree) path.
 */
record MarkMessage(String name) {

    static MarkMessage parse(JsonFactory json, String text) {
        if (!text.contains("\"mark\"")) {
            return null;
        }
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String event = null;
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("event".equals(field)) {
                    event = value == JsonToken.VALUE_STRING ? p.getText() : null;
                } else if ("mark".equals(field)) {
                    // A repeated key replaces the earlier value, as in a tree.
                    name = null;
                    if (value == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            JsonToken v = p.nextToken();
                            if ("name".equals(inner)) {
                                name = v == JsonToken.VALUE_STRING ? p.getText() : null;
                            }
                            p.skipChildren();
                        }
                    } else {
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || !"mark".equals(event) || name == null) {
                return null;
            }
            return new MarkMessage(name);
        } catch (IOException e) {
            return null;
        }
    }
}
