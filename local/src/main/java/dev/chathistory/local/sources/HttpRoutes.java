package dev.chathistory.local.sources;

import dev.chathistory.local.functions.LocalFunction;
import dev.chathistory.local.template.UnsupportedTemplateException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API's routes as API Gateway matches them: an exact method beats ANY, literal
 * segments beat {@code {variables}}, a greedy {@code {proxy+}} comes last, and the
 * {@code $default} route takes whatever nothing else matched.
 */
public final class HttpRoutes {

    /** HTTP APIs wait at most this long for an integration; a route may set less. */
    public static final Duration MAX_INTEGRATION_TIMEOUT = Duration.ofSeconds(30);

    /** A route, the function behind it and how long API Gateway waits for it. */
    public record Route(String method, String path, LocalFunction function, Duration integrationTimeout) {
        public String routeKey() {
            return method + " " + path;
        }

        String[] segments() {
            return path.substring(1).split("/", -1);
        }

        int literalSegments() {
            int count = 0;
            for (String segment : segments()) {
                if (!segment.startsWith("{")) {
                    count++;
                }
            }
            return count;
        }

        boolean greedy() {
            return path.endsWith("+}");
        }
    }

    /** The chosen route, its route key, the decoded path parameters and its integration timeout. */
    public record Match(LocalFunction function, String routeKey, Map<String, String> pathParameters,
                        Duration integrationTimeout) {
    }

    private final List<Route> routes = new ArrayList<>();
    private LocalFunction fallback;

    public void add(String method, String path, LocalFunction function) {
        add(method, path, function, MAX_INTEGRATION_TIMEOUT);
    }

    /** With the event's {@code TimeoutInMillis} (50 ms to 30 s, as API Gateway allows). */
    public void add(String method, String path, LocalFunction function, Duration integrationTimeout) {
        if (integrationTimeout.toMillis() < 50 || integrationTimeout.compareTo(MAX_INTEGRATION_TIMEOUT) > 0) {
            throw new UnsupportedTemplateException(method + " " + path
                    + ": TimeoutInMillis must be between 50 and 30000");
        }
        routes.add(new Route(method.toUpperCase(Locale.ROOT), path, function, integrationTimeout));
        routes.sort(Comparator.comparing(Route::greedy)
                .thenComparing(Comparator.comparingInt(Route::literalSegments).reversed())
                .thenComparing(r -> r.method().equals("ANY")));
    }

    public void setDefault(LocalFunction function) {
        this.fallback = function;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Optional<LocalFunction> defaultRoute() {
        return Optional.ofNullable(fallback);
    }

    public Optional<Match> match(String method, String rawPath) {
        String[] actual = rawPath.startsWith("/") ? rawPath.substring(1).split("/", -1) : new String[0];
        for (Route route : routes) {
            if (!route.method().equals("ANY") && !route.method().equals(method)) {
                continue;
            }
            Map<String, String> parameters = bind(route.segments(), actual);
            if (parameters != null) {
                return Optional.of(new Match(route.function(), route.routeKey(), parameters,
                        route.integrationTimeout()));
            }
        }
        return Optional.ofNullable(fallback).map(f -> new Match(f, "$default", Map.of(), MAX_INTEGRATION_TIMEOUT));
    }

    private static Map<String, String> bind(String[] template, String[] actual) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String part = template[i];
            if (part.endsWith("+}")) {
                if (i >= actual.length) {
                    return null;
                }
                String rest = String.join("/", java.util.Arrays.copyOfRange(actual, i, actual.length));
                parameters.put(part.substring(1, part.length() - 2), decode(rest));
                return parameters;
            }
            if (i >= actual.length) {
                return null;
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                parameters.put(part.substring(1, part.length() - 1), decode(actual[i]));
            } else if (!part.equals(actual[i])) {
                return null;
            }
        }
        return template.length == actual.length ? parameters : null;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
