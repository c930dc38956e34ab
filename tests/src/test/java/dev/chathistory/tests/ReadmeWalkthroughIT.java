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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's curl walkthrough, and every block of docs/ marked the same way, run as written
 * with bash (curl and jq) against the real template on the local stack, so the documentation
 * cannot drift from what the API does. Their requests also pass through the contract check like
 * any other. The other commands of the docs are checked by DocsCommandsTest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeWalkthroughIT {

    /** The fenced block that follows this marker in README.md is the walkthrough. */
    private static final String MARKER = "<!-- walkthrough: ReadmeWalkthroughIT runs this block -->";
    private static final Pattern BLOCK = Pattern.compile(Pattern.quote(MARKER) + "\\s*```bash\\n(.*?)```",
            Pattern.DOTALL);

    /** Each panel the dashboard draws: its id and how many points it plotted. */
    private static final Pattern PANEL = Pattern.compile("data-panel=\"([^\"]+)\" data-points=\"(\\d+)\"");
    private static final List<String> DASHBOARD_PANELS = List.of("api-requests", "api-latency", "invocations",
            "errors", "duration", "queues", "cache-hit-rate", "aws-call-latency", "memory");
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    private static LocalDeployment deployment;
    private static String key;
    private static Walk walked;

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
    @Order(1)
    void curlWalkthrough_shouldRunAsWritten_andPrintWhatItsCommentsPromise() throws Exception {
        Walk walk = walk();

        assertThat(walk.exitValue()).as("the walkthrough failed; it printed:\n" + walk.output()).isZero();
        assertThat(walk.output().lines().map(String::trim).toList()).as(walk.output()).containsSubsequence(
                expectedOutput(walk.script()));
    }

    /**
     * After the walkthrough, {@code /_local/dashboard} in headless Chromium draws every panel with
     * data, and a screenshot of it is saved for a person to look at.
     */
    @Test
    @Order(2)
    void dashboard_shouldDrawEveryPanelWithData_afterTheWalkthrough() throws Exception {
        if (walked == null) {
            walk();
        }
        // The queue sampler reads every few seconds; the page shows its last ten minutes.
        Thread.sleep(6_000);

        String dom = HeadlessChromium.renderedDom(deployment.dashboardUrl());
        HeadlessChromium.screenshot(deployment.dashboardUrl(), SCREENSHOT, 1400, 2000);

        assertThat(dom).as("the page rendered its figures").contains("data-rendered=\"true\"");
        Map<String, Integer> points = new TreeMap<>();
        Matcher panel = PANEL.matcher(dom);
        while (panel.find()) {
            points.put(panel.group(1), Integer.parseInt(panel.group(2)));
        }
        assertThat(points).as("panels and their plotted points; screenshot: " + SCREENSHOT.toAbsolutePath())
                .containsOnlyKeys(DASHBOARD_PANELS)
                .allSatisfy((id, count) -> assertThat(count).as(id).isPositive());
        assertThat(dom).as("per-call AWS latency from the functions' EMF").contains("DynamoDB.PutItem")
                .as("the job queue's depth, sampled").contains("JobsQueue");
    }

    /** The same kind of marked block in docs/: each runs as written and prints what its comments promise. */
    @Test
    @Order(3)
    void docsWalkthroughs_shouldRunAsWritten_andPrintWhatTheirCommentsPromise() throws Exception {
        Map<String, String> blocks = docsWalkthroughs();
        assertThat(blocks).as("marked blocks in docs/").isNotEmpty();
        for (Map.Entry<String, String> block : blocks.entrySet()) {
            Walk walk = run(block.getValue());

            assertThat(walk.exitValue()).as(block.getKey() + " failed; it printed:\n" + walk.output()).isZero();
            assertThat(walk.output().lines().map(String::trim).toList()).as(block.getKey() + ": " + walk.output())
                    .containsSubsequence(expectedOutput(walk.script()));
        }
    }

    private record Walk(String script, int exitValue, String output) {
    }

    private static Walk walk() throws Exception {
        walked = run(walkthrough());
        return walked;
    }

    private static Walk run(String script) throws Exception {
        for (String tool : List.of("curl", "jq")) {
            assertThat(onPath(tool)).as("the walkthrough needs %s: install it (Debian/Ubuntu: apt-get install -y %s;"
                    + " .ci/run does this)", tool, tool).isTrue();
        }
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

        return new Walk(script, bash.exitValue(), output);
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

    /** Each marked block of docs/*.md, by file and line. */
    private static Map<String, String> docsWalkthroughs() throws IOException {
        Map<String, String> blocks = new TreeMap<>();
        try (Stream<Path> docs = Files.list(ProjectRoot.find().resolve("docs"))) {
            for (Path doc : docs.filter(f -> f.toString().endsWith(".md")).toList()) {
                String text = Files.readString(doc);
                Matcher block = BLOCK.matcher(text);
                while (block.find()) {
                    long line = text.substring(0, block.start()).lines().count() + 1;
                    blocks.put("docs/" + doc.getFileName() + ":" + line, block.group(1));
                }
            }
        }
        return blocks;
    }

    private static String walkthrough() throws IOException {
        String readme = Files.readString(ProjectRoot.find().resolve("README.md"));
        Matcher block = BLOCK.matcher(readme);
        assertThat(block.find()).as("README.md has the walkthrough block after " + MARKER).isTrue();
        return block.group(1);
    }
}
