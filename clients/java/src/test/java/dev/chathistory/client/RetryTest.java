package dev.chathistory.client;

import static dev.chathistory.client.Fixtures.clientFor;
import static dev.chathistory.client.Fixtures.error;
import static dev.chathistory.client.Fixtures.job;
import static dev.chathistory.client.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.client.ScriptedServer.Received;
import dev.chathistory.client.ScriptedServer.Reply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTest extends ScriptedServerTest {

    @Test
    void anAppend_shouldBeRetriedOn503_withTheSameGeneratedIdempotencyKeyEveryTime() {
        server.thenJson(503, error("service_unavailable", "busy"))
                .thenJson(503, error("service_unavailable", "busy"))
                .then(Reply.json(201, message("m1", 1)).withHeader("ETag", "\"1\"")
                        .withHeader("Idempotent-Replayed", "true"));

        Appended appended = client.append("chat-1", NewMessage.of("alice", false, "hello"));

        assertThat(server.received()).hasSize(3);
        String key = server.received().get(0).header("Idempotency-Key");
        assertThat(key).matches("[0-9a-f-]{36}");
        assertThat(server.received()).extracting(r -> r.header("Idempotency-Key")).containsOnly(key);
        assertThat(server.received()).extracting(Received::bodyText).containsOnly(server.received().get(0).bodyText());
        assertThat(appended.idempotencyKey()).isEqualTo(key);
        assertThat(appended.replayed()).isTrue();
        assertThat(appended.message().messageId()).isEqualTo("m1");
    }

    @Test
    void twoAppends_shouldGetDifferentGeneratedKeys_andACallersKeyShouldBeSentAsIs() {
        server.thenJson(201, message("m1", 1)).thenJson(201, message("m2", 1)).thenJson(201, message("m3", 1));

        client.append("chat-1", NewMessage.of("alice", false, "one"));
        client.append("chat-1", NewMessage.of("alice", false, "two"));
        Appended own = client.append("chat-1", NewMessage.of("alice", false, "three"), "update-4711");

        assertThat(server.received().get(0).header("Idempotency-Key"))
                .isNotEqualTo(server.received().get(1).header("Idempotency-Key"));
        assertThat(server.received().get(2).header("Idempotency-Key")).isEqualTo("update-4711");
        assertThat(own.replayed()).isFalse();
    }

    @Test
    void retryAfter_shouldBeWaitedFor_insteadOfTheBackoff() {
        server.then(Reply.json(503, error("service_unavailable", "busy")).withHeader("Retry-After", "2"))
                .then(Reply.json(429, "{\"message\":\"Too Many Requests\"}").withHeader("Retry-After", "1"))
                .then(Reply.json(200, message("m1", 1)));

        client.getMessage("chat-1", "m1");

        assertThat(sleeper.delays).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void aLongRetryAfter_shouldBeCappedByThePolicy() {
        client = clientFor(server, sleeper)
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(2))
                .build();
        server.then(Reply.json(503, error("service_unavailable", "busy")).withHeader("Retry-After", "3600"))
                .thenJson(200, message("m1", 1));

        client.getMessage("chat-1", "m1");

        assertThat(sleeper.delays).containsExactly(RetryPolicy.DEFAULT.maxRetryAfter());
    }

    @Test
    void withoutRetryAfter_theWaitShouldBeAJitteredShareOfADoublingCappedCeiling() {
        client = clientFor(server, sleeper)
                .retryPolicy(new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(5)))
                .random(Fixtures.fixedRandom(0.5))
                .build();
        for (int i = 0; i < 4; i++) {
            server.thenJson(502, "{\"message\":\"Internal Server Error\"}");
        }

        assertThatThrownBy(() -> client.getJob("job-1"))
                .isInstanceOfSatisfying(ChatHistoryException.class, e -> assertThat(e.status()).isEqualTo(502));

        // Ceilings 100, 200, then 400 capped to 250 ms; half of each with the fixed "random" 0.5.
        assertThat(sleeper.delays).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofMillis(125));
        assertThat(server.received()).as("4 attempts in all by default").hasSize(4);
    }

    @Test
    void a500_shouldNotBeRetried() {
        server.thenJson(500, error("internal_error", "internal error"));

        assertThatThrownBy(() -> client.getMessage("chat-1", "m1"))
                .isInstanceOfSatisfying(ChatHistoryException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.code()).isEqualTo("internal_error");
                });
        assertThat(server.received()).hasSize(1);
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void a400_shouldNotBeRetried_evenOnAnAppend() {
        server.thenJson(400, error("validation_failed", "text is required"));

        assertThatThrownBy(() -> client.append("chat-1", NewMessage.of("alice", false, "")))
                .isInstanceOfSatisfying(ChatHistoryException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("validation_failed");
                    assertThat(e.errorMessage()).isEqualTo("text is required");
                    assertThat(e.requestId()).isEqualTo("req-1");
                });
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aJobSubmission_shouldNotBeRetriedOn502_whichMayHideAJobThatWasCreated() {
        server.thenJson(502, "{\"message\":\"Internal Server Error\"}");

        assertThatThrownBy(() -> client.submitJob("alice", Job.RECOUNT))
                .isInstanceOfSatisfying(ChatHistoryException.class, e -> assertThat(e.status()).isEqualTo(502));
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aJobSubmission_shouldNotBeRetried_whenTheConnectionDiesMidRequest() {
        server.then(Reply.dropConnection());

        assertThatThrownBy(() -> client.submitJob("alice", Job.RECOUNT))
                .isInstanceOfSatisfying(ChatHistoryException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.code()).isEqualTo(ChatHistoryException.NO_RESPONSE);
                });
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aJobSubmission_shouldBeRetriedOn503_whichTheServiceAnswersBeforeDoingWork() {
        server.thenJson(503, error("service_unavailable", "busy")).thenJson(202, job("queued"));

        Job job = client.submitJob("alice", Job.RECOUNT);

        assertThat(job.status()).isEqualTo("queued");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void aJobSubmission_shouldBeRetried_whenNoConnectionCouldBeOpened() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        ChatHistoryClient refused = ChatHistoryClient.builder().baseUri(closed).apiKey(Fixtures.API_KEY)
                .sleeper(sleeper).random(Fixtures.fixedRandom(0)).build();

        assertThatThrownBy(() -> refused.submitJob("alice", Job.RECOUNT))
                .isInstanceOfSatisfying(ChatHistoryException.class,
                        e -> assertThat(e.code()).isEqualTo(ChatHistoryException.NO_RESPONSE));
        assertThat(sleeper.delays).as("3 retries after the first attempt").hasSize(3);
    }

    @Test
    void anAppend_shouldBeRetried_whenTheConnectionDiesMidRequest() {
        // Not a GET: java.net.http itself repeats a GET once when the connection dies, which
        // would make this test pass without the client's own retry.
        server.then(Reply.dropConnection()).thenJson(201, message("m1", 1));

        Appended appended = client.append("chat-1", NewMessage.of("alice", false, "hello"));

        assertThat(appended.message().messageId()).isEqualTo("m1");
        assertThat(server.received()).hasSize(2);
        assertThat(server.received().get(1).header("Idempotency-Key"))
                .isEqualTo(server.received().get(0).header("Idempotency-Key"));
        assertThat(sleeper.delays).hasSize(1);
    }

    @Test
    void anEdit_shouldBeRetriedOn504_withTheSameIfMatch() {
        server.thenJson(504, "{\"message\":\"Endpoint request timed out\"}")
                .then(Reply.json(200, message("m1", 3)).withHeader("ETag", "\"3\""));

        client.editText("chat-1", "m1", 2, "fixed");

        assertThat(server.received()).extracting(r -> r.header("If-Match")).containsExactly("\"2\"", "\"2\"");
    }

    @Test
    void maxAttemptsOne_shouldTurnRetriesOff() {
        client = clientFor(server, sleeper).maxAttempts(1).build();
        server.thenJson(503, error("service_unavailable", "busy"));

        assertThatThrownBy(() -> client.getSettings("alice")).isInstanceOf(ChatHistoryException.class);
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aConflict_shouldNotBeRetried() {
        server.thenJson(412, "{\"error\":{\"code\":\"precondition_failed\",\"message\":\"stale\","
                + "\"requestId\":\"r\",\"currentVersion\":5}}");

        assertThatThrownBy(() -> client.delete("chat-1", "m1", 4)).isInstanceOf(ConflictException.class);
        assertThat(server.received()).hasSize(1);
    }
}
