package dev.chathistory.local.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The docs are served from what the build put on the class path, with no key and no route. */
class DocsSiteTest {

    /** The spec the build copied; the module's tests run in local/. */
    private static final Path SPEC = Path.of("../openapi.yaml");

    private static HttpApiGateway gateway;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gateway = HttpApiGateway.start("127.0.0.1", 0, new HttpRoutes(),
                (method, path, body) -> new HttpApiGateway.Response(200, "{}"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void docs_shouldBeOurPage_loadingSwaggerUiFromTheStackItself() throws Exception {
        for (String path : new String[] {"/docs", "/docs/"}) {
            HttpResponse<String> page = get(path);

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("src=\"/docs/swagger-ui-bundle.js\"", "href=\"/docs/swagger-ui.css\"",
                    "url: '/openapi.yaml'");
            assertThat(page.body()).doesNotContain("http://", "https://");
        }
    }

    @Test
    void bundledAssets_shouldBeServedWithTheirTypesAndLicence() throws Exception {
        HttpResponse<String> script = get("/docs/swagger-ui-bundle.js");
        HttpResponse<String> css = get("/docs/swagger-ui.css");
        HttpResponse<String> licence = get("/docs/LICENSE");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("SwaggerUIBundle");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(licence.body()).contains("Apache License");
    }

    @Test
    void spec_shouldBeTheRepositoryFile_asYamlAndAsJson() throws Exception {
        HttpResponse<String> yaml = get("/openapi.yaml");
        HttpResponse<String> json = get("/openapi.json");
        if (!Files.exists(SPEC)) {
            // A checkout without a spec builds a stack without one, and says so.
            assertThat(yaml.statusCode()).isEqualTo(404);
            assertThat(yaml.body()).contains("openapi.yaml");
            return;
        }

        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("content-type")).hasValue("application/yaml; charset=utf-8");
        assertThat(yaml.body()).isEqualTo(Files.readString(SPEC));
        JsonNode spec;
        try {
            spec = new YAMLMapper().readTree(SPEC.toFile());
        } catch (JsonProcessingException e) {
            // Not this class's to judge (the contract tests are), but the page must say why.
            assertThat(json.statusCode()).isEqualTo(500);
            assertThat(json.body()).startsWith("openapi.yaml is not valid YAML: ");
            return;
        }
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new ObjectMapper().readTree(json.body())).isEqualTo(spec);
    }

    @Test
    void unknownDocsPaths_shouldBe404_andOtherMethods405() throws Exception {
        assertThat(get("/docs/index.css").statusCode()).isEqualTo(404);
        assertThat(get("/docs/../openapi.yaml").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/docs");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(send("HEAD", "/openapi.yaml").statusCode()).isIn(200, 404);
    }

    @Test
    void apiPaths_shouldStillGoToTheRoutes() throws Exception {
        HttpResponse<String> response = get("/docsearch");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }
}
