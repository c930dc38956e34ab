package dev.chathistory.messageapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.chathistory.messageapi.http.HttpRequest;
import dev.chathistory.messageapi.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Converts between API Gateway HTTP API (payload format 2.0) events and our HTTP types. */
final class ApiGatewayEvents {

    private ApiGatewayEvents() {
    }

    static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : null;
        String requestId = context != null ? context.getRequestId() : null;
        return new HttpRequest(method, event.getRawPath(), lowerCaseKeys(event.getHeaders()),
                nullToEmpty(event.getQueryStringParameters()), body(event), requestId, authorizerContext(event));
    }

    /** The Lambda authorizer's context ({@code requestContext.authorizer.lambda}), as strings. */
    private static Map<String, String> authorizerContext(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getLambda() == null) {
            return Map.of();
        }
        Map<String, String> result = new HashMap<>();
        context.getAuthorizer().getLambda().forEach((key, value) -> {
            if (key != null && value instanceof String text) {
                result.put(key, text);
            }
        });
        return result;
    }

    static APIGatewayV2HTTPResponse toEvent(HttpResponse response) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    /** API Gateway base64-encodes bodies it considers binary; JSON usually arrives as text. */
    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (event.getIsBase64Encoded()) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                return body.getBytes(StandardCharsets.UTF_8);
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> lowerCaseKeys(Map<String, String> headers) {
        Map<String, String> result = new HashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null && value != null) {
                    result.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b);
                }
            });
        }
        return result;
    }

    private static Map<String, String> nullToEmpty(Map<String, String> map) {
        Map<String, String> result = new HashMap<>();
        if (map != null) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    result.put(k, v);
                }
            });
        }
        return result;
    }
}
