package dev.chathistory.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.archive.Gzip;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.UserBatchHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An erase killed with SIGKILL at random points, again and again, then run to the end, leaves
 * nothing of the user anywhere: no item of theirs in either table, no archived line of theirs
 * in any object of the bucket (orphans included), no export. Each delivery runs in a JVM of its
 * own ({@link EraseDelivery}) with the batch function's environment and role, so a kill is a
 * real kill: no finally block, no lease given back.
 */
class EraseCrashIT {

    private static final String LEAVING = "crash-leaving";
    private static final String STAYING = "crash-staying";
    private static final long SEED = 1603;
    private static final int KILLS = 6;
    private static final int KILL_WINDOW_FROM_MS = 300;
    private static final int KILL_WINDOW_MS = 2500;

    private static JobsStack stack;

    @BeforeAll
    static void start() {
        stack = new JobsStack(5);
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void killedAtRandomPoints_thenRunToTheEnd_shouldLeaveNothingOfTheUser() throws Exception {
        seedHistory();
        String jobId = stack.submitJob(LEAVING, Map.of("type", "erase"));
        String body = new JobRequest(jobId, JobType.ERASE, "tenant-test", LEAVING, null).toJson();
        Random random = new Random(SEED);
        List<Integer> progress = new ArrayList<>();
        progress.add(itemsNaming(stack.config.messagesTable(), LEAVING).size());

        for (int kill = 0; kill < KILLS; kill++) {
            Path log = Path.of("target", "erase-crash", "kill-" + kill + ".log");
            Process delivery = start(body, log);
            awaitLine(log, EraseDelivery.STARTED, delivery);
            // A whole first delivery takes about 1.5 s here once wired; kills fall anywhere in it.
            Thread.sleep(KILL_WINDOW_FROM_MS + random.nextInt(KILL_WINDOW_MS));
            delivery.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            progress.add(itemsNaming(stack.config.messagesTable(), LEAVING).size());
            // The killed delivery's leases lapse (JOB_LEASE_SECONDS=2 here) before the next one.
            Thread.sleep(2100);
        }
        // What each kill left: the items of the user still in the messages table, for the record.
        System.out.println("EraseCrashIT: user's items after each kill: " + progress);
        JsonNode job = stack.job(jobId);
        for (int attempt = 0; attempt < 10 && !job.path("status").asText().equals("succeeded"); attempt++) {
            Process delivery = start(body, Path.of("target", "erase-crash", "final-" + attempt + ".log"));
            assertThat(delivery.waitFor(120, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(1100);
            job = stack.job(jobId);
        }

        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("counts").path("verified").asLong()).isEqualTo(1);
        assertThat(itemsNaming(stack.config.messagesTable(), LEAVING)).as("messages table").isEmpty();
        assertThat(itemsNaming(stack.config.usersTable(), LEAVING)).as("users table")
                .allSatisfy(item -> assertThat(item).matches(key -> key.contains("#E#") || key.contains("#J#")
                        || key.startsWith("L#"), "only the tombstone, job records and leases"));
        for (String key : stack.objects.list("archive/")) {
            String lines = new String(Gzip.decompress(stack.objects.get(key).orElseThrow()), StandardCharsets.UTF_8);
            assertThat(lines).as(key).doesNotContain("\"" + LEAVING + "\"");
        }
        assertThat(stack.objects.list("exports/tenant-test/" + LEAVING + "/")).isEmpty();
        assertThat(stack.history("crash-group", 100, true)).extracting(m -> m.path("userId").asText())
                .containsOnly(STAYING).hasSize(10);
    }

    /** Two chats, one shared and archived in part, edits, settings and an export. */
    private static void seedHistory() {
        for (int i = 0; i < 20; i++) {
            String author = i % 2 == 0 ? LEAVING : STAYING;
            JsonNode m = stack.append("crash-group", author, false, "group " + i);
            if (author.equals(LEAVING) && i % 4 == 0) {
                stack.edit("crash-group", m.path("messageId").asText(), 1, "group " + i + " edited");
            }
            stack.append("crash-private", LEAVING, false, "private " + i);
        }
        Instant later = Instant.now().plus(Duration.ofDays(stack.jobsConfig.archiveAfterDays() + 1));
        UserBatchHandler archiver = stack.batchHandler(new BatchConfig(2, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 5, Duration.ofSeconds(1)), new MutableClock(later));
        stack.submitJob(STAYING, Map.of("type", "archive", "chatId", "crash-group"));
        stack.drain(archiver);
        stack.append("crash-group", LEAVING, false, "hot again");
        stack.submitJob(LEAVING, Map.of("type", "export"));
        stack.drain(stack.batchHandler(new BatchConfig(2, Duration.ofSeconds(1), Duration.ofSeconds(2), 5,
                Duration.ofSeconds(1)), java.time.Clock.systemUTC()));
        assertThat(stack.objects.list("exports/tenant-test/" + LEAVING + "/")).hasSize(1);
    }

    private static void awaitLine(Path log, String line, Process delivery) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            assertThat(delivery.isAlive()).as("delivery exited before starting: " + log).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("delivery never started: " + log);
    }

    private static Process start(String body, Path log) throws Exception {
        Map<String, String> env = new HashMap<>(stack.stack.environmentOf(JobsStack.BATCH));
        env.put("JOB_LEASE_SECONDS", "2");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "ChatHistoryTest");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                EraseDelivery.class.getName(), body));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Keys (pk#sk) of every item whose attributes name the user, anywhere in the table. */
    private static List<String> itemsNaming(String table, String userId) {
        List<String> found = new ArrayList<>();
        stack.dynamoDb.scanPaginator(b -> b.tableName(table)).items().forEach(item -> {
            if (item.values().stream().anyMatch(v -> mentions(v, userId))) {
                found.add(item.get("pk").s() + "|" + item.get("sk").s());
            }
        });
        return found;
    }

    private static boolean mentions(AttributeValue value, String userId) {
        return value.s() != null && (value.s().equals(userId) || value.s().contains("#" + userId)
                || value.s().contains("\"" + userId + "\""));
    }

}
