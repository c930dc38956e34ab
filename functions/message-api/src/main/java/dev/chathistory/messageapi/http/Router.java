package dev.chathistory.messageapi.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches method and path against route templates such as {@code /v1/chats/{chatId}/messages}.
 * The function also sits behind the API's catch-all route, so unknown paths (404) and wrong
 * methods (405, with {@code Allow}) get our error format rather than API Gateway's.
 */
public final class Router {

    /** Handles a matched request; {@code path} holds the decoded template variables. */
    @FunctionalInterface
    public interface Handler {
        HttpResponse handle(HttpRequest request, Map<String, String> path);
    }

    /** The outcome of routing: the template that matched (for logs), and how to handle it. */
    public record Match(String template, Handler handler, Map<String, String> path) {
    }

    private record Route(String method, String template, String[] segments, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Handler handler) {
        routes.add(new Route(method, template, split(template), handler));
        return this;
    }

    /** Every route as {@code "METHOD /template"}, in registration order. */
    public List<String> routes() {
        return routes.stream().map(r -> r.method() + " " + r.template()).toList();
    }

    /**
     * @throws ApiException 404 for an unknown path, 405 for a known path with another method
     */
    public Match match(String method, String rawPath) {
        String[] segments = split(rawPath);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> variables = bind(route.segments(), segments);
            if (variables == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route.template(), route.handler(), variables);
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw new ApiException(ErrorCode.ROUTE_NOT_FOUND, "no such resource");
        }
        throw new MethodNotAllowedException(method, allowed);
    }

    private static Map<String, String> bind(String[] template, String[] actual) {
        if (template.length != actual.length) {
            return null;
        }
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String part = template[i];
            if (part.startsWith("{") && part.endsWith("}")) {
                String value = decode(actual[i]);
                if (value == null || value.isEmpty()) {
                    return null;
                }
                variables.put(part.substring(1, part.length() - 1), value);
            } else if (!part.equals(actual[i])) {
                return null;
            }
        }
        return variables;
    }

    private static String[] split(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return new String[] {"\0"};
        }
        return path.substring(1).split("/", -1);
    }

    /** Percent-decoding for a path segment, where '+' is a literal plus, not a space. */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A 405 that knows which methods the path does support. */
    public static final class MethodNotAllowedException extends ApiException {
        private final Set<String> allowed;

        MethodNotAllowedException(String method, Set<String> allowed) {
            super(ErrorCode.METHOD_NOT_ALLOWED, "method " + method + " is not allowed here; use "
                    + String.join(", ", allowed));
            this.allowed = Set.copyOf(allowed);
        }

        public String allowHeader() {
            return String.join(", ", allowed.stream().sorted().toList());
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("Allow", allowHeader());
        }
    }
}
