package dev.chathistory.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An AWS-API endpoint for tests and the local stack: either the one {@code AWS_ENDPOINT_URL}
 * already names (LocalStack, MiniStack, a moto you run yourself), or one started here as a
 * child process on a free loopback port from a pinned virtualenv: moto by default, MiniStack
 * with {@code LOCAL_EMULATOR=ministack}.
 */
public final class Emulator implements AutoCloseable {

    /** The emulators we can start. */
    public enum Kind {
        MOTO, MINISTACK;

        /** From {@code LOCAL_EMULATOR} (moto when unset). */
        public static Kind fromEnvironment() {
            String value = System.getenv().getOrDefault("LOCAL_EMULATOR", "moto").trim().toLowerCase(Locale.ROOT);
            return switch (value) {
                case "", "moto" -> MOTO;
                case "ministack" -> MINISTACK;
                default -> throw new EnvironmentException("LOCAL_EMULATOR must be moto or ministack, got '"
                        + value + "'");
            };
        }
    }

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final Process process;
    private final Path log;
    private final Kind kind;

    private Emulator(URI endpoint, Process process, Path log, Kind kind) {
        this.endpoint = endpoint;
        this.process = process;
        this.log = log;
        this.kind = kind;
    }

    /**
     * Uses {@code AWS_ENDPOINT_URL} if set, otherwise starts the emulator {@code LOCAL_EMULATOR}
     * names, without persistence.
     */
    public static Emulator startOrConnect(Path root) {
        return startOrConnect(root, Optional.empty());
    }

    /** As {@link #startOrConnect(Path)}; a started MiniStack keeps its data in {@code stateDir}. */
    public static Emulator startOrConnect(Path root, Optional<Path> stateDir) {
        Optional<URI> configured = Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL"))
                .filter(value -> !value.isBlank())
                .map(URI::create);
        if (configured.isPresent()) {
            return new Emulator(requireEmulator(configured.get()), null, null, null);
        }
        return start(root, Kind.fromEnvironment(), stateDir);
    }

    public static Emulator start(Path root, Kind kind, Optional<Path> stateDir) {
        int port = freePort();
        String parent = Long.toString(ProcessHandle.current().pid());
        List<String> command = new ArrayList<>();
        if (kind == Kind.MOTO) {
            command.addAll(List.of(PythonEnvironment.moto(root).python().toString(),
                    root.resolve("tools/python/serve_moto.py").toString(),
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--parent-pid", parent));
        } else {
            command.addAll(List.of(PythonEnvironment.ministack(root).python().toString(),
                    root.resolve("tools/python/serve_ministack.py").toString(),
                    "--port", Integer.toString(port), "--parent-pid", parent));
            stateDir.ifPresent(dir -> command.addAll(List.of("--state-dir", dir.toAbsolutePath().toString())));
        }
        Path log = root.resolve(".local/logs/" + kind.name().toLowerCase(Locale.ROOT) + "-" + port + ".log");
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Emulator emulator = new Emulator(URI.create("http://127.0.0.1:" + port), process, log, kind);
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "emulator-shutdown"));
            emulator.awaitReady(port);
            return emulator;
        } catch (IOException e) {
            throw new EnvironmentException("could not start the emulator: " + e.getMessage());
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** True when someone else runs the emulator (AWS_ENDPOINT_URL); we then never stop it. */
    public boolean external() {
        return process == null;
    }

    /** The emulator started here; empty when {@link #external()}. */
    public Optional<Kind> kind() {
        return Optional.ofNullable(kind);
    }

    public Optional<Path> logFile() {
        return Optional.ofNullable(log);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                // MiniStack writes its state on a graceful stop; give it time to.
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitReady(int port) {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new EnvironmentException("the emulator exited at startup (exit " + process.exitValue()
                        + "); its log " + log + " ends with:\n" + tail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new EnvironmentException("the emulator did not listen on port " + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s; see " + log);
    }

    /**
     * Tests and the local stack must never reach real AWS, whatever the environment says.
     */
    static URI requireEmulator(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        if (endpoint.getScheme() == null || host.isEmpty()) {
            throw new EnvironmentException("AWS_ENDPOINT_URL must be an absolute URL such as "
                    + "http://localhost:4566, got '" + endpoint + "'");
        }
        if (host.endsWith("amazonaws.com") || host.endsWith("amazonaws.com.cn") || host.endsWith(".api.aws")) {
            throw new EnvironmentException("AWS_ENDPOINT_URL points at real AWS (" + host
                    + "); the local stack and tests only run against an emulator");
        }
        return endpoint;
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while waiting for the emulator");
        }
    }
}
