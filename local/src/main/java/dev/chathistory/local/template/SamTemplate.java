package dev.chathistory.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * and the tests create their resources and wire their functions from it, never from a copy.
 * Intrinsic functions are kept in their long form; {@link Intrinsics} resolves them.
 */
public final class SamTemplate {

    /** One HTTP API route that an event of a function declares. */
    public record HttpRoute(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * A property CloudFormation takes as one value or a list of them (a policy's {@code Action}
     * or {@code Resource}, an alarm's actions), as a list; empty when the property is absent.
     */
    public static List<JsonNode> oneOrMany(JsonNode property) {
        List<JsonNode> items = new ArrayList<>();
        if (property.isArray()) {
            property.forEach(items::add);
        } else if (!property.isMissingNode()) {
            items.add(property);
        }
        return items;
    }

    /** A function with the template's Globals applied. */
    public record FunctionDefinition(String logicalId, String handler, String runtime, int timeoutSeconds,
                                     int memoryMb, ObjectNode environment, Map<String, JsonNode> events,
                                     JsonNode properties, JsonNode globals) {
    }

    private final Path file;
    private final JsonNode root;

    private SamTemplate(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try {
            return new SamTemplate(file, CfnYaml.read(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static SamTemplate loadFrom(Path projectRoot) {
        return load(projectRoot.resolve("template.yaml"));
    }

    /**
     * A template from its long-form JSON tree: a variant of template.yaml that a test builds
     * (one IAM statement removed, say), never a copy kept beside it.
     */
    public static SamTemplate of(JsonNode root, String origin) {
        return new SamTemplate(Path.of(origin), root.deepCopy());
    }

    /** The whole template, intrinsics in long form; a copy, so changing it changes nothing here. */
    public JsonNode document() {
        return root.deepCopy();
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
            throw new IllegalArgumentException(file + " has no resource " + logicalId);
        }
        return resource;
    }

    /** {@code Globals.Function}, or an empty object. */
    public JsonNode functionGlobals() {
        return root.path("Globals").path("Function");
    }

    /** Every parameter's default, as text (parameters without one are left out). */
    public Map<String, String> parameterDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Parameters").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().has("Default")) {
                defaults.put(entry.getKey(), entry.getValue().get("Default").asText());
            }
        }
        return defaults;
    }

    public String parameterDefault(String name) {
        String value = parameterDefaults().get(name);
        if (value == null) {
            throw new IllegalArgumentException(file + " has no parameter default for " + name);
        }
        return value;
    }

    /** Every {@code AWS::Serverless::Function}, with Globals merged the way SAM merges them. */
    public List<FunctionDefinition> functions() {
        JsonNode globals = functionGlobals();
        List<FunctionDefinition> functions = new ArrayList<>();
        resourcesOfType("AWS::Serverless::Function").forEach((logicalId, resource) -> {
            JsonNode properties = resource.path("Properties");
            ObjectNode environment = JsonNodeFactory.instance.objectNode();
            mergeInto(environment, globals.path("Environment").path("Variables"));
            mergeInto(environment, properties.path("Environment").path("Variables"));
            Map<String, JsonNode> events = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.path("Events").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> event = it.next();
                events.put(event.getKey(), event.getValue());
            }
            functions.add(new FunctionDefinition(
                    logicalId,
                    either(properties, globals, "Handler").asText(),
                    either(properties, globals, "Runtime").asText(),
                    either(properties, globals, "Timeout").asInt(3),
                    either(properties, globals, "MemorySize").asInt(128),
                    environment,
                    events,
                    properties,
                    globals));
        });
        return functions;
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

    private static JsonNode either(JsonNode properties, JsonNode globals, String field) {
        return properties.has(field) ? properties.get(field) : globals.path(field);
    }

    private static void mergeInto(ObjectNode target, JsonNode source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            target.set(entry.getKey(), entry.getValue());
        }
    }
}
