package dev.chathistory.messageapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.messageapi.http.ApiException;
import dev.chathistory.messageapi.http.ErrorCode;
import dev.chathistory.messageapi.http.HttpRequest;
import dev.chathistory.messageapi.http.HttpResponse;
import dev.chathistory.messageapi.http.RequestReader;
import dev.chathistory.messageapi.http.Router;
import dev.chathistory.shared.attachments.AttachmentService;
import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.branches.Branches;
import dev.chathistory.shared.cache.MeteredCache;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobService;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.lambda.Priming;
import dev.chathistory.shared.limits.RequestRateLimiter;
import dev.chathistory.shared.limits.TenantLimits;
import dev.chathistory.shared.metrics.ServiceMetrics;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.shared.service.ActivityRecorder;
import dev.chathistory.shared.service.AppendResult;
import dev.chathistory.shared.service.ChatDirectory;
import dev.chathistory.shared.service.MessageDeletion;
import dev.chathistory.shared.service.MessageLookup;
import dev.chathistory.shared.service.MessageService;
import dev.chathistory.shared.service.SettingsService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.lambda.powertools.logging.argument.StructuredArguments;

/**
 * The message API: routes, HTTP-level checks and mapping of results to responses (failures:
 * {@link ErrorResponses}). Business rules live in the services; this class only translates.
 */
public final class MessageApi {

    private static final Logger LOG = LoggerFactory.getLogger(MessageApi.class);
    private static final int SETTINGS_CACHE_SIZE = 10_000;

    private final MessageService messages;
    private final SettingsService settings;
    private final JobService jobs;
    private final AttachmentService attachments;
    private final MessageDeletion deletions;
    private final Retention retention;
    private final TenantResolver tenants;
    private final RequestRateLimiter rateLimiter;
    private final RequestReader reader;
    private final Router router = new Router();

    MessageApi(MessageService messages, SettingsService settings, JobService jobs, AttachmentService attachments,
               Retention retention, TenantResolver tenants, RequestRateLimiter rateLimiter, RequestReader reader) {
        this.messages = messages;
        this.retention = retention;
        this.deletions = new MessageDeletion(messages, attachments);
        this.settings = settings;
        this.jobs = jobs;
        this.attachments = attachments;
        this.tenants = tenants;
        this.rateLimiter = rateLimiter;
        this.reader = reader;
        router.add("POST", "/v1/chats/{chatId}/messages", this::append)
                .add("GET", "/v1/chats/{chatId}/messages", this::list)
                .add("GET", "/v1/chats/{chatId}/messages/{messageId}", this::get)
                .add("PATCH", "/v1/chats/{chatId}/messages/{messageId}", this::edit)
                .add("DELETE", "/v1/chats/{chatId}/messages/{messageId}", this::delete)
                .add("GET", "/v1/chats/{chatId}/messages/{messageId}/versions", this::versions)
                .add("POST", "/v1/chats/{chatId}/messages/{messageId}/attachments", this::createUpload)
                .add("GET", "/v1/chats/{chatId}/messages/{messageId}/attachments", this::listAttachments)
                .add("GET", "/v1/chats/{chatId}/messages/{messageId}/attachments/{attachmentId}", this::getAttachment)
                .add("GET", "/v1/users/{userId}/settings", this::getSettings)
                .add("PUT", "/v1/users/{userId}/settings", this::putSettings)
                .add("POST", "/v1/users/{userId}/jobs", this::submitJob)
                .add("GET", "/v1/jobs/{jobId}", this::getJob)
                .add("GET", "/v1/chats/{chatId}/retention", this::getRetention)
                .add("PUT", "/v1/chats/{chatId}/retention", this::putRetention)
                .add("POST", "/v1/chats/{chatId}/branches", this::createBranch)
                .add("GET", "/v1/chats/{chatId}/branches", this::listBranches)
                .add("GET", "/v1/users/{userId}/legal-hold", this::getHold)
                .add("PUT", "/v1/users/{userId}/legal-hold", this::putHold);
    }

    /**
     * Wires the API on DynamoDB alone: no archive reads, no jobs. For integration tests of the
     * message and settings routes.
     */
    public static MessageApi create(ServiceConfig config, DynamoDbClient dynamoDb, ServiceMetrics metrics,
                                    Clock clock) {
        JobsConfig noJobs = JobsConfig.of(null, null);
        return create(config, noJobs, Backends.aws(config, noJobs, dynamoDb, null, null, null), metrics, clock);
    }

    /** Wires the API on its backends with the default attachment limits. */
    public static MessageApi create(ServiceConfig config, JobsConfig jobsConfig, Backends backends,
                                    ServiceMetrics metrics, Clock clock) {
        return create(config, jobsConfig, AttachmentsConfig.defaults(), backends, metrics, clock);
    }

    /** Wires the API on its backends without per-tenant limits: for tests and tools that embed it. */
    public static MessageApi create(ServiceConfig config, JobsConfig jobsConfig, AttachmentsConfig attachmentsConfig,
                                    Backends backends, ServiceMetrics metrics, Clock clock) {
        return create(config, jobsConfig, attachmentsConfig, backends, TenantLimits.none(), metrics, clock);
    }

    /** Wires the API on its backends: AWS in production and the integration tests, fakes in unit tests. */
    public static MessageApi create(ServiceConfig config, JobsConfig jobsConfig, AttachmentsConfig attachmentsConfig,
                                    Backends backends, TenantLimits limits, ServiceMetrics metrics, Clock clock) {
        ActivityRecorder activity = new ActivityRecorder(backends.users(), config.activityWriteInterval(),
                config.activeUserShards());
        ChatDirectory chats = new ChatDirectory(backends.users(), jobsConfig.chatDirectoryCacheTtl());
        Retention retention = new Retention(backends.retention(), jobsConfig.chatDirectoryCacheTtl(), metrics,
                backends.queue(), MessageIdGenerator.ulid(), clock);
        MessageService messageService = new MessageService(backends.messages(), activity, chats, backends.archive(),
                retention, new Branches(backends.branches(), metrics), MessageIdGenerator.ulid(), clock,
                config.limits(), config.idempotencyTtl(), metrics,
                ConflictRetry.defaults());
        SettingsService settingsService = new SettingsService(backends.users(),
                new MeteredCache<UserRef, UserSettings>(SettingsService.CACHE_NAME, config.settingsCacheTtl(),
                        SETTINGS_CACHE_SIZE, metrics),
                config.limits(), metrics, clock);
        JobService jobService = new JobService(backends.jobs(), backends.queue(), backends.objects(),
                MessageIdGenerator.ulid(), clock, jobsConfig.jobRecordTtl(), jobsConfig.exportUrlTtl(), limits.jobs(),
                retention::isHeld);
        AttachmentService attachmentService = backends.attachmentStorage() == null ? null
                : new AttachmentService(backends.attachments(), backends.attachmentStorage(),
                        new MessageLookup(backends.messages(), backends.archive(), ConflictRetry.defaults(),
                                retention),
                        MessageIdGenerator.ulid(), clock, attachmentsConfig);
        return new MessageApi(messageService, settingsService, jobService, attachmentService, retention,
                TenantResolver.fromAuthorizer(), limits.requests(), new RequestReader(config.limits().maxBodyBytes()));
    }

    /** The routes this API serves, as {@code "METHOD /template"}; the template must declare the same. */
    public List<String> routes() {
        return router.routes();
    }

    /** Never throws: every failure becomes an error response. */
    public HttpResponse handle(HttpRequest request) {
        long started = System.nanoTime();
        String route = "unmatched";
        HttpResponse response;
        try {
            // Authentication before anything else: without a key, not even which routes
            // exist is revealed. Then the tenant's request rate, before any work, so a tenant
            // over it costs nothing more.
            String tenant = tenants.tenantOf(request);
            // The SnapStart priming request (MessageApiHandler.beforeCheckpoint) takes no budget:
            // taking one writes an item. No key exists for the priming tenant, so no bot is exempt.
            if (!Priming.TENANT.equals(tenant)) {
                rateLimiter.admit(tenant, tenants.limitsOf(request));
            }
            reader.checkBodySize(request);
            Router.Match match = router.match(request.method(), request.rawPath());
            route = match.template();
            response = match.handler().handle(request, match.path());
        } catch (RuntimeException e) {
            response = ErrorResponses.of(e, request);
        }
        // Route templates, never raw paths or bodies: ids are identifying, text is private.
        LOG.info("request handled", StructuredArguments.entries(Map.of(
                // A client may send any bytes as a method; only plain ones go into the log.
                "method", request.method().matches("[A-Z]{1,16}") ? request.method() : "(invalid)",
                "route", route,
                "status", response.status(),
                "durationMs", (System.nanoTime() - started) / 1_000_000)));
        return response;
    }

    private HttpResponse append(HttpRequest request, Map<String, String> path) {
        ChatRef chat = chat(request, path);
        JsonNode body = reader.jsonBody(request);
        AppendResult result = messages.append(chat, MessageBodies.newMessage(body),
                request.header("idempotency-key").orElse(null));
        Message message = result.message();
        HttpResponse.Builder response = HttpResponse.status(201)
                .etag(message.version())
                .header("Location", "/v1/chats/" + chat.chatId() + "/messages/" + message.messageId());
        if (result.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.json(Json.write(Representations.message(message)));
    }

    private HttpResponse list(HttpRequest request, Map<String, String> path) {
        ChatRef chat = chat(request, path);
        var page = messages.list(chat,
                reader.intParameter(request, "limit", MessageService.DEFAULT_PAGE_SIZE),
                request.queryParameter("cursor").orElse(null),
                reader.booleanParameter(request, "includeDeleted"),
                reader.consistencyParameter(request));
        return HttpResponse.status(200).json(Json.write(Representations.page(page, Representations::message)));
    }

    private HttpResponse get(HttpRequest request, Map<String, String> path) {
        Message message = messages.get(chat(request, path), messageId(path),
                reader.booleanParameter(request, "includeDeleted"));
        return ok(message);
    }

    private HttpResponse edit(HttpRequest request, Map<String, String> path) {
        ChatRef chat = chat(request, path);
        String messageId = messageId(path);
        long expected = reader.ifMatch(request, false).getAsLong();
        JsonNode body = reader.jsonBody(request);
        return ok(messages.edit(chat, messageId, expected, MessageBodies.edit(body)));
    }

    private HttpResponse delete(HttpRequest request, Map<String, String> path) {
        ChatRef chat = chat(request, path);
        String messageId = messageId(path);
        long expected = reader.ifMatch(request, false).getAsLong();
        return ok(deletions.delete(chat, messageId, expected));
    }

    private HttpResponse createUpload(HttpRequest request, Map<String, String> path) {
        ChatRef chat = chat(request, path);
        String messageId = messageId(path);
        AttachmentService.Upload upload = attachments().createUpload(chat, messageId,
                MessageBodies.upload(reader.jsonBody(request)));
        return HttpResponse.status(201)
                .header("Location", "/v1/chats/" + chat.chatId() + "/messages/" + messageId + "/attachments/"
                        + upload.attachment().attachmentId())
                .json(Json.write(Representations.upload(upload)));
    }

    private HttpResponse listAttachments(HttpRequest request, Map<String, String> path) {
        ObjectNode body = Json.object();
        var items = body.putArray("items");
        attachments().list(chat(request, path), messageId(path))
                .forEach(view -> items.add(Representations.attachment(view)));
        return HttpResponse.status(200).json(Json.write(body));
    }

    private HttpResponse getAttachment(HttpRequest request, Map<String, String> path) {
        AttachmentService.View view = attachments().get(chat(request, path), messageId(path),
                path.get("attachmentId"));
        return HttpResponse.status(200).json(Json.write(Representations.attachment(view)));
    }

    private AttachmentService attachments() {
        if (attachments == null) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "attachments are not configured");
        }
        return attachments;
    }

    private HttpResponse versions(HttpRequest request, Map<String, String> path) {
        var page = messages.versions(chat(request, path), messageId(path),
                reader.intParameter(request, "limit", MessageService.DEFAULT_PAGE_SIZE),
                request.queryParameter("cursor").orElse(null));
        return HttpResponse.status(200).json(Json.write(Representations.page(page, Representations::version)));
    }

    private HttpResponse getSettings(HttpRequest request, Map<String, String> path) {
        UserSettings current = settings.get(user(request, path));
        return HttpResponse.status(200).etag(current.version()).json(Json.write(current.settings()));
    }

    private HttpResponse putSettings(HttpRequest request, Map<String, String> path) {
        UserRef user = user(request, path);
        OptionalLong expected = reader.ifMatch(request, true);
        ObjectNode value = MessageBodies.object(reader.jsonBody(request), "settings");
        UserSettings saved = settings.put(user, value, expected);
        return HttpResponse.status(200).etag(saved.version()).json(Json.write(saved.settings()));
    }

    private HttpResponse submitJob(HttpRequest request, Map<String, String> path) {
        UserRef user = user(request, path);
        MessageBodies.JobSubmission submission = MessageBodies.job(reader.jsonBody(request));
        Job job = jobs.submit(user, submission.type(), submission.chatId(), tenants.limitsOf(request));
        return HttpResponse.status(202)
                .header("Location", "/v1/jobs/" + job.jobId())
                .json(Json.write(Representations.job(new JobService.JobView(job, Optional.empty(), Optional.empty()))));
    }

    private HttpResponse getJob(HttpRequest request, Map<String, String> path) {
        String tenant = tenants.tenantOf(request);
        return HttpResponse.status(200).json(Json.write(Representations.job(jobs.get(tenant, path.get("jobId")))));
    }

    private HttpResponse createBranch(HttpRequest request, Map<String, String> path) {
        ChatRef parent = chat(request, path);
        BranchPoint branch = messages.branch(parent, MessageBodies.branch(reader.jsonBody(request)));
        return HttpResponse.status(201)
                .header("Location", "/v1/chats/" + branch.branchId() + "/messages")
                .json(Json.write(Representations.branch(branch)));
    }

    private HttpResponse listBranches(HttpRequest request, Map<String, String> path) {
        var page = messages.branches(chat(request, path),
                reader.intParameter(request, "limit", MessageService.DEFAULT_PAGE_SIZE),
                request.queryParameter("cursor").orElse(null));
        return HttpResponse.status(200).json(Json.write(Representations.page(page, Representations::branch)));
    }

    private HttpResponse getRetention(HttpRequest request, Map<String, String> path) {
        return retentionView(retention.chatPolicy(chat(request, path)));
    }

    private HttpResponse putRetention(HttpRequest request, Map<String, String> path) {
        ChatRef chat = chat(request, path);
        return retentionView(retention.setChatPolicy(chat, MessageBodies.retention(reader.jsonBody(request))));
    }

    private static HttpResponse retentionView(Retention.ChatView view) {
        return HttpResponse.status(200).json(Json.write(Representations.retention(view)));
    }

    private HttpResponse getHold(HttpRequest request, Map<String, String> path) {
        return holdView(retention.isHeld(user(request, path)));
    }

    private HttpResponse putHold(HttpRequest request, Map<String, String> path) {
        UserRef user = user(request, path);
        return holdView(retention.setHold(user, MessageBodies.hold(reader.jsonBody(request))));
    }

    private static HttpResponse holdView(boolean held) {
        return HttpResponse.status(200).json(Json.write(Json.object().put("legalHold", held)));
    }

    private static HttpResponse ok(Message message) {
        return HttpResponse.status(200).etag(message.version()).json(Json.write(Representations.message(message)));
    }

    private ChatRef chat(HttpRequest request, Map<String, String> path) {
        return new ChatRef(tenants.tenantOf(request), Identifiers.require("chatId", path.get("chatId")));
    }

    private UserRef user(HttpRequest request, Map<String, String> path) {
        return new UserRef(tenants.tenantOf(request), Identifiers.require("userId", path.get("userId")));
    }

    private static String messageId(Map<String, String> path) {
        return Identifiers.require("messageId", path.get("messageId"));
    }
}
