package dev.chathistory.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.limits.LimitOverrides;
import dev.chathistory.shared.repository.dynamodb.DynamoDbApiKeyRepository;
import dev.chathistory.tests.TestAws;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Per-tenant limits on the real template through the local stack: a noisy tenant is held to its
 * request rate and job quotas, and another tenant's requests and jobs are unaffected; a tenant
 * the operator gave its own limits is held to those. The
 * windows are an hour long and start with each tenant's first request, so the counts below are
 * exact whatever the clock says; small budgets make every lease a single token.
 */
class TenantLimitsIT {

    private static final int REQUESTS = 12;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static LocalDeployment deployment;
    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void deploy() throws Exception {
        LocalDeployment.Options options = LocalDeployment.Options.defaults(TestAws.template(), 0)
                .withStackName(TestAws.stackName("limits")).withSchedulesEnabled(false)
                .withParameterOverrides(Map.of(
                        "TenantRequestsPerWindow", Integer.toString(REQUESTS),
                        "TenantRequestWindowSeconds", "3600",
                        "TenantJobsPerWindow", "3",
                        "UserJobsPerWindow", "2",
                        "JobQuotaWindowSeconds", "3600",
                        "ApiReservedConcurrency", "7",
                        "AuthorizerReservedConcurrency", "5",
                        "IngestReservedConcurrency", "3"));
        deployment = LocalDeployment.start(options, TestAws.emulator().endpoint());
        dynamoDb = AwsClientFactory.dynamoDb(ClientSettings.forEmulator("us-east-1", TestAws.emulator().endpoint()),
                List.of());
    }

    @AfterAll
    static void stop() {
        deployment.close();
        dynamoDb.close();
    }

    private static HttpResponse<String> send(String key, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(deployment.baseUrl().resolve(path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> read(String key) throws Exception {
        return send(key, "GET", "/v1/chats/limits/messages?limit=1", null);
    }

    private static HttpResponse<String> submit(String key, String user) throws Exception {
        return send(key, "POST", "/v1/users/" + user + "/jobs", "{\"type\":\"recount\"}");
    }

    private static List<Integer> statuses(List<HttpResponse<String>> responses) {
        return responses.stream().map(HttpResponse::statusCode).toList();
    }

    private static void assertTooMany(HttpResponse<String> response, String code, long windowSeconds) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        JsonNode error = Json.parseTrusted(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).as("until the window ends").isBetween(1L, windowSeconds);
        assertThat(error.path("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
    }

    @Test
    void aNoisyTenant_shouldBeHeldToItsRequestRate_andNotTakeAnotherTenantsRequests() throws Exception {
        String noisy = deployment.issueKey("rate-noisy", "noisy").key();
        String quiet = deployment.issueKey("rate-quiet", "quiet").key();

        List<HttpResponse<String>> flood = new ArrayList<>();
        for (int i = 0; i < REQUESTS * 3; i++) {
            flood.add(read(noisy));
        }
        List<HttpResponse<String>> calm = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            calm.add(read(quiet));
        }

        assertThat(statuses(flood.subList(0, REQUESTS))).as("the noisy tenant's budget").containsOnly(200);
        flood.subList(REQUESTS, flood.size()).forEach(r -> assertTooMany(r, "rate_limited", 3600));
        assertThat(statuses(calm)).as("the quiet tenant's whole budget, after the flood").containsOnly(200);
        assertTooMany(read(quiet), "rate_limited", 3600);
        assertThat(taken("T#rate-noisy#Q", "requests")).as("never more taken than the budget").isEqualTo(REQUESTS);
    }

    @Test
    void aNoisyTenant_shouldBeHeldToItsJobQuotas_andNotTakeAnotherTenantsJobs() throws Exception {
        String noisy = deployment.issueKey("jobs-noisy", "noisy").key();
        String quiet = deployment.issueKey("jobs-quiet", "quiet").key();

        List<Integer> alice = statuses(List.of(submit(noisy, "alice"), submit(noisy, "alice")));
        HttpResponse<String> aliceAgain = submit(noisy, "alice");
        List<Integer> others = statuses(List.of(submit(noisy, "bob")));
        HttpResponse<String> carol = submit(noisy, "carol");
        HttpResponse<String> dave = submit(noisy, "dave");

        assertThat(alice).containsOnly(202);
        assertTooMany(aliceAgain, "job_quota_exceeded", 3600);
        assertThat(others).as("the tenant's third job").containsOnly(202);
        assertTooMany(carol, "job_quota_exceeded", 3600);
        assertTooMany(dave, "job_quota_exceeded", 3600);

        assertThat(statuses(List.of(submit(quiet, "alice"), submit(quiet, "alice"), submit(quiet, "bob"))))
                .as("the quiet tenant's own quotas, same user ids").containsOnly(202);
        assertTooMany(submit(quiet, "carol"), "job_quota_exceeded", 3600);
    }

    @Test
    void aTenantsOwnLimits_setByTheOperator_shouldReplaceTheDefaults_forItsKeys() throws Exception {
        ApiKeys operator = new ApiKeys(new DynamoDbApiKeyRepository(dynamoDb,
                deployment.resources().tables().get("UsersTable")), MessageIdGenerator.ulid(), Clock.systemUTC());
        String bigRate = deployment.issueKey("rate-own", "own").key();
        operator.setLimits("rate-own", new LimitOverrides(REQUESTS + 8, 0, 0));
        String moreJobs = deployment.issueKey("jobs-own", "own").key();
        operator.setLimits("jobs-own", new LimitOverrides(0, 5, 4));

        List<HttpResponse<String>> reads = new ArrayList<>();
        for (int i = 0; i < REQUESTS + 8; i++) {
            reads.add(read(bigRate));
        }
        assertThat(statuses(reads)).as("its own budget, above the default").containsOnly(200);
        assertTooMany(read(bigRate), "rate_limited", 3600);

        List<HttpResponse<String>> alice = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            alice.add(submit(moreJobs, "alice"));
        }
        assertThat(statuses(alice)).as("its own per-user quota").containsOnly(202);
        assertTooMany(submit(moreJobs, "alice"), "job_quota_exceeded", 3600);
        assertThat(submit(moreJobs, "bob").statusCode()).as("its own tenant quota: the fifth").isEqualTo(202);
        assertTooMany(submit(moreJobs, "carol"), "job_quota_exceeded", 3600);
    }

    @Test
    void theApi_theAuthorizer_andIngestion_shouldRunWithTheReservedConcurrencyOfTheirParameters() {
        // What the local stack then enforces: an invocation beyond it is throttled (LambdaLimitsIT).
        assertThat(deployment.function("MessageApiFunction").reservedConcurrency()).hasValue(7);
        assertThat(deployment.function("AuthorizerFunction").reservedConcurrency()).hasValue(5);
        assertThat(deployment.function("AttachmentIngestFunction").reservedConcurrency()).hasValue(3);
    }

    private static long taken(String pk, String sk) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(deployment.resources().tables()
                .get("UsersTable")).key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))
                .consistentRead(true)).item();
        return Long.parseLong(item.get("taken").n());
    }
}
