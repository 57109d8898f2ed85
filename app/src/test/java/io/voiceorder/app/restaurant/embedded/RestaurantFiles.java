package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled sample as a tree tests change field by field, written back as YAML or JSON. */
final class RestaurantFiles {
    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private RestaurantFiles() {
    }

    static ObjectNode sample() {
        try (InputStream in = RestaurantFiles.class.getClassLoader().getResourceAsStream(RestaurantCatalog.SAMPLE_RESOURCE)) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets (or, with null, removes) the field at a path such as {@code menu.items[2].price}. */
    static ObjectNode set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = step(node, parts[i]);
        }
        String last = parts[parts.length - 1];
        if (last.endsWith("]")) {
            String name = last.substring(0, last.indexOf('['));
            int index = Integer.parseInt(last.substring(last.indexOf('[') + 1, last.length() - 1));
            ((ArrayNode) node.get(name)).set(index, value);
        } else if (value == null) {
            ((ObjectNode) node).remove(last);
        } else {
            ((ObjectNode) node).set(last, value);
        }
        return root;
    }

    static JsonNode step(JsonNode node, String part) {
        if (part.endsWith("]")) {
            String name = part.substring(0, part.indexOf('['));
            int index = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.length() - 1));
            return node.get(name).get(index);
        }
        return node.get(part);
    }

    static Path write(Path dir, String name, JsonNode root) {
        try {
            Path file = dir.resolve(name);
            String text = name.endsWith(".json") ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                    : YAML.writeValueAsString(root);
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
