package dev.chathistory.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.contract.LambdaExchanges;
import dev.chathistory.messageapi.MessageApiHandler;
import dev.chathistory.shared.archive.Gzip;
import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbLeases;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.ExportJob;
import dev.chathistory.userbatch.UserBatchHandler;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The races that let an erase report {@code verified} while data was still stored, each driven
 * deterministically on the local stack (the job function's IAM enforced): an archive of another
 * member of a group chat, a warm API container that does not file a chat again, an export
 * submitted before the erase or half-uploaded when it runs, and an export too large for one
 * delivery. Each test uses its own users and chats.
 */
class EraseRacesIT {

    private static JobsStack stack;
    private static UserBatchHandler handler;
    private static DynamoDbLeases leases;
    private static DynamoDbUserRepository users;

    @BeforeAll
    static void start() {
        stack = new JobsStack(5);
        handler = stack.batchHandler(new BatchConfig(4, Duration.ofSeconds(1), Duration.ofSeconds(2), 5,
                Duration.ofSeconds(1)), java.time.Clock.systemUTC());
        leases = new DynamoDbLeases(stack.dynamoDb, stack.config.usersTable());
        users = new DynamoDbUserRepository(stack.dynamoDb, stack.config.usersTable());
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    private static UserRef user(String userId) {
        return new UserRef("tenant-test", userId);
    }

    /** Delivers only the queue's messages for {@code jobId} (others are left for later), once. */
    private static void deliverOnly(String jobId) {
        deliverOnly(handler, jobId);
    }

    private static void deliverOnly(UserBatchHandler container, String jobId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> received = stack.receive(stack.queueUrl, 1);
            List<Message> mine = new ArrayList<>();
            for (Message m : received) {
                if (m.body().contains(jobId)) {
                    mine.add(m);
                } else {
                    stack.sqs.changeMessageVisibility(b -> b.queueUrl(stack.queueUrl)
                            .receiptHandle(m.receiptHandle()).visibilityTimeout(0));
                }
            }
            if (!mine.isEmpty()) {
                assertThat(stack.deliverOnce(container, mine)).isEmpty();
                return;
            }
        }
        throw new AssertionError("job " + jobId + " never arrived");
    }

    private static List<JsonNode> download(String url) throws Exception {
        try (InputStream in = URI.create(url).toURL().openStream()) {
            String text = new String(Gzip.decompress(in.readAllBytes()), StandardCharsets.UTF_8);
            return text.lines().map(Json::parseTrusted).toList();
        }
    }

    private static List<String> texts(List<JsonNode> exportLines) {
        return exportLines.stream().filter(l -> l.path("kind").asText().equals("message"))
                .map(l -> l.path("text").asText()).toList();
    }

    @Test
    void archiveOfAnotherGroupMember_andErase_shouldNeverOverlap_andTheEraseShouldReachTheNewChunk() {
        for (int i = 0; i < 6; i++) {
            stack.append("group-1", i % 2 == 0 ? "g-leaving" : "g-staying", false, "group " + i);
        }
        ChatRef chat = new ChatRef("tenant-test", "group-1");
        // The staying member's archive job is running in the chat.
        Instant now = Instant.now();
        assertThat(leases.tryAcquire(Leases.chat(chat), "archive-of-g-staying", now, Duration.ofSeconds(30)))
                .isEmpty();
        String erase = stack.submitJob("g-leaving", Map.of("type", "erase"));

        deliverOnly(erase);

        assertThat(stack.job(erase).path("status").asText()).isEqualTo("running");
        assertThat(stack.history("group-1", 50, true)).as("nothing erased while the archive holds the chat")
                .filteredOn(m -> m.path("userId").asText().equals("g-leaving")).hasSize(3);

        // The archive commits a chunk holding the leaving member's messages, then lets go.
        UserBatchHandler archiver = stack.batchHandler(new BatchConfig(4, Duration.ofSeconds(1), Duration.ofSeconds(2),
                5, Duration.ofSeconds(1)), new MutableClock(now.plus(Duration.ofDays(3650))));
        leases.release(Leases.chat(chat), "archive-of-g-staying");
        String archive = stack.submitJob("g-staying", Map.of("type", "archive"));
        deliverOnly(archiver, archive);
        assertThat(stack.job(archive).path("counts").path("messagesArchived").asLong()).isEqualTo(6);
        stack.drain(handler);

        JsonNode done = stack.job(erase);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("counts").path("verified").asLong()).isEqualTo(1);
        assertThat(stack.history("group-1", 50, true)).extracting(m -> m.path("userId").asText())
                .containsOnly("g-staying").hasSize(3);
    }

    @Test
    void aUserWritingAgainFromAWarmContainer_afterTheirChatWasForgotten_shouldBeFiledAgain() throws Exception {
        MessageApiHandler warm = stack.apiRemembering(Duration.ofMinutes(10));
        JsonNode before = append(warm, "warm-chat", "w-user", "before the erase");
        assertThat(users.listChats(user("w-user"))).containsExactly("warm-chat");
        String erase = stack.submitJob("w-user", Map.of("type", "erase"));
        deliverOnly(erase);
        assertThat(users.listChats(user("w-user"))).as("forgotten once erased").isEmpty();

        // The warm container still remembers having filed the chat: it does not file it again.
        append(warm, "warm-chat", "w-user", "after the erase");
        assertThat(users.listChats(user("w-user"))).isEmpty();

        stack.drain(handler);

        JsonNode done = stack.job(erase);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("counts").path("chatsFiledAgain").asLong()).isEqualTo(1);
        assertThat(users.listChats(user("w-user"))).containsExactly("warm-chat");
        String export = stack.submitJob("w-user", Map.of("type", "export"));
        stack.drain(handler);
        assertThat(texts(download(stack.job(export).path("resultUrl").asText())))
                .containsExactly("after the erase").doesNotContain(before.path("text").asText());
    }

    @Test
    void anExportSubmittedBeforeAnErase_andDeliveredAfterIt_shouldNotRun() {
        stack.append("x-chat", "x-user", false, "private");
        String export = stack.submitJob("x-user", Map.of("type", "export"));
        String erase = stack.submitJob("x-user", Map.of("type", "erase"));

        deliverOnly(erase);
        stack.drain(handler);

        JsonNode cancelled = stack.job(export);
        assertThat(cancelled.path("status").asText()).isEqualTo("succeeded");
        assertThat(cancelled.path("counts").path("cancelledByErase").asLong()).isEqualTo(1);
        assertThat(cancelled.path("resultUrl").isNull()).isTrue();
        assertThat(stack.job(erase).path("counts").path("verified").asLong()).isEqualTo(1);
        assertThat(stack.objects.list(ExportJob.prefix(user("x-user")))).isEmpty();
    }

    @Test
    void anExportTooLargeForOneDelivery_shouldContinueFromItsCheckpoint_untilDone() throws Exception {
        UserBatchHandler sliced = stack.batchHandler(slicedExports(), java.time.Clock.systemUTC());
        for (String chat : List.of("big-a", "big-b", "big-c")) {
            stack.append(chat, "big-user", false, "in " + chat);
        }
        String export = stack.submitJob("big-user", Map.of("type", "export"));

        stack.drain(sliced);

        JsonNode done = stack.job(export);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("counts").path("deliveries").asLong()).isEqualTo(3);
        assertThat(texts(download(done.path("resultUrl").asText())))
                .containsExactlyInAnyOrder("in big-a", "in big-b", "in big-c");
        assertThat(stack.objects.list(ExportJob.prefix(user("big-user")))).as("no carry left")
                .containsExactly(ExportJob.prefix(user("big-user")) + export + ".jsonl.gz");
    }

    @Test
    void anEraseWhileAnExportIsHalfUploaded_shouldAbortTheUpload_andTheExportShouldNotFinish() {
        UserBatchHandler sliced = stack.batchHandler(slicedExports(), java.time.Clock.systemUTC());
        for (String chat : List.of("half-a", "half-b")) {
            stack.append(chat, "half-user", false, "in " + chat);
        }
        String export = stack.submitJob("half-user", Map.of("type", "export"));
        List<Message> first = stack.receive(stack.queueUrl, 5);
        assertThat(stack.deliverOnce(sliced, first)).isEmpty();
        assertThat(stack.job(export).path("status").asText()).isEqualTo("running");
        String erase = stack.submitJob("half-user", Map.of("type", "erase"));

        deliverOnly(erase);
        stack.drain(sliced);

        assertThat(stack.job(erase).path("counts").path("exportUploadsAborted").asLong()).isEqualTo(1);
        assertThat(stack.job(export).path("counts").path("cancelledByErase").asLong()).isEqualTo(1);
        assertThat(stack.s3.listMultipartUploads(b -> b.bucket(stack.bucket)
                .prefix(ExportJob.prefix(user("half-user")))).uploads()).isEmpty();
        assertThat(stack.objects.list(ExportJob.prefix(user("half-user")))).isEmpty();
    }

    /** Exports that stop after each chat, as if every chat took the whole invocation. */
    private static BatchConfig slicedExports() {
        return new BatchConfig(4, Duration.ofSeconds(1), Duration.ofSeconds(2), 5, Duration.ofSeconds(1),
                BatchConfig.DEFAULT_LEASE_TTL, new ExportJob.Limits(5L * 1024 * 1024, Duration.ZERO,
                Duration.ofSeconds(1)), Duration.ZERO);
    }

    private static JsonNode append(MessageApiHandler api, String chat, String user, String text) {
        ApiResult created = ApiResult.of(LambdaExchanges.invokeChecked(api, ApiEvent.fromFile("append-message.json")
                .request("POST", "/v1/chats/" + chat + "/messages")
                .withoutHeader("Idempotency-Key")
                .jsonBody(Map.of("userId", user, "isBot", false, "text", text)).toEvent()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }
}
