package dev.chathistory.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chathistory.client.ChatHistoryClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The message routes of the API, in memory, on 127.0.0.1: append (with idempotency keys), list
 * newest first with cursors, read, edit and delete with {@code If-Match}; and a user's settings,
 * read and replaced with {@code If-Match} ({@code "0"} creates, {@code *} overwrites). Enough to
 * test what is built on the client without the stack; it counts the requests it served by
 * method. The integration tests run the same code against the real API.
 */
public final class FakeChatHistoryApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The service's default {@code MaxSettingsBytes}. */
    public static final int DEFAULT_SETTINGS_LIMIT_BYTES = 16 * 1024;

    private record Stored(String messageId, String userId, boolean isBot, String text, JsonNode metadata,
                          long version, boolean deleted, String createdAt) {
    }

    private final HttpServer server;
    private final Map<String, List<Stored>> chats = new HashMap<>();
    private final Map<String, String> idempotency = new HashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, StoredSettings> settings = new HashMap<>();
    private int settingsLimitBytes = DEFAULT_SETTINGS_LIMIT_BYTES;
    private final Map<String, JsonNode> settingsRaces = new HashMap<>();
    private long ids;

    static {
        // Without it the JDK's server waits for Nagle and delayed ACKs: 40 ms a request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public FakeChatHistoryApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chats/", this::handle);
        server.createContext("/v1/users/", this::handleUsers);
        server.start();
    }

    public ChatHistoryClient client() {
        return ChatHistoryClient.builder().baseUri(baseUri()).apiKey("test-key").maxAttempts(1).build();
    }

    /** Where it listens, for code that builds its own client (from configuration, say). */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests served with {@code method} since the last {@link #resetCounts()}. */
    public int requests(String method) {
        return requests.getOrDefault(method, new AtomicInteger()).get();
    }

    public void resetCounts() {
        requests.clear();
    }

    /** How many messages the chat holds, deleted ones included. */
    public synchronized int stored(String chatId) {
        return chats.getOrDefault(chatId, List.of()).size();
    }

    /** A user's settings object as stored, or {@code null} if never written. */
    public synchronized JsonNode settings(String userId) {
        StoredSettings stored = settings.get(userId);
        return stored == null ? null : stored.value().deepCopy();
    }

    /** Lowers (or raises) the size over which a settings object is refused, as the service's limit would. */
    public synchronized void settingsLimitBytes(int bytes) {
        settingsLimitBytes = bytes;
    }

    /**
     * The next PUT of {@code userId}'s settings finds {@code value} stored first, at a new
     * version, as if another writer had got there between its read and its write.
     */
    public synchronized void changeSettingsBeforeNextPut(String userId, JsonNode value) {
        settingsRaces.put(userId, value.deepCopy());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.computeIfAbsent(exchange.getRequestMethod(), m -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            String[] path = exchange.getRequestURI().getRawPath().split("/");
            // ["", "v1", "chats", chatId, "messages", messageId?]
            if (path.length < 5 || !"messages".equals(path[4])) {
                reply(exchange, 404, error("route_not_found"), null);
                return;
            }
            String chatId = URLDecoder.decode(path[3], StandardCharsets.UTF_8);
            synchronized (this) {
                if (path.length == 5) {
                    switch (exchange.getRequestMethod()) {
                        case "POST" -> append(exchange, chatId);
                        case "GET" -> list(exchange, chatId);
                        default -> reply(exchange, 405, error("method_not_allowed"), null);
                    }
                } else {
                    one(exchange, chatId, path[5]);
                }
            }
        }
    }

    private void append(HttpExchange exchange, String chatId) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = chatId + "\n" + exchange.getRequestHeaders().getFirst("Idempotency-Key");
        List<Stored> chat = chats.computeIfAbsent(chatId, c -> new ArrayList<>());
        String earlier = idempotency.get(key);
        if (earlier != null) {
            String[] parts = earlier.split("\n", 2);
            if (!parts[1].equals(body)) {
                reply(exchange, 422, error("idempotency_key_reused"), null);
                return;
            }
            Stored original = chat.stream().filter(m -> m.messageId().equals(parts[0])).findFirst().orElseThrow();
            exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
            reply(exchange, 201, view(chatId, original), original.version());
            return;
        }
        JsonNode request = JSON.readTree(body);
        Stored message = new Stored(String.format("m%010d", ++ids), request.get("userId").asText(),
                request.get("isBot").asBoolean(), request.get("text").asText(), request.get("metadata"), 1, false,
                Instant.ofEpochSecond(1_700_000_000L + ids).toString());
        chat.add(message);
        idempotency.put(key, message.messageId() + "\n" + body);
        reply(exchange, 201, view(chatId, message), 1L);
    }

    private void list(HttpExchange exchange, String chatId) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        boolean includeDeleted = Boolean.parseBoolean(query.getOrDefault("includeDeleted", "false"));
        int skip = Integer.parseInt(query.getOrDefault("cursor", "0"));
        List<Stored> newestFirst = new ArrayList<>(chats.getOrDefault(chatId, List.of()));
        java.util.Collections.reverse(newestFirst);
        List<Stored> visible = newestFirst.stream().filter(m -> includeDeleted || !m.deleted()).toList();
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("items");
        visible.stream().skip(skip).limit(limit).forEach(m -> items.add(view(chatId, m)));
        page.put("nextCursor", skip + limit < visible.size() ? String.valueOf(skip + limit) : null);
        reply(exchange, 200, page, null);
    }

    private void one(HttpExchange exchange, String chatId, String messageId) throws IOException {
        List<Stored> chat = chats.getOrDefault(chatId, new ArrayList<>());
        int index = -1;
        for (int i = 0; i < chat.size(); i++) {
            if (chat.get(i).messageId().equals(messageId)) {
                index = i;
            }
        }
        if (index < 0) {
            reply(exchange, 404, error("message_not_found"), null);
            return;
        }
        Stored message = chat.get(index);
        String method = exchange.getRequestMethod();
        if ("GET".equals(method)) {
            if (message.deleted()) {
                reply(exchange, 404, error("message_not_found"), null);
            } else {
                reply(exchange, 200, view(chatId, message), message.version());
            }
            return;
        }
        String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
        if (ifMatch == null || !ifMatch.equals("\"" + message.version() + "\"")) {
            reply(exchange, 412, error("precondition_failed"), null);
            return;
        }
        if (message.deleted()) {
            reply(exchange, 409, error("message_deleted"), null);
            return;
        }
        Stored changed;
        if ("PATCH".equals(method)) {
            JsonNode edit = JSON.readTree(exchange.getRequestBody().readAllBytes());
            changed = new Stored(message.messageId(), message.userId(), message.isBot(),
                    edit.has("text") ? edit.get("text").asText() : message.text(),
                    edit.has("metadata") ? edit.get("metadata") : message.metadata(), message.version() + 1, false,
                    message.createdAt());
        } else if ("DELETE".equals(method)) {
            changed = new Stored(message.messageId(), message.userId(), message.isBot(), message.text(),
                    message.metadata(), message.version() + 1, true, message.createdAt());
        } else {
            reply(exchange, 405, error("method_not_allowed"), null);
            return;
        }
        chat.set(index, changed);
        reply(exchange, 200, view(chatId, changed), changed.version());
    }

    private record StoredSettings(JsonNode value, long version) {
    }

    private void handleUsers(HttpExchange exchange) throws IOException {
        requests.computeIfAbsent(exchange.getRequestMethod(), m -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            String[] path = exchange.getRequestURI().getRawPath().split("/");
            // ["", "v1", "users", userId, "settings"]
            if (path.length != 5 || !"settings".equals(path[4])) {
                reply(exchange, 404, error("route_not_found"), null);
                return;
            }
            String userId = URLDecoder.decode(path[3], StandardCharsets.UTF_8);
            synchronized (this) {
                switch (exchange.getRequestMethod()) {
                    case "GET" -> {
                        StoredSettings stored = settings.getOrDefault(userId,
                                new StoredSettings(JSON.createObjectNode(), 0));
                        reply(exchange, 200, stored.value(), stored.version());
                    }
                    case "PUT" -> putSettings(exchange, userId);
                    default -> reply(exchange, 405, error("method_not_allowed"), null);
                }
            }
        }
    }

    /** As the service answers: 428 without If-Match, 400 for a non-object or an oversized one, 412 if stale. */
    private void putSettings(HttpExchange exchange, String userId) throws IOException {
        String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
        if (ifMatch == null) {
            reply(exchange, 428, error("precondition_required"), null);
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (IOException e) {
            reply(exchange, 400, error("invalid_json"), null);
            return;
        }
        if (value == null || !value.isObject()) {
            reply(exchange, 400, error("validation_failed"), null);
            return;
        }
        if (JSON.writeValueAsBytes(value).length > settingsLimitBytes) {
            reply(exchange, 400, error("settings_too_large"), null);
            return;
        }
        JsonNode race = settingsRaces.remove(userId);
        if (race != null) {
            long before = settings.containsKey(userId) ? settings.get(userId).version() : 0;
            settings.put(userId, new StoredSettings(race, before + 1));
        }
        long current = settings.containsKey(userId) ? settings.get(userId).version() : 0;
        String expected = ifMatch.trim().replaceFirst("^W/", "").replace("\"", "");
        if (!"*".equals(expected) && !expected.equals(String.valueOf(current))) {
            ObjectNode conflict = error("precondition_failed");
            ((ObjectNode) conflict.get("error")).put("currentVersion", current);
            reply(exchange, 412, conflict, current);
            return;
        }
        StoredSettings saved = new StoredSettings(value.deepCopy(), current + 1);
        settings.put(userId, saved);
        reply(exchange, 200, saved.value(), saved.version());
    }

    private static ObjectNode view(String chatId, Stored m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("chatId", chatId).put("messageId", m.messageId()).put("userId", m.userId()).put("isBot", m.isBot())
                .put("text", m.text());
        node.set("metadata", m.metadata() == null || m.metadata().isNull() ? null : m.metadata().deepCopy());
        node.put("version", m.version()).put("parentVersion", m.version() > 1 ? m.version() - 1 : null)
                .put("deleted", m.deleted()).put("createdAt", m.createdAt())
                .put("editedAt", m.version() > 1 ? m.createdAt() : null);
        return node;
    }

    private static ObjectNode error(String code) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", code).put("requestId", "fake");
        return body;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body, Long version) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (version != null) {
            exchange.getResponseHeaders().add("ETag", "\"" + version + "\"");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
