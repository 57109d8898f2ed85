package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalTime;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a tool's arguments like user input: types, enums, lengths. Unknown properties are ignored;
 * a wrong one throws {@link InvalidArgumentException} naming the field. Strings are stripped;
 * whole numbers may arrive as JSON integers or as integral numbers ({@code 2.0}).
 */
final class ToolArgs {
    static final int DEFAULT_MAX_CHARS = 200;
    private static final Pattern HH_MM = Pattern.compile("([01]?\\d|2[0-3]):([0-5]\\d)");

    private final JsonNode args;

    ToolArgs(JsonNode args) {
        this.args = args == null || !args.isObject() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : args;
    }

    JsonNode raw() {
        return args;
    }

    /** A string of at most {@code maxChars}, or null when absent, null or blank. */
    String optionalText(String field, int maxChars) throws InvalidArgumentException {
        return text(args, field, maxChars, false);
    }

    String requiredText(String field, int maxChars) throws InvalidArgumentException {
        return text(args, field, maxChars, true);
    }

    static String text(JsonNode node, String field, int maxChars, boolean required) throws InvalidArgumentException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                throw new InvalidArgumentException("invalid_arguments", field, "required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidArgumentException("invalid_arguments", field, "must be a string");
        }
        String s = v.asText().strip();
        if (s.length() > maxChars) {
            throw new InvalidArgumentException("invalid_arguments", field, "at most " + maxChars + " characters");
        }
        return s;
    }

    /** One of {@code allowed}, or null when absent. */
    String optionalEnum(String field, List<String> allowed) throws InvalidArgumentException {
        String v = optionalText(field, DEFAULT_MAX_CHARS);
        if (v != null && !allowed.contains(v)) {
            throw new InvalidArgumentException("invalid_arguments", field, "must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    String requiredEnum(String field, List<String> allowed) throws InvalidArgumentException {
        String v = requiredText(field, DEFAULT_MAX_CHARS);
        if (!allowed.contains(v)) {
            throw new InvalidArgumentException("invalid_arguments", field, "must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    Integer optionalInt(String field) throws InvalidArgumentException {
        return integer(args, field);
    }

    int requiredInt(String field) throws InvalidArgumentException {
        Integer v = integer(args, field);
        if (v == null) {
            throw new InvalidArgumentException("invalid_arguments", field, "required");
        }
        return v;
    }

    /** A whole number, or null when absent; a numeric string is accepted as the model sometimes quotes numbers. */
    static Integer integer(JsonNode node, String field) throws InvalidArgumentException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.asInt();
        }
        if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < Integer.MAX_VALUE) {
            return (int) v.asDouble();
        }
        if (v.isTextual() && v.asText().strip().matches("[+-]?\\d{1,9}")) {
            return Integer.parseInt(v.asText().strip());
        }
        throw new InvalidArgumentException("invalid_arguments", field, "must be a whole number");
    }

    boolean optionalBoolean(String field, boolean fallback) throws InvalidArgumentException {
        JsonNode v = args.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new InvalidArgumentException("invalid_arguments", field, "must be true or false");
    }

    /** A number, or null when absent. */
    java.math.BigDecimal optionalNumber(String field) throws InvalidArgumentException {
        JsonNode v = args.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new java.math.BigDecimal(v.asText().strip().replace(',', '.'));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new InvalidArgumentException("invalid_arguments", field, "must be a number");
    }

    /** {@code HH:MM} between 00:00 and 23:59, or null when absent; anything else is {@code invalid_time}. */
    LocalTime optionalTime(String field) throws InvalidArgumentException {
        JsonNode v = args.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            return null;
        }
        var m = v.isTextual() ? HH_MM.matcher(v.asText().strip()) : null;
        if (m == null || !m.matches()) {
            throw new InvalidArgumentException("invalid_time", field, "must be HH:MM between 00:00 and 23:59");
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    LocalTime requiredTime(String field) throws InvalidArgumentException {
        LocalTime t = optionalTime(field);
        if (t == null) {
            throw new InvalidArgumentException("invalid_time", field, "required, HH:MM");
        }
        return t;
    }
}
