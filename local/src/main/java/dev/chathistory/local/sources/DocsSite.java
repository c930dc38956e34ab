package dev.chathistory.local.sources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The API reference the local stack serves next to the API: {@code GET /docs} is a Swagger UI
 * page rendering {@code GET /openapi.yaml} (also as {@code /openapi.json}). The build puts
 * everything on the class path under {@code docs/}: the page, the parts of swagger-ui-dist it
 * loads (see {@code local/docs-ui/}), their licences, and the repository's openapi.yaml.
 * These are documentation, not API routes: no key, no function, and exchange observers (which
 * check API traffic against the spec) never see them.
 */
final class DocsSite {

    private static final String OPENAPI_YAML = "openapi.yaml";

    /** Request path to the class-path file under {@code docs/} and its content type. */
    private static final Map<String, Asset> ASSETS = Map.of(
            "/docs", new Asset("index.html", "text/html; charset=utf-8"),
            "/docs/", new Asset("index.html", "text/html; charset=utf-8"),
            "/docs/swagger-ui-bundle.js", new Asset("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
            "/docs/swagger-ui.css", new Asset("swagger-ui.css", "text/css; charset=utf-8"),
            "/docs/swagger-ui-bundle.js.LICENSE.txt",
            new Asset("swagger-ui-bundle.js.LICENSE.txt", "text/plain; charset=utf-8"),
            "/docs/LICENSE", new Asset("LICENSE", "text/plain; charset=utf-8"),
            "/docs/NOTICE", new Asset("NOTICE", "text/plain; charset=utf-8"),
            "/openapi.yaml", new Asset(OPENAPI_YAML, "application/yaml; charset=utf-8"));
    private static final String OPENAPI_JSON_PATH = "/openapi.json";

    private record Asset(String file, String contentType) {
    }

    private DocsSite() {
    }

    /** Whether the path belongs to the docs, including unknown ones under {@code /docs/} (a 404 here). */
    static boolean serves(String rawPath) {
        return rawPath.equals("/docs") || rawPath.startsWith("/docs/") || ASSETS.containsKey(rawPath)
                || rawPath.equals(OPENAPI_JSON_PATH);
    }

    static void serve(HttpExchange exchange, String method) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        boolean json = path.equals(OPENAPI_JSON_PATH);
        Asset asset = json ? new Asset(OPENAPI_YAML, "application/json") : ASSETS.get(path);
        if (asset == null) {
            respond(exchange, method, 404, "text/plain; charset=utf-8", bytes("Not Found\n"));
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            respond(exchange, method, 405, "text/plain; charset=utf-8", bytes("Method Not Allowed\n"));
            return;
        }
        Optional<byte[]> content = read(asset.file());
        if (content.isEmpty()) {
            // openapi.yaml is copied from the repository root; a build without one has no spec.
            respond(exchange, method, 404, "text/plain; charset=utf-8", bytes("docs/" + asset.file()
                    + " is not on the class path; the build copies it (openapi.yaml from the repository root): "
                    + "rebuild the local module\n"));
            return;
        }
        if (!json) {
            respond(exchange, method, 200, asset.contentType(), content.get());
            return;
        }
        try {
            respond(exchange, method, 200, asset.contentType(), toJson(content.get()));
        } catch (JsonProcessingException e) {
            respond(exchange, method, 500, "text/plain; charset=utf-8",
                    bytes("openapi.yaml is not valid YAML: " + e.getOriginalMessage() + "\n"));
        }
    }

    /** Read on every request, so a rebuilt spec shows without restarting the stack. */
    private static Optional<byte[]> read(String file) throws IOException {
        try (InputStream in = DocsSite.class.getResourceAsStream("/docs/" + file)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        }
    }

    private static byte[] toJson(byte[] yaml) throws IOException {
        return new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new YAMLMapper().readTree(yaml));
    }

    private static void respond(HttpExchange exchange, String method, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        // Pages and spec change with every build; the browser should revalidate rather than guess.
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
