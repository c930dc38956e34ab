package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.chathistory.contract.ApiContract;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.ProjectRoot;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API reference the local stack serves at {@code /docs}, rendered by a real browser:
 * headless Chromium loads the page (and, through it, the bundled Swagger UI and the served
 * spec) and its rendered DOM must list every operation of openapi.yaml ({@link HeadlessChromium}).
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

        String dom = HeadlessChromium.renderedDom(deployment.baseUrl().resolve("/docs"));

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

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unescapeHtml(String text) {
        return text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
