package dev.chathistory.client;

import static dev.chathistory.client.Fixtures.API_KEY;
import static dev.chathistory.client.Fixtures.clientFor;
import static dev.chathistory.client.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.chathistory.client.ScriptedServer.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ErrorsTest extends ScriptedServerTest {

    @Test
    void a412_shouldBeAConflict_withTheCurrentVersionFromTheBody() {
        server.then(Reply.json(412, "{\"error\":{\"code\":\"precondition_failed\",\"message\":\"message is at version "
                + "3, not 1\",\"requestId\":\"req-9\",\"currentVersion\":3}}").withHeader("ETag", "\"3\""));

        ConflictException conflict = catchThrowableOfType(() -> client.editText("chat-1", "m1", 1, "new"),
                ConflictException.class);

        assertThat(conflict.status()).isEqualTo(412);
        assertThat(conflict.code()).isEqualTo("precondition_failed");
        assertThat(conflict.currentVersion()).hasValue(3);
        assertThat(conflict.requestId()).isEqualTo("req-9");
        assertThat(conflict.getMessage()).contains("412", "precondition_failed", "version 3, not 1", "req-9");
    }

    @Test
    void a412WithoutCurrentVersionInTheBody_shouldTakeItFromTheETag() {
        server.then(Reply.json(412, Fixtures.error("precondition_failed", "stale")).withHeader("ETag", "W/\"7\""));

        ConflictException conflict = catchThrowableOfType(
                () -> client.putSettings("alice", JsonNodeFactory.instance.objectNode(), 2), ConflictException.class);

        assertThat(conflict.currentVersion()).hasValue(7);
    }

    @Test
    void apiGatewaysOwn401_shouldBeUnauthorized() {
        server.then(Reply.json(401, "{\"message\":\"Unauthorized\"}").withHeader("apigw-requestid", "gw-1"));

        ChatHistoryException e = catchThrowableOfType(() -> client.getJob("job-1"), ChatHistoryException.class);

        assertThat(e).isNotInstanceOf(ConflictException.class);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.code()).isEqualTo("unauthorized");
        assertThat(e.errorMessage()).isEqualTo("Unauthorized");
        assertThat(e.requestId()).isEqualTo("gw-1");
    }

    @Test
    void apiGatewaysOwn403_forADeniedKey_shouldBeUnauthorized() {
        server.then(Reply.json(403, "{\"message\":\"Forbidden\"}").withHeader("apigw-requestid", "gw-2"));

        ChatHistoryException e = catchThrowableOfType(() -> client.getJob("job-1"), ChatHistoryException.class);

        assertThat(e.status()).isEqualTo(403);
        assertThat(e.code()).isEqualTo("unauthorized");
        assertThat(e.errorMessage()).isEqualTo("Forbidden");
    }

    @Test
    void storagesXmlError_shouldGiveItsCodeAndMessage() {
        server.then(new Reply(403, java.util.Map.of("Content-Type", "application/xml"),
                "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature"
                        + " we calculated does not match</Message></Error>"));

        ChatHistoryException e = catchThrowableOfType(() -> client.getAttachment("c", "m", "a"),
                ChatHistoryException.class);

        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.errorMessage()).startsWith("The request signature");
    }

    @Test
    void theApiKey_shouldNeverAppearInAnException_evenWhenTheServerEchoesIt() {
        // A misbehaving proxy that quotes the request's Authorization header back.
        server.thenJson(400, "{\"error\":{\"code\":\"bad\",\"message\":\"bad header Bearer " + API_KEY
                + "\",\"requestId\":\"" + API_KEY + "\"}}");
        server.thenJson(403, "{\"message\":\"Forbidden for " + API_KEY + "\"}");
        server.then(new Reply(404, java.util.Map.of(), "<html>no route for " + API_KEY + "</html>"));

        for (int i = 0; i < 3; i++) {
            ChatHistoryException e = catchThrowableOfType(() -> client.getJob("job-1"), ChatHistoryException.class);
            assertThat(e).as("response %d", i).isNotNull();
            assertThat(allTextOf(e)).as("response %d", i).doesNotContain(API_KEY).contains("[redacted]");
            assertThat(e.errorMessage()).doesNotContain(API_KEY);
            assertThat(String.valueOf(e.requestId())).doesNotContain(API_KEY);
        }
        assertThat(client.toString()).doesNotContain(API_KEY).contains(server.baseUri().toString());
    }

    @Test
    void noResponseAtAll_shouldNeitherMentionTheKey() {
        server.then(Reply.dropConnection());
        client = clientFor(server, new Fixtures.RecordingSleeper()).maxAttempts(1).build();

        // A POST, because java.net.http itself repeats a GET once when the connection dies.
        ChatHistoryException e = catchThrowableOfType(() -> client.submitJob("alice", Job.RECOUNT),
                ChatHistoryException.class);

        assertThat(e.status()).isZero();
        assertThat(e.getCause()).isNotNull();
        assertThat(allTextOf(e)).doesNotContain(API_KEY);
    }

    @Test
    void aMessageWhoseVersionDisagreesWithItsETag_shouldBeAnInvalidResponse() {
        server.then(Reply.json(200, message("m1", 2)).withHeader("ETag", "\"3\""));

        assertThatThrownBy(() -> client.getMessage("chat-1", "m1"))
                .isInstanceOfSatisfying(ChatHistoryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ChatHistoryException.INVALID_RESPONSE);
                    assertThat(e.status()).isEqualTo(200);
                });
    }

    @Test
    void anUnreadableSuccessBody_shouldBeAnInvalidResponse() {
        server.thenJson(200, "{\"items\": 42");

        assertThatThrownBy(() -> client.listMessages("chat-1"))
                .isInstanceOfSatisfying(ChatHistoryException.class,
                        e -> assertThat(e.code()).isEqualTo(ChatHistoryException.INVALID_RESPONSE));
    }

    private static String allTextOf(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return e + "\n" + trace;
    }
}
