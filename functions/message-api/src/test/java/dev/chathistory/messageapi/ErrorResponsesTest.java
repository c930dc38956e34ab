package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.messageapi.http.ErrorCode;
import dev.chathistory.messageapi.http.HttpRequest;
import dev.chathistory.messageapi.http.HttpResponse;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.LimitExceededException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.error.StorageUnavailableException;
import dev.chathistory.shared.error.VersionConflictException;
import dev.chathistory.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Failures become HTTP here and only here: every domain problem has its status and wire code. */
class ErrorResponsesTest {

    private static final HttpRequest REQUEST = new HttpRequest("GET", "/v1/chats/c/messages", Map.of(), Map.of(),
            null, "req-1");

    @Test
    void codeOf_shouldGiveEveryProblemItsOwnWireCode() {
        Set<ErrorCode> codes = Arrays.stream(Problem.values()).map(ErrorResponses::codeOf).collect(Collectors.toSet());

        assertThat(codes).as("no two problems share a wire code").hasSize(Problem.values().length);
        assertThat(Arrays.stream(Problem.values()).filter(p -> p != Problem.STORAGE_UNAVAILABLE))
                .allSatisfy(problem -> assertThat(ErrorResponses.codeOf(problem).httpStatus())
                        .as("%s is the caller's to fix", problem).isBetween(400, 499));
        assertThat(ErrorResponses.codeOf(Problem.STORAGE_UNAVAILABLE)).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    }

    @Test
    void aDomainProblem_shouldBeAnsweredWithItsStatus_codeAndDetails() {
        HttpResponse response = ErrorResponses.of(new DomainException(Problem.TOO_MANY_ATTACHMENTS,
                "a message takes at most 10 attachments", Map.of("maxAttachments", 10)), REQUEST);

        assertThat(response.status()).isEqualTo(409);
        JsonNode error = error(response);
        assertThat(error.path("code").asText()).isEqualTo("too_many_attachments");
        assertThat(error.path("maxAttachments").asInt()).isEqualTo(10);
        assertThat(error.path("requestId").asText()).isEqualTo("req-1");
    }

    @Test
    void aVersionConflict_shouldBe412_withTheCurrentVersionAsETag() {
        HttpResponse response = ErrorResponses.of(new VersionConflictException("message", 2, 5), REQUEST);

        assertThat(response.status()).isEqualTo(412);
        assertThat(response.headers()).containsEntry("ETag", "\"5\"");
        assertThat(error(response).path("currentVersion").asLong()).isEqualTo(5);
    }

    @Test
    void aUsedUpLimit_shouldBe429_withRetryAfter() {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");
        HttpResponse response = ErrorResponses.of(new LimitExceededException(Problem.RATE_LIMITED, "slow down", now,
                now.plusMillis(2500)), REQUEST);

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.headers()).containsEntry("Retry-After", "3");
    }

    @Test
    void unavailableStorage_shouldBe503_withRetryAfter_andNothingOfTheCause() {
        HttpResponse response = ErrorResponses.of(new StorageUnavailableException("DynamoDB",
                "ApiCallTimeoutException", SdkClientException.create("secret endpoint detail")), REQUEST);

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "1");
        assertThat(error(response).path("code").asText()).isEqualTo("service_unavailable");
        assertThat(response.body()).doesNotContain("secret", "DynamoDB", "Timeout");
    }

    @Test
    void anythingElse_shouldBe500_sayingNothingOfItsCause() {
        HttpResponse response = ErrorResponses.of(new IllegalStateException("table name leaked"), REQUEST);

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("leaked");
        assertThat(error(response).path("code").asText()).isEqualTo("internal_error");
    }

    private static JsonNode error(HttpResponse response) {
        return Json.parseRequest(response.body().getBytes(StandardCharsets.UTF_8)).path("error");
    }
}
