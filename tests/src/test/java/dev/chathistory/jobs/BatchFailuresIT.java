package dev.chathistory.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.TestConfigs;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.UserBatchHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A batch with poison records against the emulator's SQS: only the poison records fail, each
 * failure hides its message for the backoff (visible on the job record too), after the receive
 * limit the message is in the DLQ, and every other job took effect exactly once.
 */
class BatchFailuresIT {

    private static final int MAX_RECEIVES = 3;
    private static final int GOOD_USERS = 8;
    private static final String POISON_USER = "poison-user";

    private static JobsStack stack;

    @BeforeAll
    static void start() {
        stack = new JobsStack(MAX_RECEIVES);
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void poisonRecords_shouldBackOffThenReachTheDlq_whileEveryOtherJobRunsOnce() {
        for (int u = 0; u < GOOD_USERS; u++) {
            for (int m = 0; m < 3; m++) {
                stack.append("chat-good-" + u, "good-" + u, m % 2 == 1, "message " + m);
            }
        }
        String poisonJob = corruptArchiveOf(POISON_USER);
        Map<String, String> goodJobs = new HashMap<>();
        for (int u = 0; u < GOOD_USERS; u++) {
            goodJobs.put("good-" + u, stack.submitJob("good-" + u, Map.of("type", "recount")));
        }
        String recountOfPoison = stack.submitJob(POISON_USER, Map.of("type", "recount"));
        stack.sqs.sendMessage(b -> b.queueUrl(stack.queueUrl).messageBody("{\"type\":\"recount\",\"jobId\":"));

        // Backoff of at least 2 s: the check that a failed record stays hidden runs right after the
        // delivery, and on a loaded machine "right after" has taken more than a 1 s backoff.
        Duration backoffMax = Duration.ofSeconds(6);
        UserBatchHandler handler = stack.batchHandler(new BatchConfig(10, Duration.ofSeconds(3),
                backoffMax, MAX_RECEIVES, Duration.ofSeconds(1)), Clock.systemUTC());
        List<List<String>> failuresPerDelivery = new ArrayList<>();
        Map<String, Integer> failedDeliveries = new HashMap<>();
        Map<String, Instant> awaitingRetry = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (dlqDepth() < 2 && System.nanoTime() < deadline) {
            // A failed record is back after its backoff, not after the queue's visibility timeout
            // (the batch function sets it with sqs:ChangeMessageVisibility, which its role must allow).
            awaitingRetry.forEach((id, failedAt) -> assertThat(Duration.between(failedAt, Instant.now()))
                    .as("record %s still hidden well past its longest backoff", id)
                    .isLessThan(backoffMax.plusSeconds(10)));
            List<Message> received = stack.receive(stack.queueUrl, 1);
            received.forEach(m -> awaitingRetry.remove(m.messageId()));
            if (received.isEmpty()) {
                continue;
            }
            List<String> failed = stack.deliverOnce(handler, received);
            failuresPerDelivery.add(failed);
            failed.forEach(id -> failedDeliveries.merge(id, 1, Integer::sum));
            failed.stream().filter(id -> failedDeliveries.get(id) < MAX_RECEIVES)
                    .forEach(id -> awaitingRetry.put(id, Instant.now()));
            if (!failed.isEmpty()) {
                Instant failedAt = Instant.now();
                // The failed messages are hidden for their backoff, not redelivered at once...
                assertThat(stack.receive(stack.queueUrl, 0)).extracting(Message::messageId)
                        .doesNotContainAnyElementsOf(failed);
                // ...and the job record says when the next try is.
                JsonNode record = stack.job(recountOfPoison);
                if (!record.path("status").asText().equals("failed")) {
                    assertThat(record.path("status").asText()).isEqualTo("running");
                    assertThat(Instant.parse(record.path("nextAttemptAt").asText()))
                            .isAfter(failedAt.minusSeconds(1));
                }
            }
        }

        assertThat(dlqDepth()).as("poison records in the DLQ").isEqualTo(2);
        assertThat(failuresPerDelivery.get(0)).as("first batch: only the poison records fail").hasSize(2);
        assertThat(failedDeliveries).as("deliveries of each poison record").hasSize(2)
                .allSatisfy((id, deliveries) -> assertThat(deliveries).isEqualTo(MAX_RECEIVES));
        JsonNode poison = stack.job(recountOfPoison);
        assertThat(poison.path("status").asText()).isEqualTo("failed");
        assertThat(poison.path("attempts").asInt()).isEqualTo(MAX_RECEIVES);
        assertThat(poison.path("error").asText()).contains("MissingChunkException");
        assertThat(stack.job(poisonJob).path("status").asText()).isEqualTo("succeeded");

        DynamoDbUserRepository users = new DynamoDbUserRepository(stack.dynamoDb, stack.config.usersTable());
        for (Map.Entry<String, String> good : goodJobs.entrySet()) {
            JsonNode job = stack.job(good.getValue());
            assertThat(job.path("status").asText()).isEqualTo("succeeded");
            assertThat(job.path("attempts").asInt()).as("delivered once").isEqualTo(1);
            assertThat(job.path("counts").path("messageCount").asLong()).isEqualTo(3);
            assertThat(users.findActivity(new UserRef(TestConfigs.TENANT, good.getKey())).orElseThrow()
                    .messageCount()).isEqualTo(3);
        }

        // A duplicate delivery of a finished job is recognised and changes nothing.
        String duplicateOf = goodJobs.get("good-0");
        JsonNode before = stack.job(duplicateOf);
        stack.sqs.sendMessage(b -> b.queueUrl(stack.queueUrl).messageBody("{\"jobId\":\"" + duplicateOf
                + "\",\"type\":\"recount\",\"tenantId\":\"" + TestConfigs.TENANT + "\",\"userId\":\"good-0\"}"));
        stack.drain(handler);
        assertThat(stack.job(duplicateOf)).isEqualTo(before);
    }

    /** A user whose archive lists a chunk whose object is gone: every recount of them fails. */
    private static String corruptArchiveOf(String user) {
        String chat = "chat-" + user;
        for (int m = 0; m < 3; m++) {
            stack.append(chat, user, false, "soon archived " + m);
        }
        String archiveJob = stack.submitJob(user, Map.of("type", "archive", "chatId", chat));
        stack.drain(stack.batchHandler(new BatchConfig(2, Duration.ofSeconds(1), Duration.ofSeconds(2),
                MAX_RECEIVES, Duration.ofSeconds(1)), new MutableClock(Instant.now().plus(Duration.ofDays(365)))));
        List<ArchiveChunk> chunks = new DynamoDbArchiveIndex(stack.dynamoDb, stack.config.messagesTable())
                .listAll(new ChatRef(TestConfigs.TENANT, chat));
        assertThat(chunks).hasSize(1);
        stack.objects.delete(chunks.get(0).objectKey());
        return archiveJob;
    }

    private static int dlqDepth() {
        return Integer.parseInt(stack.sqs.getQueueAttributes(b -> b.queueUrl(stack.deadLetterUrl)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages"));
    }
}
