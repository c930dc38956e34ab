package dev.chathistory.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A project-local virtualenv with pinned Python packages: {@code .venv} holds the moto
 * emulator (and the SAM CLI, which CI adds), {@code .venv-ministack} holds MiniStack, whose
 * pinned botocore cannot share a virtualenv with the SAM CLI. Created on first use and
 * re-installed only when a requirements or constraints file changes, so a fresh clone needs
 * nothing but Python 3.10+ on the PATH (or in {@code PYTHON}).
 */
public final class PythonEnvironment {

    private static final System.Logger LOG = System.getLogger(PythonEnvironment.class.getName());
    private static final long INSTALL_TIMEOUT_MINUTES = 15;

    private final Path root;
    private final Path venv;

    private PythonEnvironment(Path root, String venvName) {
        this.root = root;
        this.venv = root.resolve(venvName);
    }

    /** {@code .venv} with {@code tools/python/emulator.txt} under {@code constraints.txt}. */
    public static PythonEnvironment moto(Path root) {
        PythonEnvironment env = new PythonEnvironment(root, ".venv");
        env.install("emulator", "constraints");
        return env;
    }

    /** {@code .venv-ministack} with {@code ministack.txt} under {@code ministack-constraints.txt}. */
    public static PythonEnvironment ministack(Path root) {
        PythonEnvironment env = new PythonEnvironment(root, ".venv-ministack");
        env.install("ministack", "ministack-constraints");
        return env;
    }

    /**
     * {@code .venv-clients} with {@code clients.txt} under {@code clients-constraints.txt}: what
     * the Python client's type check and tests and the example bot run with. Apart from
     * {@code .venv}, so LangChain's dependencies never meet the emulator's.
     */
    public static PythonEnvironment clients(Path root) {
        PythonEnvironment env = new PythonEnvironment(root, ".venv-clients");
        env.install("clients", "clients-constraints");
        return env;
    }

    public Path python() {
        Path unix = venv.resolve("bin").resolve("python");
        return Files.exists(unix) ? unix : venv.resolve("Scripts").resolve("python.exe");
    }

    public Path root() {
        return root;
    }

    /**
     * Runs a script of {@code tools/python} with this environment's interpreter and returns what
     * it printed on standard output; a failure carries the end of its standard error.
     */
    public String runScript(String script, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(python().toString(),
                root.resolve("tools/python").resolve(script).toString()));
        command.addAll(arguments);
        return execute(command, script, 2, "", true);
    }

    private void install(String requirementsName, String constraintsName) {
        Path requirements = root.resolve("tools/python/" + requirementsName + ".txt");
        Path constraints = root.resolve("tools/python/" + constraintsName + ".txt");
        Path stamp = venv.resolve(".installed-" + requirementsName);
        // Several JVMs (a test fork, the local runner) may get here at once: one installs.
        try (FileChannel channel = FileChannel.open(root.resolve(".venv.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            String wanted = digest(requirements, constraints);
            if (Files.exists(python()) && Files.exists(stamp)
                    && Files.readString(stamp, StandardCharsets.UTF_8).equals(wanted)) {
                return;
            }
            if (!Files.exists(python())) {
                createVenv();
            }
            System.err.println("[chat-history] installing pinned Python packages (" + requirementsName
                    + ") into " + venv + " - first run only");
            run(List.of(python().toString(), "-m", "pip", "install", "--disable-pip-version-check",
                    "-q", "-r", requirements.toString(), "-c", constraints.toString()), "pip install");
            Files.writeString(stamp, wanted, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void createVenv() {
        String interpreter = System.getenv().getOrDefault("PYTHON", "python3");
        String version;
        try {
            version = run(List.of(interpreter, "-c",
                    "import sys; print('%d.%d' % sys.version_info[:2])"), "python version check").trim();
        } catch (EnvironmentException e) {
            throw new EnvironmentException("Python 3.10+ is needed to run the AWS emulator, and '" + interpreter
                    + "' could not be run. Install Python 3.10+ or set PYTHON=/path/to/python3.");
        }
        String[] parts = version.split("\\.");
        if (Integer.parseInt(parts[0]) < 3 || (Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) < 10)) {
            throw new EnvironmentException("Python 3.10+ is needed, found " + version + " at '" + interpreter
                    + "'. Set PYTHON=/path/to/python3.10-or-newer.");
        }
        LOG.log(System.Logger.Level.INFO, "creating virtualenv {0}", venv);
        run(List.of(interpreter, "-m", "venv", venv.toString()), "python -m venv");
    }

    private String run(List<String> command, String what) {
        return execute(command, what, INSTALL_TIMEOUT_MINUTES, "; check network access to PyPI.", false);
    }

    /**
     * Runs {@code command} in the project root and returns its standard output; with
     * {@code errorsApart} standard error is kept out of it and shown only on failure.
     */
    private String execute(List<String> command, String what, long timeoutMinutes, String timeoutAdvice,
                           boolean errorsApart) {
        try {
            Path output = Files.createTempFile("chat-history-", ".out");
            Path errors = errorsApart ? Files.createTempFile("chat-history-", ".err") : output;
            try {
                ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(root.toFile())
                        .redirectOutput(output.toFile());
                if (errorsApart) {
                    builder.redirectError(errors.toFile());
                } else {
                    builder.redirectErrorStream(true);
                }
                Process process = builder.start();
                if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new EnvironmentException(what + " did not finish in " + timeoutMinutes + " minutes"
                            + timeoutAdvice);
                }
                if (process.exitValue() != 0) {
                    throw new EnvironmentException(what + " failed (exit " + process.exitValue() + "):\n"
                            + tail(Files.readString(errors, StandardCharsets.UTF_8)));
                }
                return Files.readString(output, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new EnvironmentException(what + " could not start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException(what + " was interrupted");
        }
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - 20);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private static String digest(Path... files) throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                sha256.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
