package dev.chathistory.messageapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.chathistory.messageapi.http.HttpRequest;
import dev.chathistory.shared.aws.AwsCallTracing;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.config.Environment;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.config.LimitsConfig;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.config.Settings;
import dev.chathistory.shared.lambda.InvocationScope;
import dev.chathistory.shared.lambda.Priming;
import dev.chathistory.shared.limits.TenantLimits;
import dev.chathistory.shared.metrics.FunctionMetrics;
import dev.chathistory.shared.metrics.PowertoolsServiceMetrics;
import dev.chathistory.shared.repository.dynamodb.DynamoDbBudgetStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda entry point behind the HTTP API. Thin on purpose: it converts the event, lets
 * {@link MessageApi} do the work, and flushes metrics.
 */
public final class MessageApiHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    private static final Logger LOG = LoggerFactory.getLogger(MessageApiHandler.class);
    /** A tenant id no key is ever issued for: the admin command refuses names starting with "sys.". */
    static final String PRIMING_TENANT = Priming.TENANT;

    private final MessageApi api;
    private final Runnable flushMetrics;

    /** Called by the Lambda runtime once per container: clients and caches live as long as it. */
    public MessageApiHandler() {
        this(Wiring.fromEnvironment());
        // SnapStart: prime before the snapshot so restored containers start warm.
        Core.getGlobalContext().register(this);
    }

    private MessageApiHandler(Wiring wiring) {
        this(wiring.api(), wiring.metrics()::flush);
    }

    /**
     * Embeds the handler around an API wired elsewhere: the local runner and the tests point it
     * at an emulator without environment variables.
     */
    public MessageApiHandler(MessageApi api, Runnable flushMetrics) {
        this.api = api;
        this.flushMetrics = flushMetrics;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request = ApiGatewayEvents.toRequest(event);
        // The API request id is the correlation id.
        return InvocationScope.run(context, request.requestId(), flushMetrics,
                () -> ApiGatewayEvents.toEvent(api.handle(request)));
    }

    /**
     * Runs one read through every layer (routing, JSON, the SDK's marshalling and HTTP client)
     * so that the classes and connections are loaded in the snapshot. The read is in a reserved
     * tenant no key can be issued for, so it touches no bot's data; a failure must never stop
     * the checkpoint.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            api.handle(new HttpRequest("GET", "/v1/chats/priming/messages", Map.of(),
                    Map.of("limit", "1"), null, "priming", Map.of("tenantId", PRIMING_TENANT)));
        } catch (RuntimeException e) {
            LOG.warn("priming before checkpoint failed: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the SDK re-resolves credentials and reconnects on demand.
    }

    /** The production object graph, built once per container. */
    private record Wiring(MessageApi api, PowertoolsServiceMetrics metrics) {
        static Wiring fromEnvironment() {
            Map<String, String> env = Environment.variables();
            ServiceConfig config = ServiceConfig.fromEnvironment(env);
            FunctionMetrics functionMetrics = FunctionMetrics.fromEnvironment(env);
            PowertoolsServiceMetrics metrics = new PowertoolsServiceMetrics(functionMetrics);
            ClientSettings clients = config.clientSettings().withMetricPublisher(functionMetrics.awsCalls())
                    .withInterceptors(AwsCallTracing.interceptors(env));
            // A deployed API always reads the archive and takes jobs: refuse to start without them
            // rather than serve history that silently stops at the archive boundary.
            JobsConfig jobsConfig = JobsConfig.fromEnvironment(env);
            Settings.required(env, "JOBS_QUEUE_URL");
            Settings.required(env, "DATA_BUCKET");
            DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(clients, List.of());
            Backends backends = Backends.aws(config, jobsConfig, Settings.required(env, "ATTACHMENTS_BUCKET"),
                    dynamoDb, AwsClientFactory.sqs(clients), AwsClientFactory.s3(clients),
                    AwsClientFactory.s3Presigner(clients));
            TenantLimits limits = TenantLimits.of(LimitsConfig.fromEnvironment(env),
                    new DynamoDbBudgetStore(dynamoDb, config.usersTable()), Clock.systemUTC());
            return new Wiring(MessageApi.create(config, jobsConfig, AttachmentsConfig.fromEnvironment(env), backends,
                    limits, metrics, Clock.systemUTC()), metrics);
        }
    }
}
