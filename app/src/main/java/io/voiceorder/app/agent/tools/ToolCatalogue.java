package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * serve's own tool schemas (§6.4), with the original parameter names so back-office schemas and
 * these are interchangeable. Kept as JSON in {@code agent/tools.json}, in the order offered.
 */
public final class ToolCatalogue {
    public static final String END_CALL = "end_call";
    public static final String TRANSFER_CALL = "transfer_call";
    private static final ToolCatalogue INSTANCE = load();

    private final Map<String, JsonNode> schemas;

    private ToolCatalogue(Map<String, JsonNode> schemas) {
        this.schemas = schemas;
    }

    public static ToolCatalogue get() {
        return INSTANCE;
    }

    /**
     * The schemas of {@code names}, in catalogue order. The nodes are the catalogue's own, shared by
     * every call: they are serialized, never modified.
     */
    public List<JsonNode> schemas(Set<String> names) {
        List<JsonNode> result = new ArrayList<>();
        schemas.forEach((name, schema) -> {
            if (names.contains(name)) {
                result.add(schema);
            }
        });
        return result;
    }

    public Set<String> names() {
        return schemas.keySet();
    }

    private static ToolCatalogue load() {
        try (InputStream in = ToolCatalogue.class.getResourceAsStream("/agent/tools.json")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /agent/tools.json");
            }
            Map<String, JsonNode> map = new LinkedHashMap<>();
            for (JsonNode tool : new ObjectMapper().readTree(in)) {
                map.put(tool.path("name").asText(), tool);
            }
            return new ToolCatalogue(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
