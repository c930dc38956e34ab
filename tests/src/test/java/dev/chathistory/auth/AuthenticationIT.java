package dev.chathistory.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.aws.FaultPlan;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.repository.dynamodb.DynamoDbApiKeyRepository;
import dev.chathistory.tests.TestAws;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The real template on the local stack, through its Lambda authorizer: who gets in, and that a
 * bot with a valid key still cannot see, change or detect another bot's data.
 */
class AuthenticationIT {

    private static LocalDeployment deployment;
    private static DynamoDbClient dynamoDb;
    private static ApiKeys keys;
    private static String acme;
    private static String globex;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void deploy() throws Exception {
        String stack = "auth-" + UUID.randomUUID().toString().substring(0, 8);
        LocalDeployment.Options defaults = LocalDeployment.Options.defaults(SamTemplate.loadFrom(ProjectRoot.find()), 0);
        // A one-second authorizer cache, so a revocation shows within the test.
        LocalDeployment.Options options = defaults.withStackName(stack).withSchedulesEnabled(false)
                .withParameterOverrides(Map.of("AuthorizerCacheTtlSeconds", "1"));
        deployment = LocalDeployment.start(options, TestAws.emulator().endpoint());
        dynamoDb = AwsClientFactory.dynamoDb(ClientSettings.forEmulator("us-east-1", TestAws.emulator().endpoint()),
                List.of());
        keys = new ApiKeys(new DynamoDbApiKeyRepository(dynamoDb, deployment.resources().tables().get("UsersTable")),
                MessageIdGenerator.ulid(), Clock.systemUTC());
        acme = deployment.issueKey("acme", "acme prod").key();
        globex = deployment.issueKey("globex", "globex prod").key();
    }

    @AfterAll
    static void stop() {
        deployment.close();
        dynamoDb.close();
    }

    private static HttpResponse<String> send(String key, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(deployment.baseUrl().resolve(path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", key);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> response) {
        return Json.parseTrusted(response.body()).path("error").path("code").asText();
    }

    @Test
    void noKey_shouldBe401_andAMalformedKey_anUnknownKey_andARevokedKey_403_byTheGateway() throws Exception {
        String path = "/v1/chats/auth-chat/messages";
        ApiKeys.Issued rotating = keys.issue("acme", "to be revoked");
        assertThat(send("Bearer " + rotating.key(), "GET", path, null).statusCode()).isEqualTo(200);

        HttpResponse<String> none = send(null, "GET", path, null);
        HttpResponse<String> malformed = send("Bearer not-a-key", "GET", path, null);
        HttpResponse<String> basic = send("Basic YWNtZTpzZWNyZXQ=", "GET", path, null);
        HttpResponse<String> unknown = send("Bearer chk_" + "Q".repeat(43), "GET", path, null);
        keys.revoke("acme", rotating.record().keyId());
        Thread.sleep(1500); // the authorizer cache TTL of this stack
        HttpResponse<String> revoked = send("Bearer " + rotating.key(), "GET", path, null);

        assertThat(none.statusCode()).as("rejected by the gateway itself").isEqualTo(401);
        assertThat(none.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        for (HttpResponse<String> response : List.of(malformed, basic, unknown, revoked)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(response.body()).as("the authorizer denied it: the API function never ran")
                    .isEqualTo("{\"message\":\"Forbidden\"}");
        }
        assertThat(send("Bearer " + acme, "GET", path, null).statusCode())
                .as("the tenant's other key keeps working: rotation").isEqualTo(200);
    }

    @Test
    void malformedKeys_shouldBeDenied_withoutTheAuthorizerCallingDynamoDb() throws Exception {
        String path = "/v1/chats/auth-cheap/messages";
        // Every DynamoDB call of the authorizer fails from now on: a key it looks up cannot pass.
        deployment.awsGateway().injectFaults(FaultPlan.only(FaultPlan.Fault.SERVER_ERROR, 1, "AuthorizerFunction"));
        try {
            for (String malformed : List.of("chk_short", "chk_" + "A".repeat(44), "xyz_" + "A".repeat(43),
                    "chk_" + "A".repeat(42) + "=", UUID.randomUUID().toString())) {
                HttpResponse<String> response = send("Bearer " + malformed, "GET", path, null);
                assertThat(response.statusCode()).as(malformed).isEqualTo(403);
            }
            HttpResponse<String> wellFormed = send("Bearer chk_" + "W".repeat(43), "GET", path, null);
            assertThat(wellFormed.statusCode()).as("a well-formed key is looked up, and the lookup fails")
                    .isEqualTo(500);
        } finally {
            deployment.awsGateway().injectFaults(FaultPlan.none());
        }
    }

    @Test
    void anotherTenantsKey_shouldFindNothing_andChangeNothing() throws Exception {
        String chat = "/v1/chats/shared-name-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = send("Bearer " + acme, "POST", chat + "/messages",
                "{\"userId\":\"alice\",\"isBot\":false,\"text\":\"acme only\"}");
        String messageId = Json.parseTrusted(created.body()).path("messageId").asText();
        String message = chat + "/messages/" + messageId;
        send("Bearer " + acme, "PATCH", message, "{\"text\":\"acme only, edited\"}", "If-Match", "\"1\"");
        String attachmentId = Json.parseTrusted(send("Bearer " + acme, "POST", message + "/attachments",
                "{\"contentType\":\"image/png\",\"size\":10}").body()).path("attachmentId").asText();
        String jobId = Json.parseTrusted(send("Bearer " + acme, "POST", "/v1/users/alice/jobs",
                "{\"type\":\"recount\"}").body()).path("jobId").asText();
        send("Bearer " + acme, "PUT", "/v1/users/alice/settings", "{\"language\":\"de\"}", "If-Match", "*");

        String b = "Bearer " + globex;
        assertThat(send(b, "GET", message, null).statusCode()).isEqualTo(404);
        assertThat(send(b, "GET", message + "/versions", null).statusCode()).isEqualTo(404);
        assertThat(send(b, "PATCH", message, "{\"text\":\"globex was here\"}", "If-Match", "\"2\"").statusCode())
                .isEqualTo(404);
        assertThat(send(b, "DELETE", message, null, "If-Match", "\"2\"").statusCode()).isEqualTo(404);
        assertThat(send(b, "GET", message + "/attachments", null).statusCode()).isEqualTo(404);
        assertThat(send(b, "GET", message + "/attachments/" + attachmentId, null).statusCode()).isEqualTo(404);
        assertThat(send(b, "GET", "/v1/jobs/" + jobId, null).statusCode()).isEqualTo(404);
        assertThat(Json.parseTrusted(send(b, "GET", chat + "/messages", null).body()).path("items")).isEmpty();
        HttpResponse<String> settings = send(b, "GET", "/v1/users/alice/settings", null);
        assertThat(settings.body()).as("like a user who never wrote settings").isEqualTo("{}");
        assertThat(settings.headers().firstValue("ETag")).contains("\"0\"");

        JsonNode stillThere = Json.parseTrusted(send("Bearer " + acme, "GET", message, null).body());
        assertThat(stillThere.path("text").asText()).isEqualTo("acme only, edited");
        assertThat(stillThere.path("version").asLong()).isEqualTo(2);
    }

    @Test
    void aCursorFromOneTenant_shouldBe400_inAnotherTenantsChatOfTheSameName() throws Exception {
        String chat = "/v1/chats/cursor-" + UUID.randomUUID().toString().substring(0, 8) + "/messages";
        for (String key : List.of(acme, globex)) {
            for (int i = 0; i < 3; i++) {
                send("Bearer " + key, "POST", chat, "{\"userId\":\"u\",\"isBot\":false,\"text\":\"m" + i + "\"}");
            }
        }
        String cursor = Json.parseTrusted(send("Bearer " + acme, "GET", chat + "?limit=1", null).body())
                .path("nextCursor").asText();

        HttpResponse<String> swapped = send("Bearer " + globex, "GET", chat + "?limit=1&cursor=" + cursor, null);

        assertThat(swapped.statusCode()).isEqualTo(400);
        assertThat(code(swapped)).isEqualTo("invalid_cursor");
    }
}
