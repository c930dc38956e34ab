package dev.chathistory.local.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.chathistory.local.functions.FunctionFailedException;
import dev.chathistory.local.functions.LocalFunction;
import dev.chathistory.local.template.UnsupportedTemplateException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP API Lambda authorizer (payload 2.0, simple responses) the way API Gateway runs one:
 * a request without every identity header is 401 without invoking anything; otherwise the
 * function is invoked (its answer cached per identity value for {@code ReauthorizeEvery}
 * seconds), {@code isAuthorized: false} is 403, and the context of an authorized request goes
 * to the route's function as {@code requestContext.authorizer.lambda}.
 */
public final class LocalAuthorizer {

    /** Either the context to pass on, or the gateway's own refusal. */
    public record Decision(ObjectNode context, int status, String body) {
        static Decision allow(ObjectNode context) {
            return new Decision(context, 0, null);
        }

        static Decision deny(int status, String message) {
            return new Decision(null, status, "{\"message\":\"" + message + "\"}");
        }

        public boolean allowed() {
            return context != null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalFunction function;
    private final List<String> identityHeaders;
    private final Cache<String, Decision> cache;

    private LocalAuthorizer(LocalFunction function, List<String> identityHeaders, Duration ttl) {
        this.function = function;
        this.identityHeaders = identityHeaders;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
    }

    /**
     * The API's default authorizer from its resolved {@code Auth} properties, or empty when it
     * has none. {@code functionOf} finds the function a {@code FunctionArn} names.
     */
    public static Optional<LocalAuthorizer> fromAuth(JsonNode auth, java.util.function.Function<String, LocalFunction> functionOf) {
        String name = auth.path("DefaultAuthorizer").asText("");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        JsonNode definition = auth.path("Authorizers").path(name);
        if (!definition.path("AuthorizerPayloadFormatVersion").asText().equals("2.0")
                || !definition.path("EnableSimpleResponses").asBoolean(false)) {
            throw new UnsupportedTemplateException("authorizer " + name
                    + ": the local stack runs Lambda authorizers with payload 2.0 and simple responses only");
        }
        List<String> headers = new ArrayList<>();
        definition.path("Identity").path("Headers").forEach(h -> headers.add(h.asText().toLowerCase(Locale.ROOT)));
        Duration ttl = Duration.ofSeconds(definition.path("Identity").path("ReauthorizeEvery").asLong(300));
        return Optional.of(new LocalAuthorizer(functionOf.apply(definition.path("FunctionArn").asText()),
                headers, ttl.isZero() ? Duration.ofNanos(1) : ttl));
    }

    /** Decides for a route's payload-2.0 event. */
    public Decision authorize(ObjectNode event) {
        List<String> identity = new ArrayList<>();
        for (String header : identityHeaders) {
            String value = event.path("headers").path(header).asText("");
            if (value.isEmpty()) {
                return Decision.deny(401, "Unauthorized");
            }
            identity.add(value);
        }
        return cache.get(String.join("\n", identity), key -> invoke(event, identity));
    }

    private Decision invoke(ObjectNode event, List<String> identity) {
        ObjectNode request = event.deepCopy();
        request.put("type", "REQUEST");
        request.put("routeArn", "arn:aws:execute-api:us-east-1:000000000000:local/$default/"
                + event.path("routeKey").asText().replace(' ', '/'));
        ArrayNode sources = request.putArray("identitySource");
        identity.forEach(sources::add);
        request.remove("body");
        request.remove("isBase64Encoded");
        try {
            JsonNode answer = JSON.readTree(function.invoke(request.toString()));
            if (!answer.path("isAuthorized").asBoolean(false)) {
                return Decision.deny(403, "Forbidden");
            }
            JsonNode context = answer.path("context");
            return Decision.allow(context.isObject() ? (ObjectNode) context : JSON.createObjectNode());
        } catch (FunctionFailedException | IOException e) {
            // API Gateway answers an authorizer that fails or returns garbage with a 500.
            return new Decision(null, 500, "{\"message\":\"Internal Server Error\"}");
        }
    }
}
