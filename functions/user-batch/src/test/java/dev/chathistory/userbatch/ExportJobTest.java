package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.archive.ArchiveReader;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryErasures;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryLeases;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryMultipartUploads;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Export on the in-memory fakes: resumable across deliveries, and cancelled by a later erase. */
class ExportJobTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final UserRef USER = new UserRef("t1", "u1");
    /** A ULID minted just before NOW: the job was submitted then. */
    private static final String JOB_ID = com.github.f4b6a3.ulid.Ulid.min(NOW.toEpochMilli() - 1000).toString();

    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryArchiveIndex index = new InMemoryArchiveIndex(messages);
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final InMemoryMultipartUploads uploads = new InMemoryMultipartUploads(objects);
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final InMemoryErasures erasures = new InMemoryErasures();
    private final MutableClock clock = new MutableClock(NOW);
    private final MessageIdGenerator ids = MessageIdGenerator.ulid();
    private final JobRequest request = new JobRequest(JOB_ID, JobType.EXPORT, "t1", "u1", null);

    private ExportJob job(Duration slice) {
        return new ExportJob(new UserMessages(messages, index, new ArchiveReader(index, objects, 1 << 20)), users,
                objects, uploads, new InMemoryAttachmentRepository(messages), jobs, erasures, new InMemoryLeases(),
                clock, Duration.ofMinutes(5), new ExportJob.Limits(5L * 1024 * 1024, slice, Duration.ofSeconds(20)));
    }

    private void write(String chatId, String text) {
        messages.insert(new ChatRef("t1", chatId), Message.first(chatId, ids.nextId(), "u1", false, text, null, NOW));
        users.rememberChat(USER, chatId, NOW);
    }

    private JobOutcome deliver(ExportJob job) {
        jobs.start(request, 1, clock.instant(), clock.instant().plus(Duration.ofDays(1)));
        return job.run(new JobRun(request, JOB_ID + ":" + ids.nextId(), NOW.plus(Duration.ofMinutes(5))));
    }

    private List<JsonNode> lines(String key) throws IOException {
        byte[] gz = objects.get(key).orElseThrow();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(Json::parseTrusted).toList();
        }
    }

    @Test
    void export_shouldContinueInNewDeliveries_untilEveryChatIsWritten_asOneGzipObject() throws IOException {
        write("chat-a", "one");
        write("chat-b", "two");
        write("chat-c", "three");
        ExportJob sliced = job(Duration.ZERO);

        JobOutcome first = deliver(sliced);
        JobOutcome second = deliver(sliced);
        JobOutcome last = deliver(sliced);

        assertThat(first.finished()).isFalse();
        assertThat(first.continueAfter()).isZero();
        assertThat(second.finished()).isFalse();
        assertThat(last.finished()).isTrue();
        assertThat(last.counts()).containsEntry("deliveries", 3L).containsEntry("messages", 3L)
                .containsEntry("chats", 3L);
        assertThat(uploads.openUploads()).isZero();
        assertThat(objects.list("exports/")).as("carries deleted").containsExactly(last.resultKey());
        assertThat(lines(last.resultKey())).extracting(line -> line.path("kind").asText())
                .containsExactly("export", "settings", "chat", "message", "chat", "message", "chat", "message");
        assertThat(lines(last.resultKey())).filteredOn(line -> line.has("text"))
                .extracting(line -> line.get("text").asText()).containsExactly("one", "two", "three");
    }

    @Test
    void export_shouldWriteEverythingInOneDelivery_whenTimeAllows() throws IOException {
        write("chat-a", "one");
        write("chat-b", "two");

        JobOutcome outcome = deliver(job(Duration.ofMinutes(4)));

        assertThat(outcome.finished()).isTrue();
        assertThat(outcome.counts()).containsEntry("deliveries", 1L).containsEntry("parts", 1L);
        assertThat(lines(outcome.resultKey())).hasSize(6);
    }

    @Test
    void export_shouldNotRun_whenTheUserWasErasedAfterItWasSubmitted() {
        write("chat-a", "one");
        write("chat-b", "two");
        ExportJob sliced = job(Duration.ZERO);
        assertThat(deliver(sliced).finished()).isFalse();
        erasures.record(USER, NOW, "job-erase");

        JobOutcome outcome = deliver(sliced);

        assertThat(outcome.counts()).containsEntry("cancelledByErase", 1L);
        assertThat(outcome.resultKey()).isNull();
        assertThat(uploads.openUploads()).isZero();
        assertThat(objects.list("exports/")).isEmpty();
    }

    @Test
    void batchConfig_shouldRefuseExportPartsThatCannotAllFitTemporaryStorage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BatchConfig(30, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 5, Duration.ofSeconds(5), BatchConfig.DEFAULT_LEASE_TTL,
                new ExportJob.Limits(10L * 1024 * 1024, Duration.ofMinutes(4), Duration.ofSeconds(20)),
                BatchConfig.DEFAULT_SETTLE_MARGIN)).hasMessageContaining("half of /tmp");
    }

    @Test
    void export_shouldWriteTheHeaderAgain_whenItsFirstDeliveryDiedBeforeSavingItsPlace() throws IOException {
        write("chat-a", "one");
        ExportJob job = job(Duration.ofMinutes(4));
        // The first delivery started the upload and saved the plan, then its container died.
        jobs.start(request, 1, NOW, NOW.plus(Duration.ofDays(1)));
        jobs.saveCheckpoint(request, new ExportCheckpoint(uploads.start(
                ExportJob.prefix(USER) + JOB_ID + ".jsonl.gz", "application/gzip"), List.of("chat-a")).toJson());

        JobOutcome outcome = deliver(job);

        assertThat(lines(outcome.resultKey())).extracting(line -> line.path("kind").asText())
                .containsExactly("export", "settings", "chat", "message");
    }
}
