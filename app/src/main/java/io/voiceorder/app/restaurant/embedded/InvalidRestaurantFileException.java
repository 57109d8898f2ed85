package io.voiceorder.app.restaurant.embedded;

import java.nio.file.Path;

/**
 * A restaurant file that cannot be used, with the field path of the first problem, e.g.
 * {@code menu.items[2].price: must be a number >= 0}. The message is the operator's sentence
 * {@code RESTAURANT_FILE <path>: <field path>: <problem>.} (serve.md §2.2).
 */
public final class InvalidRestaurantFileException extends Exception {
    private final Path file;
    private final String fieldPath;
    private final String problem;

    public InvalidRestaurantFileException(Path file, String fieldPath, String problem) {
        super("RESTAURANT_FILE " + file + ": " + (fieldPath.isEmpty() ? "" : fieldPath + ": ") + problem + ".",
                null, false, false);
        this.file = file;
        this.fieldPath = fieldPath;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    public String fieldPath() {
        return fieldPath;
    }

    public String problem() {
        return problem;
    }
}
