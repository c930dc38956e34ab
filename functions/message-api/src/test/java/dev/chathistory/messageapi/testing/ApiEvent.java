package dev.chathistory.messageapi.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A payload-2.0 event built from one of the sample files in {@code events/} (the same files
 * {@code sam local invoke -e} takes), adjusted per test, and turned into the event object with
 * the Lambda runtime's own serializer, so tests see exactly what a deployed handler sees.
 */
public final class ApiEvent {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<APIGatewayV2HTTPEvent> RUNTIME_SERIALIZER =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, ApiEvent.class.getClassLoader());

    private final ObjectNode event;

    private ApiEvent(ObjectNode event) {
        this.event = event;
    }

    /** Loads {@code events/<name>}, found by walking up from the working directory. */
    public static ApiEvent fromFile(String name) {
        try {
            return new ApiEvent((ObjectNode) JSON.readTree(Files.readString(eventsDirectory().resolve(name))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path eventsDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("events");
            if (Files.isDirectory(candidate) && Files.exists(dir.resolve("template.yaml"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no events/ directory above " + Path.of("").toAbsolutePath());
    }

    /** Sets method and path together, as API Gateway would for a request to that route. */
    public ApiEvent request(String method, String rawPath) {
        event.put("rawPath", rawPath);
        ObjectNode http = (ObjectNode) event.path("requestContext").path("http");
        http.put("method", method);
        http.put("path", rawPath);
        return this;
    }

    public ApiEvent header(String name, String value) {
        ((ObjectNode) event.path("headers")).put(name.toLowerCase(java.util.Locale.ROOT), value);
        return this;
    }

    public ApiEvent withoutHeader(String name) {
        ((ObjectNode) event.path("headers")).remove(name.toLowerCase(java.util.Locale.ROOT));
        return this;
    }

    public ApiEvent query(String name, String value) {
        JsonNode existing = event.get("queryStringParameters");
        ObjectNode query = existing instanceof ObjectNode o ? o : event.putObject("queryStringParameters");
        query.put(name, value);
        event.put("rawQueryString", rawQuery(query));
        return this;
    }

    public ApiEvent withoutQuery() {
        event.remove("queryStringParameters");
        event.put("rawQueryString", "");
        return this;
    }

    public ApiEvent body(String rawBody) {
        if (rawBody == null) {
            event.remove("body");
        } else {
            event.put("body", rawBody);
        }
        return this;
    }

    public ApiEvent jsonBody(Object body) {
        try {
            return body(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ApiEvent base64Encoded(boolean encoded) {
        event.put("isBase64Encoded", encoded);
        return this;
    }

    public ApiEvent requestId(String requestId) {
        ((ObjectNode) event.path("requestContext")).put("requestId", requestId);
        return this;
    }

    /** As if the Lambda authorizer had accepted a key of {@code tenantId}. */
    public ApiEvent tenant(String tenantId) {
        ((ObjectNode) event.path("requestContext")).putObject("authorizer").putObject("lambda")
                .put("tenantId", tenantId);
        return this;
    }

    /** As if no authorizer had run, or it had accepted nothing. */
    public ApiEvent withoutAuthorizer() {
        ((ObjectNode) event.path("requestContext")).remove("authorizer");
        return this;
    }

    /** The event as JSON text, as Lambda would receive it. */
    public String json() {
        return event.toString();
    }

    public APIGatewayV2HTTPEvent toEvent() {
        return RUNTIME_SERIALIZER.fromJson(json());
    }

    private static String rawQuery(ObjectNode query) {
        StringJoiner joined = new StringJoiner("&");
        for (Iterator<Map.Entry<String, JsonNode>> it = query.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            joined.add(entry.getKey() + "=" + entry.getValue().asText());
        }
        return joined.toString();
    }
}
