package dev.chathistory.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.PythonEnvironment;
import dev.chathistory.tests.TestAws;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Python client ({@code clients/python}) and the example bot ({@code examples/python-bot})
 * against the real template on the local stack, through the authorizer with a real API key: the
 * package passes {@code mypy --strict}, and its pytest suite, unit and integration tests alike,
 * and the bot's test pass with {@code CHAT_HISTORY_URL} and {@code CHAT_HISTORY_KEY} pointing at
 * this deployment. Python runs in {@code .venv-clients} ({@code tools/python/clients.txt}, pinned).
 */
class PythonClientIT {

    private static final long TIMEOUT_MINUTES = 5;

    private static LocalDeployment deployment;
    private static String apiKey;
    private static PythonEnvironment python;
    private static Path root;

    @BeforeAll
    static void deploy() throws Exception {
        root = ProjectRoot.find();
        python = PythonEnvironment.clients(root);
        deployment = TestAws.deployTemplate("pcl");
        apiKey = deployment.issueKey("python-tenant", "PythonClientIT").key();
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void theClientAndTheBot_shouldTypeCheckStrictly() throws Exception {
        // Each directory's pyproject.toml names the files; --strict is also its setting there.
        assertPasses(run(root.resolve("clients/python"), "-m", "mypy", "--strict"));
        assertPasses(run(root.resolve("examples/python-bot"), "-m", "mypy", "--strict"));
    }

    @Test
    void theClientsTests_shouldPass_againstTheLocalStack() throws Exception {
        assertPasses(run(root.resolve("clients/python"), "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"));
    }

    @Test
    void theExampleBot_shouldKeepItsConversationInTheService_acrossRuns() throws Exception {
        assertPasses(run(root.resolve("examples/python-bot"), "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"));
    }

    private record Outcome(List<String> command, int exitCode, String output) {
    }

    private static void assertPasses(Outcome outcome) {
        // Printed either way, so a passing run's counts are in the fork's output too.
        System.out.println("$ " + String.join(" ", outcome.command()) + "\n" + outcome.output());
        assertThat(outcome.exitCode()).as("%s exited %d:%n%s", String.join(" ", outcome.command()),
                outcome.exitCode(), outcome.output()).isZero();
        assertThat(outcome.output()).as("every test ran: none skipped for want of the service")
                .doesNotContain("SKIPPED");
    }

    /** Runs this environment's Python in {@code directory} with the deployment's URL and key. */
    private static Outcome run(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(python.python().toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("python-client-it-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            // The stack is on loopback: a proxy from the environment must not see the key.
            for (String proxy : List.of("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")) {
                env.remove(proxy);
                env.remove(proxy.toLowerCase(java.util.Locale.ROOT));
            }
            env.remove("PYTHONPATH");
            env.put("CHAT_HISTORY_URL", deployment.baseUrl().toString());
            env.put("CHAT_HISTORY_KEY", apiKey);
            env.put("CHAT_HISTORY_REQUIRE_SERVICE", "1");
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + TIMEOUT_MINUTES + " minutes:\n"
                        + redacted(Files.readString(output, StandardCharsets.UTF_8)));
            }
            return new Outcome(command, process.exitValue(),
                    redacted(Files.readString(output, StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The key never reaches the logs, whatever a failing test prints. */
    private static String redacted(String text) {
        return apiKey == null ? text : text.replace(apiKey, "[redacted]");
    }
}
