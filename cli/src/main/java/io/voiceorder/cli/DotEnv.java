package io.voiceorder.cli;

import io.voiceorder.app.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code .env} file of the working directory: {@code KEY=VALUE} lines, an optional {@code export }
 * prefix, values bare, {@code 'single'} (literal) or {@code "double"} quoted ({@code \n \" \\} escapes),
 * {@code #} comments and blank lines. A later line wins over an earlier one with the same key.
 * Error messages name the line, never its content: the line may hold a secret.
 */
final class DotEnv {
    static final String FILE_NAME = ".env";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private DotEnv() {
    }

    /**
     * Reads {@code .env} in {@code directory}; a missing file is an empty map.
     *
     * @throws ConfigException when the file cannot be read or a line is malformed
     */
    static Map<String, String> load(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "). Fix its permissions or remove it.");
        }
        return parse(lines);
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 ? stripByteOrderMark(lines.get(i)) : lines.get(i);
            try {
                parseLine(line.strip(), vars);
            } catch (MalformedLine e) {
                throw new ConfigException(FILE_NAME + " line " + (i + 1) + ": " + e.getMessage() + ".");
            }
        }
        return vars;
    }

    private static void parseLine(String line, Map<String, String> vars) {
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        if (line.startsWith("export ")) {
            line = line.substring("export ".length()).stripLeading();
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
            throw new MalformedLine("expected KEY=VALUE");
        }
        String name = line.substring(0, eq).strip();
        if (!NAME.matcher(name).matches()) {
            throw new MalformedLine("the name before '=' must be letters, digits and underscores, not starting with a digit");
        }
        vars.put(name, value(line.substring(eq + 1).strip()));
    }

    private static String value(String raw) {
        if (raw.startsWith("\"") || raw.startsWith("'")) {
            return quoted(raw);
        }
        int comment = raw.indexOf(" #");
        return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }

    private static String quoted(String raw) {
        char quote = raw.charAt(0);
        StringBuilder value = new StringBuilder();
        int i = 1;
        for (; i < raw.length() && raw.charAt(i) != quote; i++) {
            char c = raw.charAt(i);
            if (quote == '"' && c == '\\' && i + 1 < raw.length() && "n\"\\".indexOf(raw.charAt(i + 1)) >= 0) {
                char next = raw.charAt(++i);
                value.append(next == 'n' ? '\n' : next);
            } else {
                value.append(c);
            }
        }
        if (i >= raw.length()) {
            throw new MalformedLine("the value has no closing " + quote);
        }
        String rest = raw.substring(i + 1).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
            throw new MalformedLine("unexpected text after the closing " + quote);
        }
        return value.toString();
    }

    private static String stripByteOrderMark(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static final class MalformedLine extends RuntimeException {
        MalformedLine(String problem) {
            super(problem, null, false, false);
        }
    }
}
