package dev.chathistory.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.local.aws.AwsGateway;
import dev.chathistory.local.aws.RoleSession;
import dev.chathistory.local.dashboard.EmfTap;
import dev.chathistory.local.dashboard.LocalDashboard;
import dev.chathistory.local.dashboard.MetricStore;
import dev.chathistory.local.functions.ExecutionCredentials;
import dev.chathistory.local.functions.FunctionFailedException;
import dev.chathistory.local.functions.LocalFunction;
import dev.chathistory.local.iam.ExecutionRole;
import dev.chathistory.local.iam.ExecutionRoles;
import dev.chathistory.local.iam.IamPolicyEvaluator;
import dev.chathistory.local.resources.LocalResources;
import dev.chathistory.local.sources.HttpApiGateway;
import dev.chathistory.local.sources.HttpRoutes;
import dev.chathistory.local.sources.LocalAuthorizer;
import dev.chathistory.local.sources.S3EventSource;
import dev.chathistory.local.sources.ScheduleEventSource;
import dev.chathistory.local.sources.SqsEventSource;
import dev.chathistory.local.template.Intrinsics;
import dev.chathistory.local.template.SamTemplate.FunctionDefinition;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.local.template.UnsupportedTemplateException;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.repository.dynamodb.DynamoDbApiKeyRepository;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * template.yaml deployed into an emulator and this JVM: its tables, queues and buckets in the
 * emulator; its functions in-process, each with its own environment; and its event sources
 * as Lambda runs them: the HTTP API on a loopback port, SQS mappings with partial batch
 * failures, S3 notifications, and schedules (which also fire on demand).
 */
public final class LocalDeployment implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far back the local dashboard keeps figures; it shows the last ten minutes. */
    private static final Duration DASHBOARD_RETENTION = Duration.ofMinutes(15);
    private static final long QUEUE_SAMPLE_SECONDS = 5;

    /** What to deploy, and where, and how close to AWS the local stack keeps it. */
    public record Options(SamTemplate template, String stackName, String region, String host, int port,
                          Map<String, String> parameterOverrides, boolean schedulesEnabled, int maxInstances,
                          boolean enforceIam, boolean startFunctions, boolean deliverTwice) {

        /**
         * The repository's template on {@code port} (0: any free port), schedules running, IAM
         * enforced, functions started, each event delivered once.
         */
        public static Options defaults(SamTemplate template, int port) {
            return new Options(template, "local", "us-east-1", "127.0.0.1", port, Map.of(), true, 4, true, true, false);
        }

        public Options withStackName(String name) {
            return new Options(template, name, region, host, port, parameterOverrides, schedulesEnabled, maxInstances,
                    enforceIam, startFunctions, deliverTwice);
        }

        public Options withSchedulesEnabled(boolean enabled) {
            return new Options(template, stackName, region, host, port, parameterOverrides, enabled, maxInstances,
                    enforceIam, startFunctions, deliverTwice);
        }

        public Options withParameterOverrides(Map<String, String> overrides) {
            return new Options(template, stackName, region, host, port, Map.copyOf(overrides), schedulesEnabled,
                    maxInstances, enforceIam, startFunctions, deliverTwice);
        }

        /** Off: every call is still checked and logged, and let through (debugging a denial). */
        public Options withIamEnforced(boolean enforced) {
            return new Options(template, stackName, region, host, port, parameterOverrides, schedulesEnabled,
                    maxInstances, enforced, startFunctions, deliverTwice);
        }

        /**
         * On: the SQS and S3 event sources hand every record to its function twice, as
         * at-least-once delivery may; what the functions do must come out the same.
         */
        public Options withEveryDeliveryTwice(boolean twice) {
            return new Options(template, stackName, region, host, port, parameterOverrides, schedulesEnabled,
                    maxInstances, enforceIam, startFunctions, twice);
        }

        /**
         * Without functions: the resources, the roles and the AWS gateway only, for tests that
         * run a handler themselves with {@link #functionEnvironment} (acting as that function).
         */
        public Options withoutFunctions() {
            return new Options(template, stackName, region, host, port, parameterOverrides, false, maxInstances,
                    enforceIam, false, deliverTwice);
        }
    }

    private final URI emulatorEndpoint;
    private final LocalResources resources;
    private final Map<String, LocalFunction> functions;
    private final Map<String, Long> coldStarts;
    private final HttpRoutes routes;
    private final List<AutoCloseable> sources;
    private final Map<String, ScheduleEventSource> schedules;
    private final ScheduledExecutorService timer;
    private final List<AutoCloseable> clients;
    private final DynamoDbClient dynamoDb;
    private final AwsGateway awsGateway;
    private final Map<String, ExecutionRole> roles;
    private final Options options;
    private final Intrinsics intrinsics;
    private final LocalDashboard dashboard;
    private HttpApiGateway gateway;

    private LocalDeployment(Builder b) {
        this.emulatorEndpoint = b.emulatorEndpoint;
        this.resources = b.resources;
        this.functions = b.functions;
        this.coldStarts = b.coldStarts;
        this.routes = b.routes;
        this.sources = b.sources;
        this.schedules = b.schedules;
        this.timer = b.timer;
        this.clients = b.clients;
        this.dynamoDb = b.dynamoDb;
        this.awsGateway = b.awsGateway;
        this.roles = Map.copyOf(b.roles);
        this.options = b.options;
        this.intrinsics = b.intrinsics;
        this.dashboard = b.dashboard;
    }

    public static LocalDeployment start(Options options, URI emulatorEndpoint) throws IOException {
        Builder b = new Builder();
        b.emulatorEndpoint = emulatorEndpoint;
        b.options = options;
        ClientSettings settings = ClientSettings.forEmulator(options.region(), emulatorEndpoint);
        DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(settings, List.of());
        SqsClient sqs = AwsClientFactory.sqs(settings);
        S3Client s3 = AwsClientFactory.s3(settings);
        b.clients.addAll(List.of(dynamoDb, sqs, s3));
        b.dynamoDb = dynamoDb;
        try {
            Map<String, String> parameters = new HashMap<>(options.template().parameterDefaults());
            parameters.putAll(options.parameterOverrides());
            String accountId = EmulatorAccount.of(emulatorEndpoint, options.region());
            Intrinsics intrinsics = new Intrinsics(parameters, options.region(), options.stackName(), accountId);
            b.intrinsics = intrinsics;
            b.resources = LocalResources.create(options.template(), intrinsics, options.stackName(),
                    options.region(), dynamoDb, sqs, s3);

            Path root = ProjectRoot.find();
            b.awsGateway = AwsGateway.start(emulatorEndpoint, options.region(), accountId,
                    IamPolicyEvaluator.shared(root), dynamoDb, options.enforceIam());
            b.roles = new LinkedHashMap<>();
            ExecutionRoles.declaredIn(options.template(), root, options.region()).forEach((logicalId, declared) ->
                    b.roles.put(logicalId, declared.resolve(intrinsics, options.stackName(), accountId)));

            b.functions = new LinkedHashMap<>();
            b.coldStarts = new LinkedHashMap<>();
            b.routes = new HttpRoutes();
            b.schedules = new LinkedHashMap<>();
            if (!options.startFunctions()) {
                return new LocalDeployment(b);
            }
            b.dashboard = new LocalDashboard(new MetricStore(Clock.systemUTC(), DASHBOARD_RETENTION));
            Runnable detachFromOutput = EmfTap.attach(b.dashboard.store());
            b.sources.add(detachFromOutput::run);
            startFunctions(b);
            b.functions.values().forEach(f -> f.onInvocation(b.dashboard::invocation));
            wireEventSources(b, sqs, s3);
            sampleQueueDepths(b, sqs);

            LocalDeployment deployment = new LocalDeployment(b);
            b.gateway = HttpApiGateway.start(options.host(), options.port(), b.routes, deployment::admin,
                    authorizer(options.template(), intrinsics, b.functions), b.dashboard::request);
            deployment.gateway = b.gateway;
            return deployment;
        } catch (IOException | RuntimeException e) {
            b.closeAll();
            throw e;
        }
    }

    /** Every few seconds, each queue's visible messages for the dashboard, read straight from the emulator. */
    private static void sampleQueueDepths(Builder b, SqsClient sqs) {
        LocalDashboard dashboard = b.dashboard;
        Map<String, LocalResources.Queue> queues = b.resources.queues();
        b.timer.scheduleAtFixedRate(() -> queues.forEach((id, queue) -> {
            try {
                String visible = sqs.getQueueAttributes(r -> r.queueUrl(queue.url())
                                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
                dashboard.queueDepth(id, visible == null ? 0 : Long.parseLong(visible));
            } catch (RuntimeException e) {
                // An emulator hiccup costs one sample; the next comes in a few seconds.
            }
        }), 0, QUEUE_SAMPLE_SECONDS, TimeUnit.SECONDS);
    }

    /** Every function of the template, each with its role's credentials per environment, warmed up. */
    private static void startFunctions(Builder b) {
        for (FunctionDefinition definition : b.options.template().functions()) {
            ExecutionRole role = b.role(definition.logicalId());
            LocalFunction function = new LocalFunction(definition,
                    environment(definition, b.intrinsics, b.options, b.awsGateway.endpoint()), b.options.maxInstances(),
                    () -> {
                        RoleSession session = b.awsGateway.openSession(role);
                        return new ExecutionCredentials.Issued(session.environment(),
                                () -> b.awsGateway.endSession(session));
                    }, reservedConcurrency(definition, b.intrinsics));
            b.coldStarts.put(definition.logicalId(), function.warmUp());
            b.functions.put(definition.logicalId(), function);
        }
    }

    /** Each function's events as Lambda's event sources and API Gateway run them. */
    private static void wireEventSources(Builder b, SqsClient sqs, S3Client s3) {
        b.timer = Executors.newScheduledThreadPool(2);
        Map<String, List<QueueConfiguration>> notifications = new LinkedHashMap<>();
        List<S3EventSource> s3Sources = new ArrayList<>();
        for (LocalFunction function : b.functions.values()) {
            FunctionDefinition definition = function.definition();
            for (Map.Entry<String, JsonNode> event : definition.events().entrySet()) {
                String type = event.getValue().path("Type").asText();
                JsonNode properties = b.intrinsics.resolve(event.getValue().path("Properties"));
                if (!properties.path("Enabled").asBoolean(true) && !type.startsWith("Schedule")) {
                    continue;
                }
                switch (type) {
                    case "HttpApi" -> {
                        if (properties.has("Path")) {
                            b.routes.add(properties.path("Method").asText("ANY"),
                                    properties.path("Path").asText(), function, Duration.ofMillis(
                                            properties.path("TimeoutInMillis").asLong(30_000)));
                        } else {
                            b.routes.setDefault(function);
                        }
                    }
                    // Lambda's poller reads and deletes with the function's own role.
                    case "SQS" -> {
                        LocalResources.Queue queue = b.resources.queueByArn(properties.path("Queue").asText());
                        b.sources.add(SqsEventSource.start(b.clientsOf(definition.logicalId()), queue,
                                b.options.region(), function, SqsEventSource.Settings.from(properties,
                                        queue.name().endsWith(".fifo"), b.options.deliverTwice())));
                    }
                    case "S3" -> {
                        String bucket = properties.path("Bucket").asText();
                        JsonNode invokeConfig = b.intrinsics.resolve(definition.properties().path("EventInvokeConfig"));
                        int retries = invokeConfig.path("MaximumRetryAttempts").asInt(2);
                        s3Sources.add(S3EventSource.prepare(sqs,
                                b.options.stackName() + "-" + definition.logicalId() + "-" + event.getKey(),
                                function, retries, b.onFailure(definition, invokeConfig),
                                S3EventSource.Subscription.from(properties, bucket),
                                notifications.computeIfAbsent(bucket, k -> new ArrayList<>()),
                                b.options.deliverTwice()));
                    }
                    case "Schedule", "ScheduleV2" -> b.schedules.put(
                            definition.logicalId() + "/" + event.getKey(),
                            ScheduleEventSource.start(event.getKey(), type, properties, function, b.timer,
                                    b.options.schedulesEnabled()));
                    default -> throw new UnsupportedTemplateException(definition.logicalId() + " event "
                            + event.getKey() + ": the local stack has no " + type + " event source");
                }
            }
        }
        notifications.forEach((bucket, configurations) -> S3EventSource.configureBucket(s3, bucket, configurations));
        s3Sources.forEach(S3EventSource::start);
        b.sources.addAll(s3Sources);
        b.sources.addAll(b.schedules.values());
    }

    /** The live dashboard of this stack's figures. */
    public URI dashboardUrl() {
        return baseUrl().resolve("/_local/dashboard");
    }

    /** The HTTP API's base URL. */
    public URI baseUrl() {
        return URI.create("http://localhost:" + port());
    }

    public int port() {
        if (gateway == null) {
            throw new IllegalStateException("this deployment runs no functions, so it serves no API");
        }
        return gateway.port();
    }

    /** The AWS edge every function's calls pass: IAM checks, fault injection. */
    public AwsGateway awsGateway() {
        return awsGateway;
    }

    /** A function's execution role in this stack. */
    public ExecutionRole role(String functionLogicalId) {
        ExecutionRole role = roles.get(functionLogicalId);
        if (role == null) {
            throw new IllegalArgumentException("no function " + functionLogicalId + "; there are " + roles.keySet());
        }
        return role;
    }

    /**
     * What a new execution environment of the function would see: its template environment
     * resolved against this stack, the AWS gateway as endpoint, and fresh credentials of its
     * role. Tests build a handler inside it to act exactly as that function.
     */
    public Map<String, String> functionEnvironment(String functionLogicalId) {
        FunctionDefinition definition = options.template().functions().stream()
                .filter(f -> f.logicalId().equals(functionLogicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + functionLogicalId));
        Map<String, String> env = new LinkedHashMap<>(environment(definition, intrinsics, options,
                awsGateway.endpoint()));
        env.putAll(awsGateway.openSession(role(functionLogicalId)).environment());
        return env;
    }

    public LocalResources resources() {
        return resources;
    }

    public Map<String, Long> coldStartMillis() {
        return Map.copyOf(coldStarts);
    }

    public LocalFunction function(String logicalId) {
        LocalFunction function = functions.get(logicalId);
        if (function == null) {
            throw new IllegalArgumentException("no function " + logicalId);
        }
        return function;
    }

    /**
     * Issues an API key for {@code tenantId}, creating the tenant first if needed: what the
     * admin command does, for the local runner's demo tenant and for tests.
     */
    public ApiKeys.Issued issueKey(String tenantId, String keyName) {
        DynamoDbApiKeyRepository repository = new DynamoDbApiKeyRepository(dynamoDb,
                resources.tables().get("UsersTable"));
        ApiKeys keys = new ApiKeys(repository, MessageIdGenerator.ulid(), Clock.systemUTC());
        if (repository.findTenant(tenantId).isEmpty()) {
            keys.createTenant(tenantId, tenantId);
        }
        return keys.issue(tenantId, keyName);
    }

    /** Fires a schedule now; the key is {@code FunctionLogicalId/EventName}. */
    public String fireSchedule(String key) {
        ScheduleEventSource schedule = schedules.get(key);
        if (schedule == null) {
            throw new IllegalArgumentException("no schedule " + key + "; there are " + schedules.keySet());
        }
        return schedule.fire();
    }

    public List<String> schedules() {
        return List.copyOf(schedules.keySet());
    }

    @Override
    public void close() {
        Builder b = new Builder();
        b.gateway = gateway;
        b.sources = sources;
        b.timer = timer;
        b.clients = clients;
        b.awsGateway = awsGateway;
        b.closeAll();
    }

    /** {@code /_local/...}: a description of the deployment, and on-demand invocations. */
    private HttpApiGateway.Response admin(String method, List<String> path, byte[] body) {
        try {
            if (path.isEmpty() && method.equals("GET")) {
                return new HttpApiGateway.Response(200, describe().toString());
            }
            if (path.size() == 3 && path.get(0).equals("functions") && path.get(2).equals("invoke")
                    && method.equals("POST")) {
                String event = body.length == 0 ? "{}" : new String(body, StandardCharsets.UTF_8);
                return new HttpApiGateway.Response(200, function(path.get(1)).invoke(event));
            }
            if (path.size() == 3 && path.get(0).equals("schedules") && method.equals("POST")) {
                return new HttpApiGateway.Response(200, fireSchedule(path.get(1) + "/" + path.get(2)));
            }
            if (path.equals(List.of("dashboard")) && method.equals("GET")) {
                return new HttpApiGateway.Response(200, LocalDashboard.page(), "text/html; charset=utf-8");
            }
            if (path.equals(List.of("dashboard", "data")) && method.equals("GET")) {
                return new HttpApiGateway.Response(200, dashboard.data().toString());
            }
            return new HttpApiGateway.Response(404, error("NotFound", "try GET /_local, GET /_local/dashboard, "
                    + "POST /_local/functions/{id}/invoke, POST /_local/schedules/{function}/{event}"));
        } catch (IllegalArgumentException e) {
            return new HttpApiGateway.Response(404, error("NotFound", e.getMessage()));
        } catch (FunctionFailedException e) {
            return new HttpApiGateway.Response(502, error(e.errorType(), e.getMessage()));
        }
    }

    private ObjectNode describe() {
        ObjectNode node = JSON.createObjectNode().put("emulator", emulatorEndpoint.toString());
        ArrayNode fns = node.putArray("functions");
        functions.forEach((id, f) -> fns.addObject().put("id", id).put("handler", f.definition().handler())
                .put("coldStartMs", coldStarts.get(id)));
        ArrayNode routeList = node.putArray("routes");
        routes.routes().forEach(r -> routeList.add(r.routeKey() + " -> " + r.function().logicalId()));
        routes.defaultRoute().ifPresent(f -> routeList.add("$default -> " + f.logicalId()));
        node.set("tables", JSON.valueToTree(resources.tables()));
        ObjectNode queueNode = node.putObject("queues");
        resources.queues().forEach((id, q) -> queueNode.put(id, q.url()));
        node.set("buckets", JSON.valueToTree(resources.buckets()));
        ArrayNode scheduleList = node.putArray("schedules");
        schedules.forEach((key, s) -> scheduleList.add(key + " " + s.expression()));
        return node;
    }

    private static String error(String type, String message) {
        return JSON.createObjectNode().put("errorType", type).put("errorMessage", message).toString();
    }

    /**
     * The HTTP API's default Lambda authorizer, if it has one. {@code FunctionArn} is taken as
     * the function's logical id, from its alias ({@code !Ref Function.Alias}, what SnapStart needs)
     * or the function itself ({@code !GetAtt Function.Arn}); the rest is resolved as usual.
     */
    private static Optional<LocalAuthorizer> authorizer(SamTemplate template, Intrinsics intrinsics,
                                                        Map<String, LocalFunction> functions) {
        for (JsonNode api : template.resourcesOfType("AWS::Serverless::HttpApi").values()) {
            JsonNode auth = api.path("Properties").path("Auth");
            if (auth.isMissingNode()) {
                continue;
            }
            ObjectNode named = auth.deepCopy();
            named.path("Authorizers").fields().forEachRemaining(entry -> {
                JsonNode arn = entry.getValue().path("FunctionArn");
                String logicalId = arn.has("Ref") ? arn.path("Ref").asText().split("\\.")[0]
                        : arn.path("Fn::GetAtt").isArray() ? arn.path("Fn::GetAtt").get(0).asText()
                        : arn.path("Fn::GetAtt").asText("").split("\\.")[0];
                ((ObjectNode) entry.getValue()).put("FunctionArn", logicalId);
            });
            return LocalAuthorizer.fromAuth(intrinsics.resolve(named), logicalId -> {
                LocalFunction function = functions.get(logicalId);
                if (function == null) {
                    throw new UnsupportedTemplateException("authorizer function " + logicalId + " is not in the template");
                }
                return function;
            });
        }
        return Optional.empty();
    }

    /** {@code ReservedConcurrentExecutions}, of the function or of Globals, resolved. */
    private static OptionalInt reservedConcurrency(FunctionDefinition definition, Intrinsics intrinsics) {
        JsonNode declared = definition.properties().has("ReservedConcurrentExecutions")
                ? definition.properties().get("ReservedConcurrentExecutions")
                : definition.globals().path("ReservedConcurrentExecutions");
        if (declared.isMissingNode() || declared.isNull()) {
            return OptionalInt.empty();
        }
        int reserved = Integer.parseInt(intrinsics.text(declared));
        if (reserved < 0) {
            throw new UnsupportedTemplateException(definition.logicalId()
                    + ": ReservedConcurrentExecutions must be 0 or more");
        }
        return OptionalInt.of(reserved);
    }

    /**
     * Lambda's environment: the template's variables plus what the service sets itself. AWS
     * calls go to {@code endpoint}, the AWS gateway; each environment adds its credentials.
     */
    private static Map<String, String> environment(FunctionDefinition definition, Intrinsics intrinsics,
                                                   Options options, URI endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        definition.environment().fields().forEachRemaining(e -> env.put(e.getKey(), intrinsics.text(e.getValue())));
        env.put("AWS_REGION", options.region());
        env.put("AWS_DEFAULT_REGION", options.region());
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", options.stackName() + "-" + definition.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(definition.memoryMb()));
        return env;
    }

    /** Collects parts while starting, so a failed start closes what it opened. */
    private static final class Builder {
        Options options;
        Intrinsics intrinsics;
        AwsGateway awsGateway;
        Map<String, ExecutionRole> roles = new LinkedHashMap<>();
        URI emulatorEndpoint;
        LocalResources resources;
        Map<String, LocalFunction> functions;
        Map<String, Long> coldStarts;
        HttpRoutes routes;
        List<AutoCloseable> sources = new ArrayList<>();
        Map<String, ScheduleEventSource> schedules;
        ScheduledExecutorService timer;
        HttpApiGateway gateway;
        LocalDashboard dashboard;
        List<AutoCloseable> clients = new ArrayList<>();
        DynamoDbClient dynamoDb;

        ExecutionRole role(String functionLogicalId) {
            ExecutionRole role = roles.get(functionLogicalId);
            if (role == null) {
                throw new UnsupportedTemplateException("no execution role for " + functionLogicalId);
            }
            return role;
        }

        /** The asynchronous invocations' on-failure destination: an SQS queue of the stack, or none. */
        Optional<S3EventSource.OnFailure> onFailure(FunctionDefinition definition, JsonNode invokeConfig) {
            JsonNode destination = invokeConfig.path("DestinationConfig").path("OnFailure");
            if (destination.isMissingNode()) {
                return Optional.empty();
            }
            if (!destination.path("Type").asText("SQS").equals("SQS")) {
                throw new UnsupportedTemplateException(definition.logicalId() + ": the local stack sends on-failure "
                        + "records to SQS destinations only, not " + destination.path("Type").asText());
            }
            String queueUrl = resources.queueByArn(destination.path("Destination").asText()).url();
            return Optional.of(new S3EventSource.OnFailure(clientsOf(definition.logicalId()), queueUrl,
                    "arn:aws:lambda:" + options.region() + ":" + intrinsics.accountId() + ":function:"
                            + options.stackName() + "-" + definition.logicalId()));
        }

        /** An SQS client acting with the function's role through the gateway (its event source's). */
        SqsClient clientsOf(String functionLogicalId) {
            SqsClient client = AwsClientFactory.sqs(ClientSettings.forEmulator(options.region(), awsGateway.endpoint())
                    .withCredentials(awsGateway.openServiceSession(role(functionLogicalId)).credentials()));
            clients.add(client);
            return client;
        }

        void closeAll() {
            if (gateway != null) {
                gateway.close();
            }
            for (AutoCloseable source : sources) {
                closeQuietly(source);
            }
            if (timer != null) {
                timer.shutdownNow();
            }
            clients.forEach(Builder::closeQuietly);
            if (awsGateway != null) {
                awsGateway.close();
            }
        }

        private static void closeQuietly(AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // shutting down: nothing to do about it
            }
        }
    }
}
