package io.voiceorder.bridge.registrar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The devices' bindings, one per user, kept in memory and saved to {@code <dir>/bridge-bindings.json} on every
 * change (written to a temporary file, then moved into place), so that a restart does not lock a device out until
 * its next REGISTER (bridge.md §5.2). Expired bindings are never returned and are dropped when loading.
 */
public final class BindingStore {
    public static final String FILE_NAME = "bridge-bindings.json";
    private static final Logger LOG = LoggerFactory.getLogger(BindingStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;
    private final Executor saver;
    private final Map<String, Binding> bindings = new ConcurrentHashMap<>();
    private final Object fileLock = new Object();

    /**
     * @param saver runs the file writes, off the SIP listener thread
     */
    public BindingStore(Path dir, Clock clock, Executor saver) {
        this.file = dir.resolve(FILE_NAME);
        this.clock = clock;
        this.saver = saver;
    }

    /** Reads the saved bindings of {@code users} (others are no longer configured), dropping expired ones. */
    public void load(java.util.Set<String> users) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            for (JsonNode n : root.path("bindings")) {
                Binding b = new Binding(n.path("user").asText(), n.path("contact").asText(), n.path("source_host").asText(),
                        n.path("source_port").asInt(), n.path("transport").asText("udp"),
                        n.hasNonNull("user_agent") ? n.path("user_agent").asText() : null,
                        Instant.parse(n.path("expires_at").asText()));
                if (users.contains(b.user()) && !b.expired(clock)) {
                    bindings.put(b.user(), b);
                }
            }
            LOG.info("{} device binding(s) reloaded from {}", bindings.size(), file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("device bindings in {} not readable ({}): devices register again", file, e.toString());
        }
    }

    public void put(Binding binding) {
        bindings.put(binding.user(), binding);
        saveLater();
    }

    public void remove(String user) {
        if (bindings.remove(user) != null) {
            saveLater();
        }
    }

    public Optional<Binding> find(String user) {
        Binding b = bindings.get(user);
        return b == null || b.expired(clock) ? Optional.empty() : Optional.of(b);
    }

    /** Whether {@code ip} is the source of a current binding (bridge.md §5.3 rule 4). */
    public boolean isBoundSource(String ip) {
        return bindings.values().stream().anyMatch(b -> b.sourceHost().equals(ip) && !b.expired(clock));
    }

    /** Current bindings, oldest registration first. */
    public List<Binding> current() {
        return bindings.values().stream().filter(b -> !b.expired(clock))
                .sorted(Comparator.comparing(Binding::expiresAt)).toList();
    }

    private void saveLater() {
        try {
            saver.execute(this::save);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the bridge is stopping: close() saves the bindings one last time
        }
    }

    /** Writes the file now (also used at shutdown, so that no change waits in the saver). */
    public void save() {
        synchronized (fileLock) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode list = root.putArray("bindings");
            for (Binding b : bindings.values()) {
                ObjectNode n = list.addObject();
                n.put("user", b.user());
                n.put("contact", b.contact());
                n.put("source_host", b.sourceHost());
                n.put("source_port", b.sourcePort());
                n.put("transport", b.transport());
                n.put("user_agent", b.userAgent());
                n.put("expires_at", b.expiresAt().toString());
            }
            try {
                Files.createDirectories(file.getParent());
                Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
                JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                LOG.warn("device bindings not saved to {}: {}", file, e.toString());
            }
        }
    }
}
