package io.voiceorder.app.restaurant.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The restaurants serve knows in embedded mode, read from {@code RESTAURANT_FILE}: one file, a
 * directory of files (one restaurant each), or the bundled sample. {@link #reload()} re-reads the
 * files: a changed, valid set replaces the snapshot for new calls; an invalid one is refused with an
 * {@code ERROR} line and the previous snapshot stays.
 */
public final class RestaurantCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(RestaurantCatalog.class);
    public static final String SAMPLE_RESOURCE = "restaurants/sample.yaml";
    static final Path SAMPLE_NAME = Path.of("classpath:" + SAMPLE_RESOURCE);

    /** What was read: the restaurants by id, and the bytes of each file (to notice changes). */
    private record Snapshot(Map<String, RestaurantDefinition> restaurants, Map<Path, byte[]> contents) {
    }

    private final Path source;
    private final boolean bundled;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();

    private RestaurantCatalog(Path source, boolean bundled, Snapshot first) {
        this.source = source;
        this.bundled = bundled;
        this.current.set(first);
    }

    /**
     * Reads the configured file or directory; unset → {@code ./restaurant.yaml} if present, else the bundled sample.
     */
    public static RestaurantCatalog open(Optional<Path> configured) throws InvalidRestaurantFileException {
        if (configured.isEmpty()) {
            Path local = Path.of("restaurant.yaml");
            if (Files.isRegularFile(local)) {
                configured = Optional.of(Path.of(".", "restaurant.yaml"));
            } else {
                return new RestaurantCatalog(SAMPLE_NAME, true, readSample());
            }
        }
        Path path = configured.get();
        return new RestaurantCatalog(path, false, read(path));
    }

    /** Where the restaurants come from, as messages name it. */
    public Path source() {
        return source;
    }

    public Optional<RestaurantDefinition> get(String id) {
        return Optional.ofNullable(current.get().restaurants().get(id));
    }

    /** Restaurant ids, in file order. */
    public List<String> ids() {
        return List.copyOf(current.get().restaurants().keySet());
    }

    /**
     * Re-reads the files if any changed. Returns true when a new snapshot was applied.
     * A file that became invalid is logged at {@code ERROR} and the previous snapshot stays.
     */
    public boolean reload() {
        if (bundled) {
            return false;
        }
        Snapshot before = current.get();
        Map<Path, byte[]> now;
        try {
            now = contents(source);
        } catch (InvalidRestaurantFileException e) {
            LOG.error("restaurant file not reloaded, the previous version stays: {}", e.getMessage());
            return false;
        }
        if (sameContents(before.contents(), now)) {
            return false;
        }
        try {
            Snapshot next = parse(source, now);
            current.set(next);
            LOG.info("restaurant file reloaded from {}: {} (applies to new calls)", source, String.join(", ", next.restaurants().keySet()));
            return true;
        } catch (InvalidRestaurantFileException e) {
            LOG.error("restaurant file not reloaded, the previous version stays: {}", e.getMessage());
            return false;
        }
    }

    private static Snapshot readSample() throws InvalidRestaurantFileException {
        try (InputStream in = RestaurantCatalog.class.getClassLoader().getResourceAsStream(SAMPLE_RESOURCE)) {
            if (in == null) {
                throw new InvalidRestaurantFileException(SAMPLE_NAME, "", "the bundled sample is missing from the classpath");
            }
            byte[] bytes = in.readAllBytes();
            RestaurantDefinition r = RestaurantFileReader.parse(SAMPLE_NAME, new String(bytes, StandardCharsets.UTF_8), true);
            return new Snapshot(Map.of(r.id(), r), Map.of(SAMPLE_NAME, bytes));
        } catch (IOException e) {
            throw new InvalidRestaurantFileException(SAMPLE_NAME, "", "the bundled sample cannot be read");
        }
    }

    private static Snapshot read(Path path) throws InvalidRestaurantFileException {
        return parse(path, contents(path));
    }

    /** The bytes of the file, or of each restaurant file of the directory (sorted by name). */
    private static Map<Path, byte[]> contents(Path path) throws InvalidRestaurantFileException {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        try {
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> s = Files.list(path)) {
                    files = s.filter(Files::isRegularFile).filter(RestaurantFileReader::isRestaurantFile).sorted().toList();
                }
                if (files.isEmpty()) {
                    throw new InvalidRestaurantFileException(path, "", "the directory holds no .yaml, .yml or .json file");
                }
                for (Path f : files) {
                    out.put(f, Files.readAllBytes(f));
                }
            } else if (Files.isRegularFile(path)) {
                out.put(path, Files.readAllBytes(path));
            } else {
                throw new InvalidRestaurantFileException(path, "", "no such file or directory");
            }
        } catch (IOException e) {
            throw new InvalidRestaurantFileException(path, "", "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return out;
    }

    private static Snapshot parse(Path source, Map<Path, byte[]> contents) throws InvalidRestaurantFileException {
        Map<String, RestaurantDefinition> byId = new LinkedHashMap<>();
        for (Map.Entry<Path, byte[]> e : contents.entrySet()) {
            RestaurantDefinition r = RestaurantFileReader.read(e.getKey(), e.getValue());
            if (byId.containsKey(r.id())) {
                throw new InvalidRestaurantFileException(e.getKey(), "restaurant.id",
                        "duplicates the id \"" + r.id() + "\" of another file in " + source);
            }
            byId.put(r.id(), r);
        }
        return new Snapshot(byId, contents);
    }

    private static boolean sameContents(Map<Path, byte[]> a, Map<Path, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<Path, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

}
