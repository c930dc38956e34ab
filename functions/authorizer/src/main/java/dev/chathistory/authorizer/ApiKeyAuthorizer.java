package dev.chathistory.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import dev.chathistory.shared.auth.ApiKey;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.Environment;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.lambda.Priming;
import dev.chathistory.shared.repository.dynamodb.DynamoDbApiKeyRepository;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP API's Lambda authorizer (payload 2.0, simple responses): for
 * {@code Authorization: Bearer <key>} of an active key it puts the key's tenant in the context,
 * the only place the API takes a tenant from, with the tenant's own limits if the operator
 * set any ({@code ./admin set-limits}); any other value is denied, so API Gateway answers
 * 403 itself and the API function never runs. A value that is not shaped like a key (prefix,
 * length, alphabet) is denied before any DynamoDB call. API Gateway caches either answer per
 * Authorization value for the template's TTL: a revoked key stops working within it, and a bad
 * key sent again costs no invocation at all.
 *
 * <p>Logs are JSON lines from logback's encoder (src/main/resources/logback.xml), not
 * Powertools on Log4j as in the other functions: that stack alone is larger than this
 * function's size limit. The fields Powertools would add from the Lambda context are put in the
 * MDC here, under Powertools' names.
 */
public final class ApiKeyAuthorizer
        implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, Map<String, Object>>, Resource {

    public static final String TENANT_CONTEXT_KEY = "tenantId";
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthorizer.class);
    private static final String SCHEME = "bearer ";
    private static final Map<String, Object> DENIED = Map.of("isAuthorized", false);
    /**
     * Well-formed, so priming goes past the shape check to the lookup, and never issued: it is
     * the key of 32 zero bytes, which a random 256-bit key never equals.
     */
    static final String PRIMING_KEY = ApiKeys.PREFIX + "A".repeat(43);

    private final ApiKeys keys;
    private boolean coldStart = true;

    /** Called by the Lambda runtime once per container. */
    public ApiKeyAuthorizer() {
        this(wire(Environment.variables()));
        // SnapStart: prime before the snapshot so restored containers start warm.
        Core.getGlobalContext().register(this);
    }

    /** Embeds the authorizer around keys kept elsewhere: the tests and the local stack. */
    public ApiKeyAuthorizer(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        putLambdaContext(context);
        try {
            Optional<ApiKey> key = bearerKey(event).flatMap(keys::authorize);
            // Never the key, not even part of it: only whether it was accepted.
            LOG.info("authorization {}", key.isPresent() ? "granted" : "denied");
            // Denied rather than passed on without a tenant: a pass would run the API function
            // too, so every new garbage key would cost two invocations instead of one.
            return key.map(ApiKeyAuthorizer::granted).orElse(DENIED);
        } finally {
            MDC.clear();
        }
    }

    private void putLambdaContext(Context context) {
        MDC.put("cold_start", Boolean.toString(coldStart));
        coldStart = false;
        if (context != null) {
            putIfPresent("function_request_id", context.getAwsRequestId());
            putIfPresent("function_name", context.getFunctionName());
            putIfPresent("function_version", context.getFunctionVersion());
        }
        putIfPresent("service", System.getenv("POWERTOOLS_SERVICE_NAME"));
    }

    private static void putIfPresent(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    /**
     * One request through every layer (event, Powertools logging, key check, the DynamoDB lookup
     * by hash with the SDK's marshalling and HTTP client) with a key that exists nowhere: a single
     * GetItem that finds nothing, denied. A failure never stops the checkpoint.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
        event.setHeaders(Map.of("authorization", "Bearer " + PRIMING_KEY));
        Priming.run(() -> handleRequest(event, new LocalLambdaContext("snapstart-priming", 5, 1024)));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the SDK re-resolves credentials and reconnects on demand.
    }

    /** The tenant, and its own limits if the operator set any, as text (what the API reads). */
    private static Map<String, Object> granted(ApiKey key) {
        Map<String, Object> context = new HashMap<>(key.limits().asText());
        context.put(TENANT_CONTEXT_KEY, key.tenantId());
        return Map.of("isAuthorized", true, "context", context);
    }

    private static Optional<String> bearerKey(APIGatewayV2CustomAuthorizerEvent event) {
        Map<String, String> headers = event == null ? null : event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        String value = headers.entrySet().stream()
                .filter(h -> h.getKey() != null && h.getKey().equalsIgnoreCase("authorization"))
                .map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (value == null || value.length() <= SCHEME.length()
                || !value.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return Optional.empty();
        }
        return Optional.of(value.substring(SCHEME.length()).trim());
    }

    private static ApiKeys wire(Map<String, String> env) {
        ServiceConfig config = ServiceConfig.fromEnvironment(env);
        return new ApiKeys(new DynamoDbApiKeyRepository(AwsClientFactory.dynamoDb(config), config.usersTable()),
                MessageIdGenerator.ulid(), Clock.systemUTC());
    }
}
