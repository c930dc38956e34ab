package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.chathistory.contract.ApiContract;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.ProjectRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API reference the local stack serves at {@code /docs}, rendered by a real browser:
 * headless Chromium loads the page (and, through it, the bundled Swagger UI and the served
 * spec) and its rendered DOM must list every operation of openapi.yaml. Chromium is required:
 * without it this test fails and says how to install it, rather than passing unseen.
 */
class DocsPageIT {

    /**
     * Swagger UI renders each operation as an {@code opblock} whose summary holds the method,
     * then the path as it appears in the spec in a {@code data-path} attribute; the layout of
     * the text around them (word breaks, links, descriptions) is not relied upon.
     */
    private static final Pattern RENDERED_OPERATION = Pattern.compile(
            "<span class=\"opblock-summary-method\">([A-Za-z]+)</span>.*?data-path=\"([^\"]*)\"", Pattern.DOTALL);
    private static final Pattern RENDER_ERRORS = Pattern.compile(
            "<div class=\"errors-wrapper\">(.*?)</div></div>", Pattern.DOTALL);
    private static final long BROWSER_SECONDS = 60;
    private static final String INSTALL_HINT = "install it (Debian/Ubuntu: apt-get install -y "
            + "--no-install-recommends chromium; .ci/run does this) or set CHROMIUM to a Chromium or Chrome binary";

    private static LocalDeployment deployment;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final Path SPEC = ProjectRoot.find().resolve("openapi.yaml");

    @BeforeAll
    static void deploy() throws Exception {
        deployment = TestAws.deployTemplate("docs");
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @Test
    void docsAndSpec_shouldBeServedWithoutAKey_andTheSpecShouldBeTheRepositoryFile() throws Exception {
        HttpResponse<String> page = get("/docs");
        HttpResponse<String> spec = get("/openapi.yaml");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(spec.statusCode()).isEqualTo(200);
        assertThat(spec.body())
                .as("the stack serves the openapi.yaml of its build; rebuild the local module if this differs")
                .isEqualTo(Files.readString(SPEC));
        assertThat(get("/docs/no-such-file.js").statusCode()).isEqualTo(404);
    }

    @Test
    void docsPage_shouldRenderEveryOperationAndTheTitle_inHeadlessChromium() throws Exception {
        JsonNode spec = new YAMLMapper().readTree(SPEC.toFile());
        Set<String> expected = new TreeSet<>(ApiContract.operations());
        assertThat(expected).as("operations in " + SPEC).isNotEmpty();

        String dom = renderedDom(deployment.baseUrl().resolve("/docs"));

        Set<String> rendered = renderedOperations(dom);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(rendered);
        assertThat(missing)
                .as("operations of openapi.yaml the page did not render (it rendered %s)%s",
                        rendered, renderErrors(dom))
                .isEmpty();
        String title = spec.path("info").path("title").asText();
        assertThat(dom).as("the API title").contains("class=\"title\">" + escapeHtml(title));
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(deployment.baseUrl().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> renderedOperations(String dom) {
        Set<String> rendered = new LinkedHashSet<>();
        Matcher m = RENDERED_OPERATION.matcher(dom);
        while (m.find()) {
            rendered.add(m.group(1).toUpperCase(Locale.ROOT) + " " + unescapeHtml(m.group(2)));
        }
        return rendered;
    }

    /** Swagger UI's own account of a spec it could not read, to put in the failure message. */
    private static String renderErrors(String dom) {
        Matcher m = RENDER_ERRORS.matcher(dom);
        return m.find()
                ? "; the page shows errors: " + m.group(1).replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ")
                : "";
    }

    /**
     * The DOM after scripts ran. Virtual time lets the page finish its fetches and rendering
     * without a fixed sleep; the process is bounded all the same. A fresh profile, and no
     * background networking, because Chromium otherwise calls Google's services at start.
     */
    private static String renderedDom(URI page) throws IOException, InterruptedException {
        Path chromium = chromium();
        Path profile = Files.createTempDirectory("docs-page-it-chromium");
        Path out = Files.createTempFile("docs-page-it", ".html");
        Path err = Files.createTempFile("docs-page-it", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(chromium.toString(),
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=15000",
                    "--dump-dom", page.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(BROWSER_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("Chromium did not finish rendering " + page + " within " + BROWSER_SECONDS
                        + " s; its log:\n" + tail(err));
            }
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || dom.isBlank()) {
                throw new AssertionError("Chromium (" + String.join(" ", command) + ") exited with "
                        + process.exitValue() + " and " + dom.length() + " characters of DOM; its log:\n" + tail(err));
            }
            return dom;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            deleteTree(profile);
        }
    }

    private static Path chromium() {
        String configured = System.getenv("CHROMIUM");
        Path binary = Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("DocsPageIT renders /docs in headless Chromium, and there is no Chromium at "
                    + binary + (configured == null ? " (the default; CHROMIUM is not set)" : " (from CHROMIUM)")
                    + ": " + INSTALL_HINT);
        }
        return binary;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Best effort: a profile Chromium still writes to as it exits is only a left-over temp folder. */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("DocsPageIT: could not delete " + root + ": " + e);
        }
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unescapeHtml(String text) {
        return text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
