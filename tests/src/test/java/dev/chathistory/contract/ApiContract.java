package dev.chathistory.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.sources.ExchangeObserver.Exchange;
import dev.chathistory.local.sources.QueryStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks one HTTP exchange against {@code openapi.yaml} with Atlassian's OpenAPI validator.
 *
 * <p>The response is always checked: its status must be documented for the operation, and its
 * headers and body must match what the spec says. The request is checked when the API accepted
 * it (2xx): a request the handler serves but the spec forbids means the spec is wrong. A request
 * the API refused for its shape (a malformed id, parameter, header or body, a missing
 * {@code If-Match}) must break the spec too: otherwise the spec promises more than the API
 * keeps. Other refusals (a stale version, a missing message, a limit only the server knows)
 * are about state or configuration, so only their error response is checked.
 *
 * <p>A path or method the spec does not have must have been refused by the API as
 * {@code route_not_found} / {@code method_not_allowed} (or API Gateway's own 401/403/404/413):
 * anything else is a route the handler serves that the spec lacks.
 */
public final class ApiContract {

    private static final Set<String> UNDOCUMENTED_ROUTE_KEYS = Set.of(
            "validation.request.path.missing", "validation.request.operation.notAllowed");

    /** Error codes for what a request looks like, all of which the spec can express. */
    private static final Set<String> SHAPE_REFUSALS = Set.of("invalid_json", "validation_failed", "invalid_id",
            "invalid_parameter", "invalid_idempotency_key", "invalid_if_match", "precondition_required");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");

    private final OpenApiInteractionValidator validator;

    private ApiContract(OpenApiInteractionValidator validator) {
        this.validator = validator;
    }

    /** The repository's {@code openapi.yaml}. */
    public static ApiContract load() {
        return fromSpec(ProjectRoot.find().resolve("openapi.yaml"));
    }

    static ApiContract fromSpec(Path spec) {
        try {
            return new ApiContract(OpenApiInteractionValidator
                    .createForInlineApiSpecification(Files.readString(spec))
                    // allOf with additionalProperties: false (AttachmentUpload) only works merged.
                    .withResolveCombinators(true)
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with the exchange; empty when it keeps the contract. */
    public List<String> violations(Exchange exchange) {
        Request.Method method;
        try {
            method = Request.Method.valueOf(exchange.method());
        } catch (IllegalArgumentException e) {
            return refusedUnknownRoute(exchange);
        }
        ValidationReport requestReport = validator.validateRequest(request(method, exchange));
        if (requestReport.getMessages().stream().anyMatch(m -> UNDOCUMENTED_ROUTE_KEYS.contains(m.getKey()))) {
            return refusedUnknownRoute(exchange);
        }
        List<String> problems = new ArrayList<>();
        if (exchange.status() >= 200 && exchange.status() < 300) {
            requestReport.getMessages().forEach(m -> problems.add("request: " + describe(m)));
        } else {
            String refusal = errorCode(exchange);
            if (SHAPE_REFUSALS.contains(refusal) && !requestReport.hasErrors()) {
                problems.add("request: the API refused it as " + refusal + ", but the spec allows it");
            }
        }
        validator.validateResponse(exchange.rawPath(), method, response(exchange)).getMessages()
                .forEach(m -> problems.add("response " + exchange.status() + ": " + describe(m)));
        return problems;
    }

    private static List<String> refusedUnknownRoute(Exchange exchange) {
        String body = new String(exchange.responseBody(), StandardCharsets.UTF_8);
        boolean ourRefusal = (exchange.status() == 404 && body.contains("\"code\":\"route_not_found\""))
                || (exchange.status() == 405 && body.contains("\"code\":\"method_not_allowed\""))
                || (exchange.status() == 401 && body.contains("\"code\":\"unauthorized\""));
        boolean gatewayRefusal = Set.of(401, 403, 404, 413).contains(exchange.status())
                && body.startsWith("{\"message\":");
        if (ourRefusal || gatewayRefusal) {
            return List.of();
        }
        return List.of("the spec has no operation " + exchange.method() + " " + exchange.rawPath()
                + ", but the API answered " + exchange.status());
    }

    private static String errorCode(Exchange exchange) {
        try {
            return JSON.readTree(exchange.responseBody()).path("error").path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static SimpleRequest request(Request.Method method, Exchange exchange) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, exchange.rawPath());
        exchange.requestHeaders().forEach(request::withHeader);
        QueryStrings.parse(exchange.rawQuery()).forEach(request::withQueryParam);
        if (exchange.requestBody().length > 0) {
            request.withBody(exchange.requestBody());
        }
        return request.build();
    }

    private static SimpleResponse response(Exchange exchange) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
        exchange.responseHeaders().forEach(response::withHeader);
        if (exchange.responseBody().length > 0) {
            response.withBody(exchange.responseBody());
        }
        return response.build();
    }

    private static String describe(ValidationReport.Message message) {
        return message.getKey() + ": " + message.getMessage().replace('\n', ' ')
                + message.getContext().flatMap(c -> c.getPointers().map(p -> " at " + p.getInstance()))
                .orElse("");
    }

    /** Every operation {@code openapi.yaml} declares, as {@code "METHOD /template"}. */
    public static List<String> operations() {
        try {
            JsonNode paths = new ObjectMapper(new YAMLFactory())
                    .readTree(ProjectRoot.find().resolve("openapi.yaml").toFile()).path("paths");
            List<String> operations = new ArrayList<>();
            paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(field -> {
                if (HTTP_METHODS.contains(field)) {
                    operations.add(field.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }));
            return operations;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
