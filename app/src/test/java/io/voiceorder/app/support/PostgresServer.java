package io.voiceorder.app.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from the Debian {@code postgresql} package: its own data directory,
 * a free port on 127.0.0.1, trust authentication, stopped and deleted by {@link #close()}.
 * PostgreSQL refuses to run as root, so as root every server command runs as the {@code postgres} user.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path binDir;
    private final Path dir;
    private final Path data;
    private final int port;

    private PostgresServer(Path binDir, Path dir, int port) {
        this.binDir = binDir;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** Initialises and starts a server; fails (never skips) when PostgreSQL is not installed. */
    public static PostgresServer start() {
        Path bin = findBinDir();
        try {
            Path dir = Files.createTempDirectory("voiceorder-pg-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            PostgresServer pg = new PostgresServer(bin, dir, ServeHarness.freePort());
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", dir.toString()), 30);
            }
            pg.asServerUser(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--no-sync"), 120);
            pg.asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", pg.data.toString(), "-w", "-t", "60",
                    "-l", dir.resolve("server.log").toString(),
                    "-o", "-p " + pg.port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off", "start"), 90);
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL", e);
        }
    }

    /** A new empty database on this server; returns its JDBC URL (user {@code postgres}, no password). */
    public String createDatabase() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database", e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            asServerUser(List.of(binDir.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                    "-t", "30", "stop"), 60);
        } catch (RuntimeException e) {
            // Already stopped: the directory still goes.
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Temporary directory: the OS cleans it eventually.
        }
    }

    private void asServerUser(List<String> command, int timeoutSec) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, timeoutSec);
    }

    private static void run(List<String> command, int timeoutSec) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            boolean done = p.waitFor(timeoutSec, TimeUnit.SECONDS);
            String output = new String(p.getInputStream().readAllBytes());
            if (!done) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish in " + timeoutSec + " s: " + output);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path findBinDir() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> versionOf(b)))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + base));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed (apt-get install postgresql): no " + base, e);
        }
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
