package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Lenient reads of back-office JSON: a field missing, null or of another type gives the fallback,
 * prices arrive as numbers or numeric strings, times in whichever ISO-8601 form the back office used.
 */
final class JsonValues {
    private JsonValues() {
    }

    /** The first of {@code names} present and not null, else a missing node. */
    static JsonNode field(JsonNode node, String... names) {
        for (String n : names) {
            JsonNode v = node.path(n);
            if (!v.isMissingNode() && !v.isNull()) {
                return v;
            }
        }
        return MissingNode.getInstance();
    }

    static String text(JsonNode node, String... names) {
        JsonNode v = field(node, names);
        return v.isValueNode() ? v.asText() : null;
    }

    static boolean bool(JsonNode node, boolean fallback, String... names) {
        JsonNode v = field(node, names);
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            return "true".equalsIgnoreCase(v.asText().trim()) || (!"false".equalsIgnoreCase(v.asText().trim()) && fallback);
        }
        return fallback;
    }

    static Integer integer(JsonNode node, String... names) {
        BigDecimal d = decimal(node, names);
        return d == null ? null : d.intValue();
    }

    static int integer(JsonNode node, int fallback, String... names) {
        Integer i = integer(node, names);
        return i == null ? fallback : i;
    }

    static Double real(JsonNode node, String... names) {
        BigDecimal d = decimal(node, names);
        return d == null ? null : d.doubleValue();
    }

    /** A number or a numeric string ({@code 9.5}, {@code "9.50"}); anything else null. */
    static BigDecimal decimal(JsonNode node, String... names) {
        JsonNode v = field(node, names);
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.asText().trim().replace(',', '.'));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * An instant with its offset: ISO with offset or {@code Z}; a local date-time or a bare {@code HH:MM}
     * is read in {@code zone} (a bare time means today).
     */
    static OffsetDateTime dateTime(JsonNode node, ZoneId zone, String... names) {
        String s = text(node, names);
        if (s == null || s.isBlank()) {
            return null;
        }
        s = s.trim();
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException ignored) {
            // other forms below
        }
        try {
            return Instant.parse(s).atZone(zone).toOffsetDateTime();
        } catch (DateTimeParseException ignored) {
            // other forms below
        }
        try {
            return LocalDateTime.parse(s.replace(' ', 'T')).atZone(zone).toOffsetDateTime();
        } catch (DateTimeParseException ignored) {
            // other forms below
        }
        try {
            return LocalDate.now(zone).atTime(LocalTime.parse(s)).atZone(zone).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
