package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.messageapi.testing.TestBackends;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tenant comes from the authorizer's context and nowhere else: without it every route is
 * 401, and with it a bot sees only its own data, another tenant's being indistinguishable from
 * data that does not exist.
 */
class TenantIsolationTest {

    private final TestBackends backends = TestBackends.create();
    private final MessageApiHandler handler = new MessageApiHandler(
            MessageApi.create(TestConfigs.inMemory(), JobsConfig.of("queue", "bucket"), backends.backends(),
                    new RecordingMetrics(), new MutableClock(Instant.parse("2026-11-28T10:00:00Z"))),
            () -> { });

    private ApiResult invoke(ApiEvent event) {
        return ApiResult.of(handler.handleRequest(event.toEvent(), new LocalLambdaContext()));
    }

    @Test
    void everyRoute_shouldBe401_withoutAnAuthorizedTenant_andWriteNothing() {
        for (String file : new String[] {"append-message.json", "list-messages.json", "get-message.json",
                "edit-message.json", "delete-message.json", "list-versions.json", "get-settings.json",
                "put-settings.json", "submit-job.json", "get-job.json", "create-attachment.json",
                "list-attachments.json", "get-attachment.json"}) {
            ApiResult result = invoke(ApiEvent.fromFile(file).withoutAuthorizer());

            assertThat(result.status()).as(file).isEqualTo(401);
            assertThat(result.errorCode()).as(file).isEqualTo("unauthorized");
            assertThat(result.header("WWW-Authenticate")).as(file).isEqualTo("Bearer");
        }
        ApiResult unknownRoute = invoke(ApiEvent.fromFile("get-message.json").withoutAuthorizer()
                .request("GET", "/v1/secret"));
        ApiResult badTenant = invoke(ApiEvent.fromFile("get-message.json").tenant("bad#tenant"));

        assertThat(unknownRoute.status()).as("no route is revealed before authentication").isEqualTo(401);
        assertThat(badTenant.status()).isEqualTo(401);
        assertThat(backends.messages().messageCount(new ChatRef(TestConfigs.TENANT, "chat-42"))).isZero();
        assertThat(backends.queue().sent()).isEmpty();
    }

    @Test
    void anotherTenantsMessagesJobsAndAttachments_shouldLookLikeNothing() {
        ApiResult appended = invoke(ApiEvent.fromFile("append-message.json").tenant("acme"));
        String messageId = appended.json().path("messageId").asText();
        String path = "/v1/chats/chat-42/messages/" + messageId;
        String attachmentId = invoke(ApiEvent.fromFile("create-attachment.json").tenant("acme")
                .request("POST", path + "/attachments")).json().path("attachmentId").asText();
        String jobId = invoke(ApiEvent.fromFile("submit-job.json").tenant("acme")).json().path("jobId").asText();
        invoke(ApiEvent.fromFile("put-settings.json").tenant("acme"));

        ApiResult message = invoke(ApiEvent.fromFile("get-message.json").tenant("globex").request("GET", path));
        ApiResult versions = invoke(ApiEvent.fromFile("list-versions.json").tenant("globex")
                .request("GET", path + "/versions"));
        ApiResult edit = invoke(ApiEvent.fromFile("edit-message.json").tenant("globex").request("PATCH", path)
                .header("if-match", "\"1\""));
        ApiResult attachment = invoke(ApiEvent.fromFile("get-attachment.json").tenant("globex")
                .request("GET", path + "/attachments/" + attachmentId));
        ApiResult job = invoke(ApiEvent.fromFile("get-job.json").tenant("globex").request("GET", "/v1/jobs/" + jobId));
        ApiResult listing = invoke(ApiEvent.fromFile("list-messages.json").tenant("globex"));
        ApiResult settings = invoke(ApiEvent.fromFile("get-settings.json").tenant("globex"));
        ApiResult neverWritten = invoke(ApiEvent.fromFile("get-settings.json").tenant("globex")
                .request("GET", "/v1/users/nobody-at-all/settings"));

        assertThat(message.status()).isEqualTo(404);
        assertThat(message.errorCode()).isEqualTo("message_not_found");
        assertThat(versions.status()).isEqualTo(404);
        assertThat(edit.status()).isEqualTo(404);
        assertThat(attachment.status()).isEqualTo(404);
        assertThat(job.status()).isEqualTo(404);
        assertThat(job.errorCode()).isEqualTo("job_not_found");
        assertThat(listing.json().path("items")).isEmpty();
        assertThat(settings.body()).as("another tenant's settings read like a user who never wrote any")
                .isEqualTo(neverWritten.body());
        assertThat(settings.header("ETag")).isEqualTo(neverWritten.header("ETag"));
        assertThat(invoke(ApiEvent.fromFile("get-message.json").tenant("acme").request("GET", path)).status())
                .isEqualTo(200);
    }

    @Test
    void aCursorFromOneTenant_shouldBe400InAnother_evenForTheSameChatId() {
        for (String tenant : new String[] {"acme", "globex"}) {
            for (int i = 0; i < 3; i++) {
                invoke(ApiEvent.fromFile("append-message.json").tenant(tenant).withoutHeader("Idempotency-Key")
                        .jsonBody(Map.of("userId", "u", "isBot", false, "text", tenant + i)));
            }
        }
        String cursor = invoke(ApiEvent.fromFile("list-messages.json").tenant("acme").query("limit", "1"))
                .json().path("nextCursor").asText();

        ApiResult swapped = invoke(ApiEvent.fromFile("list-messages.json").tenant("globex")
                .query("limit", "1").query("cursor", cursor));

        assertThat(swapped.status()).isEqualTo(400);
        assertThat(swapped.errorCode()).isEqualTo("invalid_cursor");
    }
}
