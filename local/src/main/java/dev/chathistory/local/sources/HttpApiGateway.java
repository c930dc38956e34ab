package dev.chathistory.local.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chathistory.local.LoopbackHttpServers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serves HTTP on loopback the way an API Gateway HTTP API does for Lambda proxy integrations
 * with payload format 2.0: the matching route's function gets an event with lower-case
 * headers (repeats comma-joined, cookies split out), decoded query parameters, path
 * parameters, and the body as text or base64; its result becomes the HTTP response, and a
 * function error becomes API Gateway's 500. Requests under {@code /_local/} go to the
 * {@link AdminHandler} instead, and {@code /docs} and {@code /openapi.yaml} to the {@link DocsSite}.
 */
public final class HttpApiGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(HttpApiGateway.class.getName());
    /** API Gateway's own payload limit. */
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** Integrations still running after the gateway answered go on here, as in Lambda. */
    private static final ExecutorService INTEGRATIONS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "http-api-integration");
        thread.setDaemon(true);
        return thread;
    });
    /**
     * Request bodies by exchange, for the observers. Not exchange attributes: before JDK 20 the
     * JDK server keeps those per context, so concurrent requests would see each other's.
     */
    private static final Map<HttpExchange, byte[]> REQUEST_BODIES = new ConcurrentHashMap<>();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** Local-only operations; answers with a status and a body (JSON unless it says otherwise). */
    public interface AdminHandler {
        Response handle(String method, List<String> path, byte[] body);
    }

    /** A response of the admin endpoints. */
    public record Response(int status, String body, String contentType) {
        public Response(int status, String json) {
            this(status, json, "application/json");
        }
    }

    /** Told of every API request the gateway answered (not the admin or docs ones), for the local dashboard. */
    @FunctionalInterface
    public interface RequestMeter {
        RequestMeter NONE = (status, millis) -> { };

        void answered(int status, long millis);
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpApiGateway(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static HttpApiGateway start(String host, int port, HttpRoutes routes, AdminHandler admin)
            throws IOException {
        return start(host, port, routes, admin, Optional.empty());
    }

    /** With {@code authorizer}, every route is authorized first, as the API's default authorizer does. */
    public static HttpApiGateway start(String host, int port, HttpRoutes routes, AdminHandler admin,
                                       Optional<LocalAuthorizer> authorizer) throws IOException {
        return start(host, port, routes, admin, authorizer, RequestMeter.NONE);
    }

    /** With {@code meter}, told the status and duration of every API request. */
    public static HttpApiGateway start(String host, int port, HttpRoutes routes, AdminHandler admin,
                                       Optional<LocalAuthorizer> authorizer, RequestMeter meter) throws IOException {
        HttpServer server = LoopbackHttpServers.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(16);
        server.createContext("/", exchange -> {
            long started = System.nanoTime();
            serve(exchange, routes, admin, authorizer);
            String path = exchange.getRequestURI().getRawPath();
            if (!path.equals("/_local") && !path.startsWith("/_local/") && !DocsSite.serves(path)) {
                meter.answered(exchange.getResponseCode(), (System.nanoTime() - started) / 1_000_000);
            }
        });
        server.setExecutor(executor);
        server.start();
        return new HttpApiGateway(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void serve(HttpExchange exchange, HttpRoutes routes, AdminHandler admin,
                              Optional<LocalAuthorizer> authorizer) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            REQUEST_BODIES.put(exchange, body);
            if (body.length > MAX_BODY_BYTES) {
                respondJson(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (uri.getRawPath().equals("/_local") || uri.getRawPath().startsWith("/_local/")) {
                List<String> path = List.of(uri.getRawPath().substring(1).split("/"));
                Response response = admin.handle(method, path.subList(1, path.size()), body);
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
                send(exchange, response.status(), response.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (DocsSite.serves(uri.getRawPath())) {
                DocsSite.serve(exchange, method);
                return;
            }
            Optional<HttpRoutes.Match> match = routes.match(method, uri.getRawPath());
            if (match.isEmpty()) {
                respondJson(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            ObjectNode event = event(exchange, match.get(), body);
            if (authorizer.isPresent()) {
                LocalAuthorizer.Decision decision = authorizer.get().authorize(event);
                if (!decision.allowed()) {
                    respondJson(exchange, decision.status(), decision.body());
                    return;
                }
                ((ObjectNode) event.path("requestContext")).putObject("authorizer").set("lambda", decision.context());
            }
            String result;
            Future<String> integration = INTEGRATIONS.submit(() -> match.get().function().invoke(event.toString()));
            try {
                result = integration.get(match.get().integrationTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // The function runs on until its own timeout; the client hears no more of it.
                LOG.log(System.Logger.Level.WARNING, match.get().function().logicalId() + " took longer than "
                        + "its route's integration timeout of " + match.get().integrationTimeout().toMillis() + " ms");
                respondJson(exchange, 503, "{\"message\":\"Service Unavailable\"}");
                return;
            } catch (ExecutionException e) {
                // A function error, a timeout, a throttle or a response over 6 MB: API Gateway's 500.
                LOG.log(System.Logger.Level.WARNING, e.getCause().getMessage(), e.getCause().getCause());
                respondJson(exchange, 500, "{\"message\":\"Internal Server Error\"}");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                respondJson(exchange, 503, "{\"message\":\"Service Unavailable\"}");
                return;
            }
            respondWithResult(exchange, result);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "local API gateway failed", e);
            respondJson(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        } finally {
            REQUEST_BODIES.remove(exchange);
        }
    }

    static ObjectNode event(HttpExchange exchange, HttpRoutes.Match match, byte[] body) {
        URI uri = exchange.getRequestURI();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(v -> cookies.addAll(List.of(v.split(";\\s*"))));
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        Instant now = Instant.now();

        ObjectNode event = JSON.createObjectNode()
                .put("version", "2.0")
                .put("routeKey", match.routeKey())
                .put("rawPath", uri.getRawPath())
                .put("rawQueryString", rawQuery);
        if (!cookies.isEmpty()) {
            ArrayNode cookieArray = event.putArray("cookies");
            cookies.forEach(cookieArray::add);
        }
        event.set("headers", JSON.valueToTree(headers));
        if (!rawQuery.isEmpty()) {
            event.set("queryStringParameters", JSON.valueToTree(query(rawQuery)));
        }
        ObjectNode context = event.putObject("requestContext")
                .put("accountId", "000000000000")
                .put("apiId", "local")
                .put("domainName", headers.getOrDefault("host", "localhost"))
                .put("domainPrefix", "local")
                .put("requestId", UUID.randomUUID().toString())
                .put("routeKey", match.routeKey())
                .put("stage", "$default")
                .put("time", REQUEST_TIME.format(now))
                .put("timeEpoch", now.toEpochMilli());
        context.putObject("http")
                .put("method", method)
                .put("path", uri.getRawPath())
                .put("protocol", exchange.getProtocol())
                .put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress())
                .put("userAgent", headers.getOrDefault("user-agent", ""));
        if (!match.pathParameters().isEmpty()) {
            event.set("pathParameters", JSON.valueToTree(match.pathParameters()));
        }
        boolean text = isText(headers.get("content-type"));
        if (body.length > 0) {
            event.put("body", text ? new String(body, StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(body));
        }
        event.put("isBase64Encoded", body.length > 0 && !text);
        return event;
    }

    /**
     * A result with {@code statusCode} is a full response; anything else is a 200 with the
     * result as JSON body, which is how API Gateway reads payload-2.0 results.
     */
    private static void respondWithResult(HttpExchange exchange, String result) throws IOException {
        JsonNode node = JSON.readTree(result);
        if (node == null || !node.isObject() || !node.has("statusCode")) {
            respondJson(exchange, 200, result);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            exchange.getResponseHeaders().add(header.getKey(), header.getValue().asText());
        }
        node.path("cookies").forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie.asText()));
        String body = node.path("body").isNull() ? "" : node.path("body").asText("");
        byte[] bytes = node.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        send(exchange, node.path("statusCode").asInt(200), bytes);
    }

    /** Repeated names are comma-joined, as in payload 2.0's {@code queryStringParameters}. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        QueryStrings.parse(rawQuery).forEach((name, values) -> params.put(name, String.join(",", values)));
        return params;
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.startsWith("application/x-www-form-urlencoded");
    }

    private static void respondJson(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        notifyObservers(exchange, status, body);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void notifyObservers(HttpExchange exchange, int status, byte[] responseBody) {
        List<ExchangeObserver> observers = ExchangeObserver.installed();
        String rawPath = exchange.getRequestURI().getRawPath();
        if (observers.isEmpty() || rawPath.equals("/_local") || rawPath.startsWith("/_local/")
                || DocsSite.serves(rawPath)) {
            return;
        }
        byte[] requestBody = REQUEST_BODIES.get(exchange);
        ExchangeObserver.Exchange observed = new ExchangeObserver.Exchange(
                exchange.getRequestMethod().toUpperCase(Locale.ROOT), rawPath, exchange.getRequestURI().getRawQuery(),
                lowerCaseJoined(exchange.getRequestHeaders()),
                requestBody == null ? new byte[0] : requestBody,
                status, lowerCaseJoined(exchange.getResponseHeaders()), responseBody);
        for (ExchangeObserver observer : observers) {
            try {
                observer.observe(observed);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "exchange observer failed", e);
            }
        }
    }

    private static Map<String, String> lowerCaseJoined(Map<String, List<String>> headers) {
        Map<String, String> joined = new LinkedHashMap<>();
        headers.forEach((name, values) -> joined.merge(name.toLowerCase(Locale.ROOT), String.join(",", values),
                (a, b) -> a + "," + b));
        return joined;
    }
}
