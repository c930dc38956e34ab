package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.testing.CallRecorder;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingJobQueue;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SnapStart priming makes each read of a sweep once, and writes nothing anywhere. */
class MaintenancePrimingTest {

    private final CallRecorder recorder = new CallRecorder();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final FakeSqs sqs = new FakeSqs();
    private final RecordingJobQueue queue = new RecordingJobQueue();
    private final List<String> deletedObjects = new ArrayList<>();

    @Test
    void prime_shouldMakeEveryReadOfASweep_andWriteNothing() {
        CheckpointStore checkpoints = recorder.wrap(CheckpointStore.class, new InMemoryCheckpointStore());
        InMemoryMessageRepository messages = new InMemoryMessageRepository();
        Maintenance maintenance = new Maintenance(
                new ActiveUserSweep(checkpoints, recorder.wrap(ActiveUsers.class, new FakeActiveUsers(2)),
                        new UserJobEnqueuer(queue, () -> "job"), () -> "run", clock, 2, Duration.ofHours(24),
                        Duration.ofSeconds(60)),
                new DeadLetterQueue(sqs, "dlq"),
                new StaleJobExpiry(recorder.wrap(JobRepository.class, new InMemoryJobRepository()), clock,
                        Duration.ofHours(24)),
                new DeadLetterRedrive(sqs, "dlq", "jobs"), checkpoints, new RecordingMaintenanceMetrics(), clock)
                .withBlobSweep(new UnreferencedBlobSweep(
                        recorder.wrap(AttachmentRepository.class, new InMemoryAttachmentRepository(messages)),
                        deletedObjects::add, clock, Duration.ofHours(24)))
                .withOrphanedChunkSweep(new OrphanedChunkSweep(
                        recorder.wrap(ArchiveObjects.class, new InMemoryArchiveObjects(clock)),
                        recorder.wrap(ArchiveIndex.class, new InMemoryArchiveIndex(messages)),
                        recorder.wrap(ArchiveSweepPosition.class, new InMemoryArchiveSweepPosition()), clock,
                        Duration.ofHours(24)));

        new MaintenanceHandler(maintenance, Duration.ofSeconds(30), () -> { }).beforeCheckpoint(null);

        assertThat(recorder.calls()).containsExactly("CheckpointStore.read", "ActiveUsers.page", "JobRepository.listOpen",
                "AttachmentRepository.listUnreferencedBlobs", "ArchiveSweepPosition.read", "ArchiveObjects.listAfter");
        assertThat(deletedObjects).isEmpty();
        assertThat(sqs.sendBatches).isEmpty();
        assertThat(sqs.deleteBatches).isEmpty();
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void beforeCheckpoint_shouldNeverStopTheCheckpoint_whenPrimingFails() {
        CheckpointStore unreachable = (CheckpointStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CheckpointStore.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("no network before the snapshot");
                });
        Maintenance maintenance = new Maintenance(null, new DeadLetterQueue(sqs, "dlq"), null,
                new DeadLetterRedrive(sqs, "dlq", "jobs"), unreachable, new RecordingMaintenanceMetrics(), clock);

        new MaintenanceHandler(maintenance, Duration.ZERO, () -> { }).beforeCheckpoint(null);
    }
}
