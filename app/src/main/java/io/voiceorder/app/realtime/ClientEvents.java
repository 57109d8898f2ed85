package io.voiceorder.app.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.AgentProfile;
import io.voiceorder.app.config.ServeConfig;

/** The client events serve sends to OpenAI Realtime (GA shapes), as JSON text. */
public final class ClientEvents {
    private final ObjectMapper json;

    public ClientEvents(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The one {@code session.update} of a socket: µ-law both ways, server VAD with the configured
     * values, caller transcription, the agent's voice, instructions and tools. No beta fields.
     */
    public String sessionUpdate(ServeConfig config, AgentProfile agent) {
        ObjectNode root = json.createObjectNode();
        root.put("type", "session.update");
        ObjectNode session = root.putObject("session");
        session.put("type", "realtime");
        session.put("model", config.model());
        session.putArray("output_modalities").add("audio");
        session.put("instructions", agent.instructions());
        ObjectNode audio = session.putObject("audio");
        ObjectNode input = audio.putObject("input");
        input.putObject("format").put("type", "audio/pcmu");
        ObjectNode vad = input.putObject("turn_detection");
        vad.put("type", "server_vad");
        vad.put("threshold", config.vadThreshold());
        vad.put("prefix_padding_ms", config.vadPrefixPaddingMs());
        vad.put("silence_duration_ms", config.vadSilenceMs());
        vad.put("create_response", true);
        vad.put("interrupt_response", true);
        ObjectNode transcription = input.putObject("transcription");
        transcription.put("model", config.transcriptionModel());
        if (agent.language() != null) {
            transcription.put("language", agent.language());
        }
        ObjectNode output = audio.putObject("output");
        output.putObject("format").put("type", "audio/pcmu");
        output.put("voice", agent.voice() != null ? agent.voice() : config.voice());
        ArrayNode tools = session.putArray("tools");
        agent.tools().forEach(tools::add);
        session.put("tool_choice", "auto");
        return root.toString();
    }

    /**
     * Caller audio, passed through as received. The payload was a JSON string; it is inserted
     * verbatim only when it is plain base64, which needs no escaping.
     */
    public static String append(String base64Payload) {
        return "{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + base64Payload + "\"}";
    }

    public static boolean isBase64(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A system message steering the model (a cue); never part of the call transcript. */
    public String systemCue(String text) {
        ObjectNode root = json.createObjectNode();
        root.put("type", "conversation.item.create");
        ObjectNode item = root.putObject("item");
        item.put("type", "message");
        item.put("role", "system");
        ObjectNode part = item.putArray("content").addObject();
        part.put("type", "input_text");
        part.put("text", text);
        return root.toString();
    }

    public String responseCreate() {
        return "{\"type\":\"response.create\"}";
    }

    /** A response with its own instructions and no tools, e.g. the goodbye before hanging up. */
    public String responseCreate(String instructions) {
        ObjectNode root = json.createObjectNode();
        root.put("type", "response.create");
        ObjectNode response = root.putObject("response");
        response.put("instructions", instructions);
        response.put("tool_choice", "none");
        return root.toString();
    }

    public String responseCancel() {
        return "{\"type\":\"response.cancel\"}";
    }

    public String truncate(String itemId, long audioEndMs) {
        ObjectNode root = json.createObjectNode();
        root.put("type", "conversation.item.truncate");
        root.put("item_id", itemId);
        root.put("content_index", 0);
        root.put("audio_end_ms", audioEndMs);
        return root.toString();
    }

    public String functionCallOutput(String callId, ObjectNode result) {
        ObjectNode root = json.createObjectNode();
        root.put("type", "conversation.item.create");
        ObjectNode item = root.putObject("item");
        item.put("type", "function_call_output");
        item.put("call_id", callId);
        item.put("output", result.toString());
        return root.toString();
    }
}
