package dev.chathistory.tests.imports;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for integration tests, run as a plain local process.
 *
 * <p>Why not the usual tools: there is no Docker where these tests run, so Testcontainers is out,
 * and the JVM runs as root (uid 0) here and in CI, which PostgreSQL refuses ("initdb: cannot be run
 * as root") and which zonky's {@code EmbeddedPostgres} launcher cannot work around. So only zonky's
 * binaries (a Maven artifact) are used: they are unpacked once per JVM, and when the JVM is root
 * every PostgreSQL program is started through {@code setpriv} as {@code nobody} (uid 65534); as a
 * normal user they are run directly.
 *
 * <p>Each {@link #start()} makes a fresh cluster (user {@code postgres}, trust authentication,
 * UTF-8, C locale) listening on a free loopback port; {@link #close()} stops it and deletes it. A
 * JVM shutdown hook stops any server a test forgot to close, so no {@code postgres} outlives the build.
 */
public final class PostgresServer implements AutoCloseable {

    /** The longest any PostgreSQL program may take; a hang fails the test instead of stalling the build. */
    private static final long PROCESS_TIMEOUT_SECONDS = 60;
    /** pg_ctl's own wait for start/stop, kept below ours so pg_ctl reports the failure itself. */
    private static final String PG_CTL_WAIT_SECONDS = "45";
    private static final int NOBODY = 65534;
    private static final boolean ROOT = new UnixSystem().getUid() == 0;
    private static final int LOG_TAIL_LINES = 40;
    private static final int START_ATTEMPTS = 3;

    /** Servers not yet closed, for the shutdown hook; guarded by the class lock. */
    private static final Set<PostgresServer> LIVE = new LinkedHashSet<>();
    /** The unpacked binaries, made on first use; guarded by the class lock. */
    private static Path binaries;

    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;
    private boolean closed;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("pg.log");
        this.port = port;
    }

    /** Makes a fresh cluster in a new temporary directory and starts it; it is ready for connections on return. */
    public static PostgresServer start() {
        Path bin = binaries().resolve("bin");
        Path dir = null;
        try {
            dir = Files.createTempDirectory("pg-server-");
            // Under root the programs run as nobody, who must be able to create the data dir, log and socket here.
            giveToServerUser(dir);
            initdb(bin, dir);
            return startOnFreePort(bin, dir);
        } catch (IOException e) {
            stopLeftover(bin, dir);
            deleteQuietly(dir);
            throw new UncheckedIOException("Could not start PostgreSQL in " + dir, e);
        } catch (RuntimeException e) {
            stopLeftover(bin, dir);
            deleteQuietly(dir);
            throw e;
        }
    }

    /** A JDBC URL for the given database as the superuser {@code postgres} (no password: trust). */
    public String jdbcUrl(String database) {
        // pgjdbc URL-decodes the database name, so any name survives the trip.
        String encoded = URLEncoder.encode(database, StandardCharsets.UTF_8);
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + encoded + "?user=postgres";
    }

    /** A JDBC URL for the default database {@code postgres}. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** The loopback TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** Creates an empty UTF-8 database; {@code name} is quoted, so it is taken exactly as given. */
    public void createDatabase(String name) {
        String quoted = "\"" + name.replace("\"", "\"\"") + "\"";
        try (Connection connection = DriverManager.getConnection(jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + quoted + " ENCODING 'UTF8' TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its directory; calling it again does nothing. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            stop(binaries().resolve("bin"));
        } finally {
            deleteQuietly(dir);
            synchronized (PostgresServer.class) {
                LIVE.remove(this);
            }
        }
    }

    private void stop(Path bin) {
        try {
            run(dir, "pg_ctl-stop", bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast",
                    "-t", PG_CTL_WAIT_SECONDS, "-w", "stop");
        } catch (RuntimeException fast) {
            // A server that will not stop politely must still not outlive the test and hold the port.
            try {
                run(dir, "pg_ctl-stop-immediate", bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                        "-m", "immediate", "-t", PG_CTL_WAIT_SECONDS, "-w", "stop");
            } catch (RuntimeException immediate) {
                fast.addSuppressed(immediate);
            }
            throw fast;
        }
    }

    /** After a failed start, a server may still be running (pg_ctl gave up waiting); it must not outlive us. */
    private static void stopLeftover(Path bin, Path dir) {
        if (dir != null && Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
            try {
                run(dir, "pg_ctl-stop-leftover", bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                        "-m", "immediate", "-t", PG_CTL_WAIT_SECONDS, "-w", "stop");
            } catch (RuntimeException e) {
                // Best effort: the start failure being reported matters more.
            }
        }
    }

    private static void initdb(Path bin, Path dir) throws IOException {
        run(dir, "initdb", bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres",
                "-D", dir.resolve("data").toString(), "-E", "UTF8", "--no-locale", "--no-sync");
    }

    /**
     * Starts the cluster on a port that was free a moment ago. Another process can take the port
     * between our probe and PostgreSQL binding it, so a bind failure is retried on a new port.
     */
    private static PostgresServer startOnFreePort(Path bin, Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            PostgresServer server = new PostgresServer(dir, freePort());
            try {
                server.pgCtlStart(bin);
                register(server);
                return server;
            } catch (IllegalStateException e) {
                if (attempt >= START_ATTEMPTS || !tail(server.log).contains("could not bind")) {
                    throw e;
                }
            }
        }
    }

    private void pgCtlStart(Path bin) {
        // pg_ctl hands these to a shell, hence the quotes around the path. fsync is off because a test
        // server's data is thrown away anyway, and syncing only slows the tests down.
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='" + dir + "'"
                + " -c fsync=off";
        run(dir, "pg_ctl-start", bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options,
                "-l", log.toString(), "-t", PG_CTL_WAIT_SECONDS, "-w", "start");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Runs one PostgreSQL program to its end, as nobody when we are root. Its output goes to a file
     * in {@code dir}, not a pipe: pg_ctl leaves the server running in the background, and a pipe it
     * inherited could keep a reader waiting forever.
     */
    private static void run(Path dir, String name, String... command) {
        Path output = dir.resolve(name + ".out");
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        full.addAll(List.of(command));
        // The working directory is one nobody can enter, as the JVM's own may not be.
        ProcessBuilder builder = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        // A developer's PGPORT, PGDATA and such must not change what the test server does.
        builder.environment().keySet().removeIf(key -> key.startsWith("PG"));
        try {
            Process process = builder.start();
            if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw failure(dir, name + " did not finish within " + PROCESS_TIMEOUT_SECONDS + " s", output);
            }
            if (process.exitValue() != 0) {
                throw failure(dir, name + " failed with exit code " + process.exitValue(), output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + name, e);
        }
    }

    /** An exception whose message carries what the program and the server said, which is usually the reason. */
    private static IllegalStateException failure(Path dir, String what, Path output) {
        // Under root the usual cause is a directory above java.io.tmpdir that nobody cannot enter.
        String user = ROOT ? " (run as uid " + NOBODY + ", who must be able to reach " + dir + ")" : "";
        return new IllegalStateException(what + user
                + "\n--- " + output.getFileName() + " ---\n" + tail(output)
                + "\n--- pg.log ---\n" + tail(dir.resolve("pg.log")));
    }

    private static String tail(Path file) {
        try {
            // Decoded leniently: a log line in an odd encoding must not hide the rest.
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }

    private static void giveToServerUser(Path path) throws IOException {
        if (ROOT) {
            Files.setAttribute(path, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static synchronized void register(PostgresServer server) {
        LIVE.add(server);
    }

    /** The binaries directory, unpacked on first use, with one shutdown hook for every server and the binaries. */
    private static synchronized Path binaries() {
        if (binaries == null) {
            binaries = unpackBinaries();
            Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::shutdown, "postgres-server-shutdown"));
        }
        return binaries;
    }

    /**
     * One hook does both jobs in order: JVM shutdown hooks run concurrently, so separate hooks could
     * delete pg_ctl while another is still about to run it.
     */
    private static void shutdown() {
        List<PostgresServer> open;
        synchronized (PostgresServer.class) {
            open = List.copyOf(LIVE);
        }
        for (PostgresServer server : open) {
            try {
                server.close();
            } catch (RuntimeException e) {
                System.err.println("Could not stop PostgreSQL on port " + server.port + ": " + e.getMessage());
            }
        }
        deleteQuietly(binaries);
    }

    private static Path unpackBinaries() {
        Path target = null;
        try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system(),
                System.getProperty("os.arch"))) {
            target = Files.createTempDirectory("pg-binaries-");
            untar(txz, target);
            // createTempDirectory makes the directory 0700; nobody must be able to reach the programs in it.
            Files.setPosixFilePermissions(target, permissions(0755));
            return target;
        } catch (IOException e) {
            deleteQuietly(target);
            throw new UncheckedIOException("Could not unpack the PostgreSQL binaries", e);
        }
    }

    /** zonky's name for the operating system, as its binary artifacts are named. */
    private static String system() {
        String os = System.getProperty("os.name");
        return os.startsWith("Mac") ? "Darwin" : os.startsWith("Windows") ? "Windows" : "Linux";
    }

    /** Unpacks a .txz keeping what the programs need: executable bits, and the symlinks between shared libraries. */
    private static void untar(InputStream txz, Path target) throws IOException {
        // Directory modes are set last, so a read-only directory cannot stop its own contents being written.
        Map<Path, Integer> directoryModes = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(txz)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path path = inside(target, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    directoryModes.put(path, entry.getMode());
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, inside(target, entry.getLinkName()));
                } else {
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
        for (Map.Entry<Path, Integer> directory : directoryModes.entrySet()) {
            Files.setPosixFilePermissions(directory.getKey(), permissions(directory.getValue()));
        }
    }

    /** Resolves an archive name under {@code target}, refusing names that would escape it. */
    private static Path inside(Path target, String name) throws IOException {
        Path path = target.resolve(name).normalize();
        if (!path.startsWith(target)) {
            throw new IOException("Archive entry outside the target directory: " + name);
        }
        return path;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << (all.length - 1 - i))) != 0) {
                result.add(all[i]);
            }
        }
        return result;
    }

    private static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Deepest first; Files.walk does not follow the symlinks, so only the tree itself is deleted.
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // Left for the OS to clean from the temp dir; a failed cleanup must not fail the test.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Same as above.
        }
    }
}
