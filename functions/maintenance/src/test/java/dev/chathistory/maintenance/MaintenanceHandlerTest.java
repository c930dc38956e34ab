package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingJobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;

class MaintenanceHandlerTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final FakeActiveUsers index = new FakeActiveUsers(2);
    private final RecordingJobQueue queue = new RecordingJobQueue();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final FakeSqs sqs = new FakeSqs();
    private final RecordingMaintenanceMetrics metrics = new RecordingMaintenanceMetrics();
    private final AtomicInteger ids = new AtomicInteger();
    private final InMemoryAttachmentRepository attachments =
            new InMemoryAttachmentRepository(new InMemoryMessageRepository());
    private final List<String> deletedObjects = new ArrayList<>();
    private final MaintenanceHandler handler = new MaintenanceHandler(new Maintenance(
            new ActiveUserSweep(checkpoints, index, new UserJobEnqueuer(queue, () -> "job-" + ids.incrementAndGet()),
                    () -> "run-" + ids.incrementAndGet(), clock, 2, Duration.ofHours(24), Duration.ofSeconds(60)),
            new DeadLetterQueue(sqs, "dlq"),
            new StaleJobExpiry(jobs, clock, Duration.ofHours(24)),
            new DeadLetterRedrive(sqs, "dlq", "jobs"),
            checkpoints, metrics, clock).withBlobSweep(new UnreferencedBlobSweep(attachments, deletedObjects::add,
                    clock, Duration.ofHours(24))), Duration.ofSeconds(30), metrics::flush);

    @Test
    void handleRequest_shouldSweepAndReturnTheSummary_withItsMetrics() {
        index.activeAt(new UserRef("t1", "alice"), NOW.minus(Duration.ofHours(2)));
        index.activeAt(new UserRef("t1", "bob"), NOW.minus(Duration.ofHours(3)));
        sqs.put("dlq", "{}", NOW.minusSeconds(600).toEpochMilli());
        jobs.create(Job.queued(new JobRequest("stuck", JobType.EXPORT, "t1", "alice", null),
                NOW.minus(Duration.ofHours(30))), NOW.plus(Duration.ofDays(7)));
        BlobId old = new BlobId("t1", "a".repeat(64));
        BlobId recent = new BlobId("t2", "b".repeat(64));
        attachments.createBlob(Blob.unstored(old, ImageType.PNG, 10, 1, 1, "image/png", NOW.minusSeconds(25 * 3600)));
        attachments.createBlob(Blob.unstored(recent, ImageType.PNG, 10, 1, 1, "image/png", NOW.minusSeconds(3600)));

        Map<String, Object> summary = handler.handleRequest(Map.of("action", "sweep"), LocalLambdaContext.withRemainingTime("maintenance", () -> 300_000));

        assertThat(deletedObjects).as("only the blob unreferenced for longer than the grace period")
                .containsExactlyInAnyOrder("blobs/t1/sha256/" + old.sha256(), "thumbnails/t1/sha256/" + old.sha256());
        assertThat(attachments.findBlob(old)).isEmpty();
        assertThat(attachments.findBlob(recent)).isPresent();
        assertThat(summary).containsExactly(
                Map.entry("usersFound", 2),
                Map.entry("jobsEnqueued", 4),
                Map.entry("complete", true),
                Map.entry("dlqDepth", 1L),
                Map.entry("dlqOldestAgeSeconds", 600L),
                Map.entry("staleJobsExpired", 1),
                Map.entry("unreferencedBlobsDeleted", 1),
                Map.entry("orphanedChunksDeleted", 0),
                Map.entry("expiredAttachmentsDropped", 0),
                Map.entry("expiredExportsDeleted", 0),
                Map.entry("retentionJobsQueued", 0));
        assertThat(metrics.values()).isEqualTo(Map.of("JobsEnqueued", 4L, "StaleJobsExpired", 1L,
                "DeadLetterQueueDepth", 1L, "DeadLetterQueueOldestAgeSeconds", 600L, "OrphanedChunksDeleted", 0L,
                "ExpiredAttachmentsDropped", 0L, "ExpiredExportsDeleted", 0L, "RetentionJobsQueued", 0L));
        assertThat(metrics.flushes()).isEqualTo(1);
    }

    @Test
    void handleRequest_shouldSayItSkipped_whenAnotherSweepHoldsTheLease() {
        checkpoints.takeOver("other", NOW.plus(Duration.ofMinutes(5)));

        Map<String, Object> summary = handler.handleRequest(Map.of("action", "sweep"), LocalLambdaContext.withRemainingTime("maintenance", () -> 300_000));

        assertThat(summary).isEqualTo(Map.of("skipped", "another sweep holds the lease"));
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void handleRequest_shouldStopTheSweepEarly_whenTheInvocationIsAboutToTimeOut() {
        index.activeAt(new UserRef("t1", "alice"), NOW.minus(Duration.ofHours(2)));

        Map<String, Object> summary = handler.handleRequest(Map.of("action", "sweep"), LocalLambdaContext.withRemainingTime("maintenance", () -> 29_000));

        assertThat(summary).containsEntry("complete", false).containsEntry("usersFound", 0);
        assertThat(checkpoints.read().run()).isPresent();
    }

    @Test
    void handleRequest_shouldRedriveUpToMax() {
        for (int i = 0; i < 15; i++) {
            sqs.put("dlq", "{\"n\":" + i + "}", 0);
        }

        Map<String, Object> summary = handler.handleRequest(Map.of("action", "redrive-dlq", "max", 12),
                LocalLambdaContext.withRemainingTime("maintenance", () -> 300_000));

        assertThat(summary).isEqualTo(Map.of("moved", 12, "failed", 0));
        assertThat(sqs.bodies("jobs")).hasSize(12);
        assertThat(metrics.value("JobsRedriven")).isEqualTo(12L);
    }

    @Test
    void handleRequest_shouldFailWithAClearMessage_forAnUnknownAction() {
        assertThatThrownBy(() -> handler.handleRequest(Map.of("action", "redrive"), LocalLambdaContext.withRemainingTime("maintenance", () -> 300_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown maintenance action \"redrive\"");
        assertThat(queue.sent()).isEmpty();
        assertThat(sqs.receives).isEmpty();
    }

    @Test
    void handleRequest_shouldStillFlushMetrics_andFinishHousekeeping_whenTheSweepFails() {
        index.activeAt(new UserRef("t1", "alice"), NOW.minus(Duration.ofHours(2)));
        queue.failWith(new IllegalStateException("queue down"));
        BlobId old = new BlobId("t1", "a".repeat(64));
        attachments.createBlob(Blob.unstored(old, ImageType.PNG, 10, 1, 1, "image/png", NOW.minusSeconds(25 * 3600)));

        assertThatThrownBy(() -> handler.handleRequest(Map.of("action", "sweep"), LocalLambdaContext.withRemainingTime("maintenance", () -> 300_000)))
                .isInstanceOf(UserJobEnqueuer.JobsNotSentException.class);
        assertThat(metrics.flushes()).isEqualTo(1);
        assertThat(attachments.findBlob(old)).as("the steps beside the sweep ended before the invocation").isEmpty();
    }

    @Test
    void handleRequest_shouldRunTheOtherStepsBesideTheActiveUserSweep() {
        CountDownLatch dlqAsked = new CountDownLatch(1);
        ActiveUsers waitsForTheDlq = (shardKey, from, to, startKey, limit) -> {
            // Run one after the other, the DLQ would only be asked once the sweep is over.
            if (!await(dlqAsked)) {
                throw new AssertionError("the DLQ step did not run while the sweep was reading");
            }
            return index.page(shardKey, from, to, startKey, limit);
        };
        SqsClient countingSqs = dlqDepthFrom(request -> {
            dlqAsked.countDown();
            return sqs.getQueueAttributes(request);
        });
        index.activeAt(new UserRef("t1", "alice"), NOW.minus(Duration.ofHours(2)));

        Map<String, Object> summary = maintenance(waitsForTheDlq, countingSqs).sweep("invocation", TimeBudget.unlimited());

        assertThat(summary).containsEntry("usersFound", 1).containsEntry("complete", true);
    }

    @Test
    void handleRequest_shouldFail_whenAStepBesideTheSweepFails_afterTheSweepIsSaved() {
        index.activeAt(new UserRef("t1", "alice"), NOW.minus(Duration.ofHours(2)));
        MaintenanceHandler failingDlq = new MaintenanceHandler(maintenance(index, dlqDepthFrom(request -> {
            throw new IllegalStateException("queue unavailable");
        })), Duration.ofSeconds(30), metrics::flush);

        assertThatThrownBy(() -> failingDlq.handleRequest(Map.of("action", "sweep"), LocalLambdaContext.withRemainingTime("maintenance", () -> 300_000)))
                .isInstanceOf(IllegalStateException.class).hasMessage("queue unavailable");

        assertThat(checkpoints.read().doneUntil()).as("the sweep's window is done").isPresent();
        assertThat(queue.sent()).hasSize(2);
        assertThat(metrics.value("JobsEnqueued")).isEqualTo(2L);
        assertThat(metrics.flushes()).isEqualTo(1);
    }

    /** Maintenance on this test's fakes, with the given active-users index and DLQ client. */
    private Maintenance maintenance(ActiveUsers activeUsers, SqsClient dlq) {
        return new Maintenance(
                new ActiveUserSweep(checkpoints, activeUsers,
                        new UserJobEnqueuer(queue, () -> "job-" + ids.incrementAndGet()),
                        () -> "run-" + ids.incrementAndGet(), clock, 2, Duration.ofHours(24), Duration.ofSeconds(60)),
                new DeadLetterQueue(dlq, "dlq"), new StaleJobExpiry(jobs, clock, Duration.ofHours(24)),
                new DeadLetterRedrive(sqs, "dlq", "jobs"), checkpoints, metrics, clock);
    }

    /** An SQS client that answers only the DLQ depth, with {@code answer}. */
    private static SqsClient dlqDepthFrom(Function<GetQueueAttributesRequest, GetQueueAttributesResponse> answer) {
        return new SqsClient() {
            @Override
            public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
                return answer.apply(request);
            }

            @Override
            public String serviceName() {
                return SERVICE_NAME;
            }

            @Override
            public void close() {
            }
        };
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
