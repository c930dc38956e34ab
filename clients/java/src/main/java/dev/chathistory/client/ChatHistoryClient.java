package dev.chathistory.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A client of the chat-history API (v1) for bots: one method per route, typed results, and
 * the retries a bot would otherwise write itself. Thread-safe; build one per API key and
 * share it.
 *
 * <pre>{@code
 * ChatHistoryClient client = ChatHistoryClient.builder()
 *         .baseUri(URI.create("https://api.example.com"))
 *         .apiKey(System.getenv("CHAT_HISTORY_KEY"))
 *         .build();
 * Message hello = client.append("chat-1", NewMessage.of("alice", false, "Hello!")).message();
 * for (Message m : client.history("chat-1")) { ... }   // newest first, page by page
 * }</pre>
 *
 * <h2>Retries</h2>
 * A request is sent again only when a repeat cannot do anything twice:
 * <ul>
 *   <li>Requests that are safe to repeat (every {@code GET}, settings {@code PUT}, edits and
 *       deletes, which carry {@code If-Match} so a repeat of one that did apply gets 412, and
 *       appends, which carry an {@code Idempotency-Key}, the same on every attempt) are retried
 *       on 429, 502, 503 and 504 and when no response arrives (connection failure, timeout).</li>
 *   <li>Requests that are not ({@link #submitJob job submission} and
 *       {@link #createUpload upload creation}) are retried only on 429 and 503, which the
 *       service answers before doing any work, and when the connection could not even be
 *       opened.</li>
 *   <li>500 and every other 4xx are never retried: repeating them gives the same answer.</li>
 * </ul>
 * Between attempts the client waits what {@code Retry-After} says (seconds, capped at
 * {@link RetryPolicy#maxRetryAfter()}), or else a random time between 0 and
 * {@code min(maxDelay, baseDelay * 2^(retry-1))} ("full jitter"). By default there are
 * {@linkplain RetryPolicy#DEFAULT 4 attempts in all}, from 100 ms up to 5 s.
 *
 * <p>One consequence to know: when an edit, delete or versioned settings write is retried
 * because its response was lost, the first attempt may have applied, and the retry then
 * fails with 412 (or 409 {@code message_deleted}) although the change is stored. Read the
 * item again before treating such a conflict as someone else's change.
 *
 * <h2>Errors</h2>
 * Every failure is a {@link ChatHistoryException} (unchecked) with the status, the API's error
 * code and its request id; a 412 is a {@link ConflictException} with the current version.
 * Neither ever contains the API key, and neither does {@link #toString()}.
 */
public final class ChatHistoryClient {

    /** Headers {@link java.net.http} sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("content-length", "host", "connection",
            "expect", "upgrade");

    private final String base;
    private final String apiKey;
    private final Duration requestTimeout;
    private final Transport transport;
    private final ErrorResponses errors;
    private final Supplier<String> idempotencyKeys;

    private ChatHistoryClient(Builder builder) {
        String uri = builder.baseUri.toString();
        this.base = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        this.apiKey = builder.apiKey;
        this.requestTimeout = builder.requestTimeout;
        this.errors = new ErrorResponses(builder.apiKey);
        HttpClient http = builder.httpClient != null ? builder.httpClient
                : HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
        this.transport = new Transport(http, builder.retryPolicy, builder.sleeper, builder.random, errors);
        this.idempotencyKeys = builder.idempotencyKeys;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- messages

    /**
     * Appends a message under a new random {@code Idempotency-Key}, which every retry of this
     * call repeats, so a retried append is stored once.
     */
    public Appended append(String chatId, NewMessage message) {
        return append(chatId, message, null);
    }

    /**
     * Appends a message under the caller's {@code Idempotency-Key} (1–128 of
     * {@code [A-Za-z0-9._:-]}; {@code null} for a random one). Use your own key to make a retry
     * across restarts safe, e.g. the id of the chat platform's update: the same key and body
     * return the stored message again with {@link Appended#replayed()} set; the same key with
     * another body is {@code 422 idempotency_key_reused}.
     */
    public Appended append(String chatId, NewMessage message, String idempotencyKey) {
        Objects.requireNonNull(message, "message");
        String key = idempotencyKey != null ? idempotencyKey : idempotencyKeys.get();
        ObjectNode body = JsonMapping.MAPPER.createObjectNode()
                .put("userId", message.userId())
                .put("isBot", message.isBot())
                .put("text", message.text());
        if (message.metadata() != null) {
            body.set("metadata", message.metadata());
        }
        HttpRequest request = jsonRequest(messages(chatId), "POST", body)
                .header("Idempotency-Key", key)
                .build();
        HttpResponse<byte[]> response = transport.send(request, Retryability.IDEMPOTENT);
        boolean replayed = response.headers().firstValue("Idempotent-Replayed")
                .map("true"::equalsIgnoreCase).orElse(false);
        return new Appended(message(response), replayed, key);
    }

    /** The newest page of a chat, in the service's default page size, without deleted messages. */
    public Page<Message> listMessages(String chatId) {
        return fetchMessages(chatId, null, null, false);
    }

    /**
     * One page of a chat, newest first.
     *
     * @param limit 1..100
     * @param cursor {@code null} for the newest page, else a previous page's
     *               {@link Page#nextCursor()}
     * @param includeDeleted whether soft-deleted messages are included
     */
    public Page<Message> listMessages(String chatId, int limit, String cursor, boolean includeDeleted) {
        return fetchMessages(chatId, limit, cursor, includeDeleted, ReadConsistency.STRONG);
    }

    /**
     * As {@link #listMessages(String, int, String, boolean)}, read with the given consistency:
     * {@link ReadConsistency#EVENTUAL} halves the read cost where the newest second of writes
     * does not matter.
     */
    public Page<Message> listMessages(String chatId, int limit, String cursor, boolean includeDeleted,
                                      ReadConsistency consistency) {
        return fetchMessages(chatId, limit, cursor, includeDeleted, consistency);
    }

    /**
     * Every message of a chat, newest first, without deleted ones. Lazy: nothing is fetched
     * until iteration starts, and each page only when the one before is used up; each
     * iteration starts again from the newest message.
     */
    public Iterable<Message> history(String chatId) {
        requireId("chatId", chatId);
        return PageIterator.lazily(cursor -> fetchMessages(chatId, null, cursor, false));
    }

    /** Like {@link #history(String)}, with a page size (1..100) and optionally deleted messages. */
    public Iterable<Message> history(String chatId, int pageSize, boolean includeDeleted) {
        requireId("chatId", chatId);
        return PageIterator.lazily(cursor -> fetchMessages(chatId, pageSize, cursor, includeDeleted));
    }

    /** The current version of a message; {@code 404 message_not_found} if it is deleted. */
    public Message getMessage(String chatId, String messageId) {
        return getMessage(chatId, messageId, false);
    }

    /** The current version of a message; with {@code includeDeleted}, also a deleted one. */
    public Message getMessage(String chatId, String messageId, boolean includeDeleted) {
        ApiPath path = message(chatId, messageId).query("includeDeleted", includeDeleted ? "true" : null);
        return message(transport.send(request(path).GET().build(), Retryability.IDEMPOTENT));
    }

    /**
     * Edits a message that is still at {@code expectedVersion}, and returns the new version.
     *
     * @throws ConflictException if it has changed since; its {@link ConflictException#currentVersion()}
     *         says to what
     */
    public Message edit(String chatId, String messageId, long expectedVersion, MessageEdit edit) {
        Objects.requireNonNull(edit, "edit");
        ObjectNode body = JsonMapping.MAPPER.createObjectNode();
        if (edit.text() != null) {
            body.put("text", edit.text());
        }
        if (edit.replacesMetadata()) {
            body.set("metadata", edit.metadata());
        }
        HttpRequest request = jsonRequest(message(chatId, messageId), "PATCH", body)
                .header("If-Match", ETags.of(expectedVersion))
                .build();
        return message(transport.send(request, Retryability.IDEMPOTENT));
    }

    /** Replaces the text of a message that is still at {@code expectedVersion}. */
    public Message editText(String chatId, String messageId, long expectedVersion, String text) {
        return edit(chatId, messageId, expectedVersion, MessageEdit.text(text));
    }

    /**
     * Soft-deletes a message that is still at {@code expectedVersion}, and returns the new
     * version, marked {@code deleted}. Its attachments are removed.
     *
     * @throws ConflictException if it has changed since
     */
    public Message delete(String chatId, String messageId, long expectedVersion) {
        HttpRequest request = request(message(chatId, messageId))
                .header("If-Match", ETags.of(expectedVersion))
                .DELETE()
                .build();
        return message(transport.send(request, Retryability.IDEMPOTENT));
    }

    /**
     * One page of a message's versions, newest first.
     *
     * @param limit 1..100
     * @param cursor {@code null} for the newest page, else a previous page's cursor
     */
    public Page<MessageVersion> listVersions(String chatId, String messageId, int limit, String cursor) {
        return fetchVersions(chatId, messageId, limit, cursor);
    }

    /** Every version of a message, newest first; lazy like {@link #history(String)}. */
    public Iterable<MessageVersion> versionsOf(String chatId, String messageId) {
        requireId("chatId", chatId);
        requireId("messageId", messageId);
        return PageIterator.lazily(cursor -> fetchVersions(chatId, messageId, null, cursor));
    }

    /** Every version of a message, newest first, fetched {@code pageSize} (1..100) at a time. */
    public Iterable<MessageVersion> versionsOf(String chatId, String messageId, int pageSize) {
        requireId("chatId", chatId);
        requireId("messageId", messageId);
        return PageIterator.lazily(cursor -> fetchVersions(chatId, messageId, pageSize, cursor));
    }

    // ---------------------------------------------------------------- attachments

    /**
     * Announces an attachment and returns it {@code pending}, with {@link Attachment#upload()}
     * saying where to PUT the bytes. Prefer {@link #uploadAttachment}, which also does that.
     *
     * @param contentType {@code image/jpeg}, {@code image/png}, {@code image/gif} or {@code image/webp}
     * @param size the exact number of bytes that will be uploaded
     * @param filename optional, for the bot's own use
     */
    public Attachment createUpload(String chatId, String messageId, String contentType, long size,
                                   String filename) {
        ObjectNode body = JsonMapping.MAPPER.createObjectNode()
                .put("contentType", Objects.requireNonNull(contentType, "contentType"))
                .put("size", size);
        if (filename != null) {
            body.put("filename", filename);
        }
        HttpRequest request = jsonRequest(attachments(chatId, messageId), "POST", body).build();
        return read(transport.send(request, Retryability.NOT_IDEMPOTENT), Attachment.class);
    }

    /**
     * Announces an attachment and uploads its bytes to storage with the presigned link (never
     * sending the API key there). Returns the attachment as announced, {@code pending}: the
     * service checks the bytes within seconds; poll {@link #getAttachment} until it is
     * {@linkplain Attachment#isReady() ready} or {@linkplain Attachment#isRejected() rejected}.
     */
    public Attachment uploadAttachment(String chatId, String messageId, String contentType, byte[] bytes,
                                       String filename) {
        Objects.requireNonNull(bytes, "bytes");
        Attachment created = createUpload(chatId, messageId, contentType, bytes.length, filename);
        UploadLink link = created.upload();
        if (link == null || link.url() == null) {
            throw new ChatHistoryException(201, ChatHistoryException.INVALID_RESPONSE,
                    "the created attachment carries no upload link", null, null);
        }
        HttpRequest.Builder put = HttpRequest.newBuilder(link.url())
                .timeout(requestTimeout)
                .method(link.method() == null ? "PUT" : link.method(), HttpRequest.BodyPublishers.ofByteArray(bytes));
        // Content-Length is signed too, but java.net.http sets it from the body, and refuses it from us.
        link.headers().forEach((name, value) -> {
            if (!RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                put.header(name, value);
            }
        });
        // Storing the same bytes under the same key twice changes nothing, so the PUT is safe to repeat.
        transport.send(put.build(), Retryability.IDEMPOTENT);
        return created;
    }

    /** Every attachment of a message, oldest first. */
    public List<Attachment> listAttachments(String chatId, String messageId) {
        HttpResponse<byte[]> response = transport.send(request(attachments(chatId, messageId)).GET().build(),
                Retryability.IDEMPOTENT);
        // The same shape as a page ({"items": [...]}), only never with a cursor.
        Page<Attachment> all = read(response, pageOf(Attachment.class));
        return all.items();
    }

    /** One attachment, with fresh download links when it is ready. */
    public Attachment getAttachment(String chatId, String messageId, String attachmentId) {
        ApiPath path = attachments(chatId, messageId).id("attachmentId", attachmentId);
        return read(transport.send(request(path).GET().build(), Retryability.IDEMPOTENT), Attachment.class);
    }

    // ---------------------------------------------------------------- settings

    /** A user's settings; {@code {}} at version 0 if they were never written. */
    public Settings getSettings(String userId) {
        return settings(transport.send(request(settingsPath(userId)).GET().build(), Retryability.IDEMPOTENT));
    }

    /**
     * Replaces a user's settings if they are still at {@code expectedVersion} ({@code 0}: never
     * written), and returns them with their new version.
     *
     * @param value a JSON object, up to 16 KiB
     * @throws ConflictException if they have changed since
     */
    public Settings putSettings(String userId, JsonNode value, long expectedVersion) {
        return putSettings(userId, value, ETags.of(expectedVersion));
    }

    /** Replaces a user's settings whatever their version ({@code If-Match: *}). */
    public Settings overwriteSettings(String userId, JsonNode value) {
        return putSettings(userId, value, "*");
    }

    // ---------------------------------------------------------------- jobs

    /**
     * Starts a background job for a user (202) and returns it, usually {@code queued}; poll
     * {@link #getJob} until {@link Job#isFinished()}.
     *
     * @param type {@link Job#ARCHIVE}, {@link Job#EXPORT}, {@link Job#ERASE} or {@link Job#RECOUNT}
     */
    public Job submitJob(String userId, String type) {
        return submitJob(userId, type, null);
    }

    /** Starts a background job; {@code chatId} limits an archive job to one chat ({@code null}: all). */
    public Job submitJob(String userId, String type, String chatId) {
        ObjectNode body = JsonMapping.MAPPER.createObjectNode().put("type", Objects.requireNonNull(type, "type"));
        if (chatId != null) {
            body.put("chatId", chatId);
        }
        ApiPath path = ApiPath.of("v1/users").id("userId", userId).then("jobs");
        return read(transport.send(jsonRequest(path, "POST", body).build(), Retryability.NOT_IDEMPOTENT),
                Job.class);
    }

    /** A job's current state. */
    public Job getJob(String jobId) {
        ApiPath path = ApiPath.of("v1/jobs").id("jobId", jobId);
        return read(transport.send(request(path).GET().build(), Retryability.IDEMPOTENT), Job.class);
    }

    // ---------------------------------------------------------------- branches

    /**
     * Branches the chat at one of the messages its history shows (a regenerated answer, an
     * edited earlier turn): returns the new chat, whose history is this one's up to and including
     * that message, then its own. Append to it and page through it with its {@code branchId}.
     */
    public Branch createBranch(String chatId, String fromMessageId) {
        ObjectNode body = JsonMapping.MAPPER.createObjectNode()
                .put("fromMessageId", Objects.requireNonNull(fromMessageId, "fromMessageId"));
        // Not idempotent: a retry of a lost answer would make a second branch.
        return read(transport.send(jsonRequest(branchesPath(chatId), "POST", body).build(),
                Retryability.NOT_IDEMPOTENT), Branch.class);
    }

    /** A page of the chat's branches, oldest first. */
    public Page<Branch> listBranches(String chatId, int limit, String cursor) {
        ApiPath path = branchesPath(chatId).query("limit", Integer.toString(limit));
        if (cursor != null) {
            path = path.query("cursor", cursor);
        }
        return read(transport.send(request(path).GET().build(), Retryability.IDEMPOTENT), pageOf(Branch.class));
    }

    private static ApiPath branchesPath(String chatId) {
        return ApiPath.of("v1/chats").id("chatId", chatId).then("branches");
    }

    // ---------------------------------------------------------------- retention

    /** The retention policy in force for a chat. */
    public ChatRetention getRetention(String chatId) {
        return read(transport.send(request(retentionPath(chatId)).GET().build(), Retryability.IDEMPOTENT),
                ChatRetention.class);
    }

    /**
     * Sets a chat's own retention and legal hold; readers stop seeing what is past it at once,
     * and a background job then deletes it.
     *
     * @param days 1 to 36500, never more than the tenant's; {@code null} follows the tenant's
     */
    public ChatRetention putRetention(String chatId, Integer days, boolean legalHold) {
        ObjectNode body = JsonMapping.MAPPER.createObjectNode().put("legalHold", legalHold);
        if (days == null) {
            body.putNull("days");
        } else {
            body.put("days", days);
        }
        return read(transport.send(jsonRequest(retentionPath(chatId), "PUT", body).build(), Retryability.IDEMPOTENT),
                ChatRetention.class);
    }

    /** Whether a legal hold is on the user. */
    public boolean isOnLegalHold(String userId) {
        return read(transport.send(request(holdPath(userId)).GET().build(), Retryability.IDEMPOTENT),
                JsonNode.class).path("legalHold").asBoolean();
    }

    /** Puts a legal hold on a user (none of their messages expires; an erase is refused), or lifts it. */
    public boolean setLegalHold(String userId, boolean held) {
        ObjectNode body = JsonMapping.MAPPER.createObjectNode().put("legalHold", held);
        return read(transport.send(jsonRequest(holdPath(userId), "PUT", body).build(), Retryability.IDEMPOTENT),
                JsonNode.class).path("legalHold").asBoolean();
    }

    private static ApiPath retentionPath(String chatId) {
        return ApiPath.of("v1/chats").id("chatId", chatId).then("retention");
    }

    private static ApiPath holdPath(String userId) {
        return ApiPath.of("v1/users").id("userId", userId).then("legal-hold");
    }

    /** Names the service, never the key. */
    @Override
    public String toString() {
        return "ChatHistoryClient[" + base + "]";
    }

    // ---------------------------------------------------------------- plumbing

    /** {@code limit} {@code null}: the service's default page size. */
    private Page<Message> fetchMessages(String chatId, Integer limit, String cursor, boolean includeDeleted) {
        return fetchMessages(chatId, limit, cursor, includeDeleted, ReadConsistency.STRONG);
    }

    private Page<Message> fetchMessages(String chatId, Integer limit, String cursor, boolean includeDeleted,
                                        ReadConsistency consistency) {
        ApiPath path = messages(chatId)
                .query("limit", limit)
                .query("cursor", cursor)
                .query("includeDeleted", includeDeleted ? "true" : null)
                // The default is strong: leave it off the wire so older servers keep working.
                .query("consistency", consistency == ReadConsistency.STRONG ? null : consistency.wireValue());
        return read(transport.send(request(path).GET().build(), Retryability.IDEMPOTENT), pageOf(Message.class));
    }

    private Page<MessageVersion> fetchVersions(String chatId, String messageId, Integer limit, String cursor) {
        ApiPath path = message(chatId, messageId).then("versions").query("limit", limit).query("cursor", cursor);
        return read(transport.send(request(path).GET().build(), Retryability.IDEMPOTENT),
                pageOf(MessageVersion.class));
    }

    private Settings putSettings(String userId, JsonNode value, String ifMatch) {
        Objects.requireNonNull(value, "value");
        HttpRequest request = jsonRequest(settingsPath(userId), "PUT", value)
                .header("If-Match", ifMatch)
                .build();
        return settings(transport.send(request, Retryability.IDEMPOTENT));
    }

    private static ApiPath messages(String chatId) {
        return ApiPath.of("v1/chats").id("chatId", chatId).then("messages");
    }

    private static ApiPath message(String chatId, String messageId) {
        return messages(chatId).id("messageId", messageId);
    }

    private static ApiPath attachments(String chatId, String messageId) {
        return message(chatId, messageId).then("attachments");
    }

    private static ApiPath settingsPath(String userId) {
        return ApiPath.of("v1/users").id("userId", userId).then("settings");
    }

    private HttpRequest.Builder request(ApiPath path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json");
    }

    /** The service refuses bodies that are not declared {@code application/json} (415). */
    private HttpRequest.Builder jsonRequest(ApiPath path, String method, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JsonMapping.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
        return request(path)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    /**
     * The message in the body, checked against the {@code ETag}: both say the version, and a
     * caller will send it back in {@code If-Match}, so a disagreement must not pass silently.
     */
    private Message message(HttpResponse<byte[]> response) {
        Message message = read(response, Message.class);
        Optional<Long> etag = response.headers().firstValue("ETag").flatMap(ETags::parse);
        if (etag.isPresent() && etag.get() != message.version()) {
            throw errors.invalidResponse(response, "ETag " + etag.get() + " disagrees with version "
                    + message.version(), null);
        }
        return message;
    }

    /** Settings are the whole body; their version is only in the {@code ETag}. */
    private Settings settings(HttpResponse<byte[]> response) {
        JsonNode value = read(response, JsonNode.class);
        long version = response.headers().firstValue("ETag").flatMap(ETags::parse)
                .orElseThrow(() -> errors.invalidResponse(response, "settings without a version ETag", null));
        return new Settings(value, version);
    }

    private <T> T read(HttpResponse<byte[]> response, Class<T> type) {
        return read(response, JsonMapping.MAPPER.getTypeFactory().constructType(type));
    }

    private <T> T read(HttpResponse<byte[]> response, JavaType type) {
        try {
            T value = JsonMapping.MAPPER.readValue(response.body(), type);
            if (value == null) {
                throw errors.invalidResponse(response, "empty response body", null);
            }
            return value;
        } catch (IOException e) {
            throw errors.invalidResponse(response, "unreadable response body: " + e.getClass().getSimpleName(), e);
        }
    }

    private static JavaType pageOf(Class<?> itemType) {
        return JsonMapping.MAPPER.getTypeFactory().constructParametricType(Page.class, itemType);
    }

    private static void requireId(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    /** Configures a {@link ChatHistoryClient}; {@link #baseUri} and {@link #apiKey} are required. */
    public static final class Builder {

        private URI baseUri;
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private HttpClient httpClient;
        private Sleeper sleeper = Sleeper.THREAD_SLEEP;
        private RandomGenerator random = new Random();
        private Supplier<String> idempotencyKeys = () -> UUID.randomUUID().toString();

        private Builder() {
        }

        /** Where the API is, e.g. {@code https://abc123.execute-api.eu-west-1.amazonaws.com} or {@code http://localhost:3000}. */
        public Builder baseUri(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            return this;
        }

        public Builder baseUri(String baseUri) {
            return baseUri(URI.create(Objects.requireNonNull(baseUri, "baseUri")));
        }

        /** The bot's API key ({@code chk_...}), sent as {@code Authorization: Bearer <key>}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** How long opening a connection may take (default 5 s); ignored with {@link #httpClient}. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long one attempt may wait for its response (default 30 s); a timeout counts as no response. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** Attempts in all, the first included, with the default delays; 1 turns retries off. */
        public Builder maxAttempts(int attempts) {
            this.retryPolicy = retryPolicy.withMaxAttempts(attempts);
            return this;
        }

        /** Your own {@link HttpClient} (proxy, executor, TLS settings); its connect timeout then applies. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** How to wait between retries; for tests. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Where backoff jitter comes from; for tests. Must be thread-safe if the client is shared. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Where automatic idempotency keys come from (default: random UUIDs); for tests. */
        public Builder idempotencyKeys(Supplier<String> keys) {
            this.idempotencyKeys = Objects.requireNonNull(keys, "idempotencyKeys");
            return this;
        }

        public ChatHistoryClient build() {
            if (baseUri == null) {
                throw new IllegalStateException("baseUri is required");
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalStateException("apiKey is required");
            }
            if (!baseUri.isAbsolute() || baseUri.getRawQuery() != null) {
                throw new IllegalStateException("baseUri must be absolute, without a query: " + baseUri);
            }
            return new ChatHistoryClient(this);
        }

        private static Duration positive(Duration duration, String name) {
            if (duration == null || duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }
    }
}
