package dev.chathistory.contract;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.chathistory.local.sources.ExchangeObserver.Exchange;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** An API Gateway payload-2.0 event and the handler's result, as the HTTP exchange they stand for. */
public final class LambdaExchanges {

    private LambdaExchanges() {
    }

    /** Invokes an API handler the way Lambda would and checks the exchange against openapi.yaml. */
    public static APIGatewayV2HTTPResponse invokeChecked(
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new LocalLambdaContext());
        ContractCheck.check(of(event, response));
        return response;
    }

    public static Exchange of(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse response) {
        Map<String, String> requestHeaders = lowerCase(event.getHeaders());
        boolean authorized = event.getRequestContext() != null && event.getRequestContext().getAuthorizer() != null
                && event.getRequestContext().getAuthorizer().getLambda() != null;
        if (authorized) {
            // The sample events stand for requests API Gateway already authorized: their key was
            // checked before the function ran, and its header is not part of the sample.
            requestHeaders.putIfAbsent("authorization", "Bearer chk_checked-by-the-authorizer");
        }
        return new Exchange(event.getRequestContext().getHttp().getMethod(), event.getRawPath(),
                query(event.getQueryStringParameters()), requestHeaders, body(event.getBody(), event.getIsBase64Encoded()),
                response.getStatusCode(), lowerCase(response.getHeaders()),
                body(response.getBody(), response.getIsBase64Encoded()));
    }

    private static String query(Map<String, String> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            return null;
        }
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    private static byte[] body(String body, boolean base64) {
        if (body == null) {
            return new byte[0];
        }
        return base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> lowerCase(Map<String, String> headers) {
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        }
        return lower;
    }
}
