package dev.chathistory.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Read access to template.yaml, the single declaration of every AWS resource: the local stack
 * and the tests create their resources from it rather than from a copy.
 *
 * <p>CloudFormation short-form tags ({@code !Ref}, {@code !Sub}, ...) are read as their plain
 * values; nothing here needs them resolved.
 */
public final class SamTemplate {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One HTTP API route that an event of a function declares. */
    public record HttpRoute(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final JsonNode root;

    private SamTemplate(JsonNode root) {
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try {
            return new SamTemplate(YAML.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static SamTemplate loadFrom(Path projectRoot) {
        return load(projectRoot.resolve("template.yaml"));
    }

    /** Resources of one type, by logical id, in template order. */
    public Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> matches = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (type.equals(entry.getValue().path("Type").asText())) {
                matches.put(entry.getKey(), entry.getValue());
            }
        }
        return matches;
    }

    public JsonNode resource(String logicalId) {
        JsonNode resource = root.path("Resources").path(logicalId);
        if (resource.isMissingNode()) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return resource;
    }

    /** Routes with an explicit method and path; the catch-all ($default) event is left out. */
    public List<HttpRoute> httpRoutes(String functionLogicalId) {
        List<HttpRoute> routes = new ArrayList<>();
        for (JsonNode event : resource(functionLogicalId).path("Properties").path("Events")) {
            JsonNode properties = event.path("Properties");
            if ("HttpApi".equals(event.path("Type").asText()) && properties.has("Path")) {
                routes.add(new HttpRoute(properties.path("Method").asText().toUpperCase(Locale.ROOT),
                        properties.path("Path").asText()));
            }
        }
        return routes;
    }

    /** The default of a template parameter, as text. */
    public String parameterDefault(String name) {
        JsonNode value = root.path("Parameters").path(name).path("Default");
        if (value.isMissingNode()) {
            throw new IllegalArgumentException("template.yaml has no parameter default for " + name);
        }
        return value.asText();
    }
}
