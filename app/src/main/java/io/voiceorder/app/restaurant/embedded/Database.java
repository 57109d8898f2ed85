package io.voiceorder.app.restaurant.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.voiceorder.app.config.BackendSettings;
import io.voiceorder.app.config.DatabaseUrls;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The embedded backend's database: H2 (file under {@code ./data/} by default) or PostgreSQL, a small
 * connection pool, and the Flyway migrations of {@code classpath:db/migration} applied at open.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Work done on one connection inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** The database could not be opened or migrated; the message names the masked URL and the cause. */
    public static final class OpenException extends Exception {
        OpenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HikariDataSource pool;
    private final String kind;

    private Database(HikariDataSource pool, String kind) {
        this.pool = pool;
        this.kind = kind;
    }

    /** Opens the pool and migrates the schema. */
    public static Database open(BackendSettings settings) throws OpenException {
        DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc(settings.databaseUrl());
        String kind = jdbc.url().toLowerCase(Locale.ROOT).startsWith("jdbc:h2:") ? "h2" : "postgresql";
        HikariDataSource pool = null;
        try {
            if (kind.equals("h2")) {
                createH2Directory(jdbc.url());
            }
            HikariConfig cfg = new HikariConfig();
            cfg.setPoolName("voiceorder-db");
            cfg.setJdbcUrl(jdbc.url());
            settings.databaseUser().or(jdbc::user).ifPresent(cfg::setUsername);
            if (settings.databasePassword().isSet()) {
                cfg.setPassword(settings.databasePassword().reveal());
            } else {
                jdbc.password().ifPresent(cfg::setPassword);
            }
            cfg.setMaximumPoolSize(6);
            cfg.setMinimumIdle(1);
            cfg.setConnectionTimeout(5_000);
            cfg.setInitializationFailTimeout(5_000);
            cfg.setAutoCommit(true);
            pool = new HikariDataSource(cfg);
            MigrateResult migrated = Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            LOG.info("database {} ready: schema version {}, {} migration(s) applied now", kind,
                    migrated.targetSchemaVersion != null ? migrated.targetSchemaVersion : migrated.initialSchemaVersion,
                    migrated.migrationsExecuted);
            return new Database(pool, kind);
        } catch (RuntimeException | IOException e) {
            if (pool != null) {
                pool.close();
            }
            throw new OpenException("cannot open the database (DATABASE_URL=" + DatabaseUrls.maskPassword(settings.databaseUrl())
                    + "): " + cause(e) + ". Check DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD.", e);
        }
    }

    /** {@code h2} or {@code postgresql}. */
    public String kind() {
        return kind;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Runs a read (or a single statement) in auto-commit mode. */
    public <T> T read(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        }
    }

    /** True when a connection can be had and answers within 2 s. */
    public boolean usable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** {@code jdbc:h2:file:./data/voiceorder;…} or {@code jdbc:h2:./data/voiceorder}: create {@code ./data}. */
    private static void createH2Directory(String url) throws IOException {
        String rest = url.substring("jdbc:h2:".length());
        int semi = rest.indexOf(';');
        if (semi >= 0) {
            rest = rest.substring(0, semi);
        }
        if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:")) {
            return;
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        Path parent = Path.of(rest).toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** The deepest cause's message, never holding the password (drivers do not echo it). */
    private static String cause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replaceAll("\\s+", " ").trim();
        if (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
