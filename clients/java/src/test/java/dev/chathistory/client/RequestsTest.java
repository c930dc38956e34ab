package dev.chathistory.client;

import static dev.chathistory.client.Fixtures.API_KEY;
import static dev.chathistory.client.Fixtures.clientFor;
import static dev.chathistory.client.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.client.ScriptedServer.Received;
import dev.chathistory.client.ScriptedServer.Reply;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What goes over the wire for each method, and how each answer is read. */
class RequestsTest extends ScriptedServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void append_shouldPostTheMessageAsJson_withTheKeyAsBearer() throws Exception {
        server.then(Reply.json(201, message("m1", 1)).withHeader("ETag", "\"1\""));
        ObjectNode metadata = JSON.createObjectNode().put("lang", "en");

        Appended appended = client.append("chat-1", new NewMessage("alice", true, "hi", metadata));

        Received request = server.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/v1/chats/chat-1/messages");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree(
                "{\"userId\":\"alice\",\"isBot\":true,\"text\":\"hi\",\"metadata\":{\"lang\":\"en\"}}"));
        Message m = appended.message();
        assertThat(m.version()).isEqualTo(1);
        assertThat(m.parentVersion()).isNull();
        assertThat(m.metadata()).isNull();
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(m.editedAt()).isNull();
        assertThat(appended.replayed()).isFalse();
    }

    @Test
    void unknownFields_shouldBeIgnored_forForwardCompatibility() {
        server.thenJson(200, message("m1", 1).replace("\"chatId\"", "\"reactions\":[{\"x\":1}],\"chatId\""));

        assertThat(client.getMessage("chat-1", "m1").text()).isEqualTo("hello");
    }

    @Test
    void getMessage_withIncludeDeleted_shouldSayItInTheQuery() {
        server.thenJson(200, message("m1", 1)).thenJson(200, message("m1", 1));

        client.getMessage("chat-1", "m1", true);
        client.getMessage("chat-1", "m1");

        assertThat(server.received()).extracting(Received::rawQuery).containsExactly("includeDeleted=true", null);
    }

    @Test
    void listMessages_eventually_shouldSayItInTheQuery_andLeaveTheStrongDefaultOffTheWire() {
        server.thenJson(200, Fixtures.page(null, message("m1", 1))).thenJson(200, Fixtures.page(null, message("m1", 1)));

        client.listMessages("chat-1", 50, null, false, ReadConsistency.EVENTUAL);
        client.listMessages("chat-1", 50, null, false, ReadConsistency.STRONG);

        assertThat(server.received()).extracting(Received::rawQuery)
                .containsExactly("limit=50&consistency=eventual", "limit=50");
    }

    @Test
    void edit_shouldPatchWithIfMatch_andSendOnlyWhatChanges() throws Exception {
        server.then(Reply.json(200, message("m1", 4)).withHeader("ETag", "\"4\""))
                .thenJson(200, message("m1", 5))
                .thenJson(200, message("m1", 6));

        Message edited = client.editText("chat-1", "m1", 3, "better");
        client.edit("chat-1", "m1", 4, MessageEdit.metadata(null));
        client.edit("chat-1", "m1", 5, MessageEdit.textAndMetadata("best", JSON.createObjectNode().put("a", 1)));

        List<Received> requests = server.received();
        assertThat(requests).extracting(Received::method).containsOnly("PATCH");
        assertThat(requests).extracting(r -> r.header("If-Match")).containsExactly("\"3\"", "\"4\"", "\"5\"");
        assertThat(JSON.readTree(requests.get(0).body())).isEqualTo(JSON.readTree("{\"text\":\"better\"}"));
        assertThat(JSON.readTree(requests.get(1).body())).as("null metadata removes it")
                .isEqualTo(JSON.readTree("{\"metadata\":null}"));
        assertThat(JSON.readTree(requests.get(2).body()))
                .isEqualTo(JSON.readTree("{\"text\":\"best\",\"metadata\":{\"a\":1}}"));
        assertThat(edited.version()).isEqualTo(4);
        assertThat(edited.parentVersion()).isEqualTo(3);
    }

    @Test
    void delete_shouldSendIfMatch() {
        server.thenJson(200, message("m1", 2).replace("\"deleted\":false", "\"deleted\":true"));

        Message deleted = client.delete("chat-1", "m1", 1);

        assertThat(server.only().method()).isEqualTo("DELETE");
        assertThat(server.only().header("If-Match")).isEqualTo("\"1\"");
        assertThat(deleted.deleted()).isTrue();
    }

    @Test
    void ids_shouldBePercentEncodedAsOnePathSegment() {
        server.thenJson(200, message("m1", 1)).thenJson(200, message("m1", 1));

        client.getMessage("a b/c", "ü?#");
        client.getMessage("..", ".");

        assertThat(server.received()).extracting(Received::rawPath).containsExactly(
                "/v1/chats/a%20b%2Fc/messages/%C3%BC%3F%23",
                "/v1/chats/%2E%2E/messages/%2E");
        assertThatThrownBy(() -> client.getMessage("chat-1", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBaseUriWithAPath_shouldBeKept() {
        server.thenJson(200, message("m1", 1));
        ChatHistoryClient staged = clientFor(server, new Fixtures.RecordingSleeper())
                .baseUri(server.baseUri() + "/prod/").build();

        staged.getMessage("chat-1", "m1");

        assertThat(server.only().rawPath()).isEqualTo("/prod/v1/chats/chat-1/messages/m1");
    }

    @Test
    void settings_shouldCarryTheirVersionInTheETag() throws Exception {
        server.then(Reply.json(200, "{}").withHeader("ETag", "\"0\""))
                .then(Reply.json(200, "{\"language\":\"de\"}").withHeader("ETag", "\"1\""))
                .then(Reply.json(200, "{\"language\":\"fr\"}").withHeader("ETag", "\"2\""));
        ObjectNode german = JSON.createObjectNode().put("language", "de");

        Settings never = client.getSettings("alice");
        Settings created = client.putSettings("alice", german, never.version());
        Settings overwritten = client.overwriteSettings("alice", JSON.createObjectNode().put("language", "fr"));

        assertThat(never.version()).isZero();
        assertThat(never.value().isEmpty()).isTrue();
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.value()).isEqualTo(german);
        assertThat(overwritten.version()).isEqualTo(2);
        List<Received> requests = server.received();
        assertThat(requests).extracting(Received::method).containsExactly("GET", "PUT", "PUT");
        assertThat(requests).extracting(r -> r.header("If-Match")).containsExactly(null, "\"0\"", "*");
        assertThat(requests.get(1).rawPath()).isEqualTo("/v1/users/alice/settings");
        assertThat(JSON.readTree(requests.get(1).body())).isEqualTo(german);
    }

    @Test
    void settingsWithoutAnETag_shouldBeAnInvalidResponse() {
        server.thenJson(200, "{}");

        assertThatThrownBy(() -> client.getSettings("alice")).isInstanceOfSatisfying(ChatHistoryException.class,
                e -> assertThat(e.code()).isEqualTo(ChatHistoryException.INVALID_RESPONSE));
    }

    @Test
    void records_shouldNotBeChangeableThroughTheirJson() {
        ObjectNode value = JSON.createObjectNode().put("language", "de");
        Settings settings = new Settings(value, 1);

        value.put("language", "xx");
        ((ObjectNode) settings.value()).put("language", "yy");

        assertThat(settings.value().path("language").asText()).isEqualTo("de");
    }

    @Test
    void retentionAndHolds_shouldBePutAsJson_andRead() throws Exception {
        server.thenJson(200, "{\"days\":30,\"legalHold\":false,\"tenantDays\":90,\"effectiveDays\":30}")
                .thenJson(200, "{\"days\":null,\"legalHold\":true,\"tenantDays\":null,\"effectiveDays\":null}")
                .thenJson(200, "{\"legalHold\":true}")
                .thenJson(200, "{\"legalHold\":false}");

        ChatRetention thirty = client.putRetention("chat-1", 30, false);
        ChatRetention held = client.putRetention("chat-1", null, true);
        boolean userHeld = client.setLegalHold("alice", true);
        boolean stillHeld = client.isOnLegalHold("alice");

        assertThat(thirty).isEqualTo(new ChatRetention(30, false, 90, 30));
        assertThat(held).isEqualTo(new ChatRetention(null, true, null, null));
        assertThat(userHeld).isTrue();
        assertThat(stillHeld).isFalse();
        List<Received> requests = server.received();
        assertThat(requests).extracting(Received::method).containsExactly("PUT", "PUT", "PUT", "GET");
        assertThat(requests.get(0).rawPath()).isEqualTo("/v1/chats/chat-1/retention");
        assertThat(JSON.readTree(requests.get(1).body()))
                .isEqualTo(JSON.readTree("{\"days\":null,\"legalHold\":true}"));
        assertThat(requests.get(2).rawPath()).isEqualTo("/v1/users/alice/legal-hold");
        assertThat(JSON.readTree(requests.get(2).body())).isEqualTo(JSON.readTree("{\"legalHold\":true}"));
    }

    @Test
    void jobs_shouldBeSubmittedAndRead() throws Exception {
        server.thenJson(202, Fixtures.job("queued"))
                .thenJson(200, Fixtures.job("succeeded").replace("\"counts\":{}", "\"counts\":{\"messages\":12}"));

        Job submitted = client.submitJob("alice", Job.ARCHIVE, "chat-1");
        Job done = client.getJob(submitted.jobId());

        assertThat(submitted.isFinished()).isFalse();
        assertThat(done.isFinished()).isTrue();
        assertThat(done.isSucceeded()).isTrue();
        assertThat(done.counts()).containsEntry("messages", 12L);
        assertThat(server.received().get(0).rawPath()).isEqualTo("/v1/users/alice/jobs");
        assertThat(JSON.readTree(server.received().get(0).body()))
                .isEqualTo(JSON.readTree("{\"type\":\"archive\",\"chatId\":\"chat-1\"}"));
        assertThat(server.received().get(1).rawPath()).isEqualTo("/v1/jobs/job-1");
    }

    @Test
    void uploadAttachment_shouldPutTheBytesToTheLink_withItsHeaders_andWithoutTheApiKey() throws Exception {
        String link = server.baseUri() + "/bucket/upload-key?X-Amz-Signature=abc";
        server.thenJson(201, attachment("pending", ",\"upload\":{\"method\":\"PUT\",\"url\":\"" + link
                        + "\",\"headers\":{\"Content-Type\":\"image/png\",\"Content-Length\":\"3\"},"
                        + "\"expiresAt\":\"2024-05-01T12:05:00.000Z\"}"))
                .then(new Reply(200, java.util.Map.of(), ""));
        byte[] bytes = {1, 2, 3};

        Attachment created = client.uploadAttachment("chat-1", "m1", "image/png", bytes, "cat.png");

        assertThat(created.isPending()).isTrue();
        assertThat(created.upload().headers()).containsEntry("Content-Type", "image/png");
        assertThat(created.upload().toString()).doesNotContain("abc");
        Received announce = server.received().get(0);
        assertThat(announce.rawPath()).isEqualTo("/v1/chats/chat-1/messages/m1/attachments");
        assertThat(JSON.readTree(announce.body())).isEqualTo(
                JSON.readTree("{\"contentType\":\"image/png\",\"size\":3,\"filename\":\"cat.png\"}"));
        Received put = server.received().get(1);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.rawPath()).isEqualTo("/bucket/upload-key");
        assertThat(put.rawQuery()).isEqualTo("X-Amz-Signature=abc");
        assertThat(put.header("Content-Type")).isEqualTo("image/png");
        assertThat(put.header("Content-Length")).isEqualTo("3");
        assertThat(put.header("Authorization")).as("the key never goes to storage").isNull();
        assertThat(put.body()).containsExactly(bytes);
    }

    @Test
    void attachments_shouldBeListedAndRead() {
        server.thenJson(200, "{\"items\":[" + attachment("ready", "") + "]}")
                .thenJson(200, attachment("rejected", "").replace("\"rejection\":null",
                        "\"rejection\":{\"reason\":\"corrupt_image\",\"message\":\"truncated\"}"));

        List<Attachment> all = client.listAttachments("chat-1", "m1");
        Attachment rejected = client.getAttachment("chat-1", "m1", "a1");

        assertThat(all).singleElement().satisfies(a -> {
            assertThat(a.isReady()).isTrue();
            assertThat(a.upload()).isNull();
            assertThat(a.width()).isEqualTo(2);
        });
        assertThat(rejected.isRejected()).isTrue();
        assertThat(rejected.rejection().reason()).isEqualTo("corrupt_image");
        assertThat(server.received().get(1).rawPath()).isEqualTo("/v1/chats/chat-1/messages/m1/attachments/a1");
    }

    private static String attachment(String status, String extra) {
        return ("{\"attachmentId\":\"a1\",\"chatId\":\"chat-1\",\"messageId\":\"m1\",\"status\":\"%s\","
                + "\"declaredContentType\":\"image/png\",\"declaredSize\":3,\"filename\":\"cat.png\","
                + "\"contentType\":\"image/png\",\"size\":3,\"width\":2,\"height\":1,\"sha256\":null,"
                + "\"rejection\":null,\"url\":null,\"thumbnailUrl\":null,\"urlsExpireAt\":null,"
                + "\"createdAt\":\"2024-05-01T12:00:00.000Z\",\"completedAt\":null%s}").formatted(status, extra);
    }

}
