package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.ProjectRoot;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's curl walkthrough, run as written with bash (curl and jq) against the real
 * template on the local stack, so the documentation cannot drift from what the API does. Its
 * requests also pass through the contract check like any other.
 */
class ReadmeWalkthroughIT {

    /** The fenced block that follows this marker in README.md is the walkthrough. */
    private static final String MARKER = "<!-- walkthrough: ReadmeWalkthroughIT runs this block -->";
    private static final Pattern BLOCK = Pattern.compile(Pattern.quote(MARKER) + "\\s*```bash\\n(.*?)```",
            Pattern.DOTALL);

    private static LocalDeployment deployment;
    private static String key;

    @TempDir
    static Path workDir;

    @BeforeAll
    static void deploy() throws Exception {
        deployment = TestAws.deployTemplate("walk");
        key = deployment.issueKey("walk-tenant", "ReadmeWalkthroughIT").key();
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @Test
    void curlWalkthrough_shouldRunAsWritten_andPrintWhatItsCommentsPromise() throws Exception {
        for (String tool : List.of("curl", "jq")) {
            assertThat(onPath(tool)).as("the walkthrough needs %s: install it (Debian/Ubuntu: apt-get install -y %s;"
                    + " .ci/run does this)", tool, tool).isTrue();
        }
        String script = walkthrough();
        assertThat(script).as("the walkthrough names the key ./run-local prints, never a real one")
                .doesNotContain("chk_");

        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // As a reader runs it: the key ./run-local printed, exported; the URL of this stack.
        builder.environment().put("CHAT_HISTORY_KEY", key);
        builder.environment().put("API", deployment.baseUrl().toString().replaceAll("/$", ""));
        Process bash = builder.start();
        String output;
        try {
            output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!bash.waitFor(120, TimeUnit.SECONDS)) {
                bash.destroyForcibly();
            }
        }

        assertThat(bash.exitValue()).as("the walkthrough failed; it printed:\n" + output).isZero();
        assertThat(output.lines().map(String::trim).toList()).as(output).containsSubsequence(
                expectedOutput(script));
    }

    /** Every line that ends in {@code # value} promises that value as a line of output, in order. */
    private static List<String> expectedOutput(String script) {
        Pattern promise = Pattern.compile("#\\s+(\\S.*)$");
        return script.lines()
                .filter(line -> !line.trim().startsWith("#"))
                .map(promise::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1).trim())
                .toList();
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    private static String walkthrough() throws IOException {
        String readme = Files.readString(ProjectRoot.find().resolve("README.md"));
        Matcher block = BLOCK.matcher(readme);
        assertThat(block.find()).as("README.md has the walkthrough block after " + MARKER).isTrue();
        return block.group(1);
    }
}
