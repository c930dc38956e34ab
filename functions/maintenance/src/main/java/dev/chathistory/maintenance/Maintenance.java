package dev.chathistory.maintenance;

import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.repository.dynamodb.DynamoDbJobRepository;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The maintenance actions, each returning the summary the invocation returns. */
public final class Maintenance {

    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    private final ActiveUserSweep sweep;
    private final DeadLetterQueue deadLetters;
    private final StaleJobExpiry staleJobs;
    private final DeadLetterRedrive redrive;
    private final CheckpointStore checkpoints;
    private final MaintenanceMetrics metrics;
    private final Clock clock;
    private UnreferencedBlobSweep blobs;
    private OrphanedChunkSweep orphanedChunks;
    private RetentionSweep retention;

    public Maintenance(ActiveUserSweep sweep, DeadLetterQueue deadLetters, StaleJobExpiry staleJobs,
                       DeadLetterRedrive redrive, CheckpointStore checkpoints, MaintenanceMetrics metrics,
                       Clock clock) {
        this.sweep = sweep;
        this.deadLetters = deadLetters;
        this.staleJobs = staleJobs;
        this.redrive = redrive;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Wires maintenance on the given clients: production, the local stack and the tests. */
    public static Maintenance create(ServiceConfig service, MaintenanceConfig config, DynamoDbClient dynamoDb,
                                     SqsClient sqs, Clock clock, MaintenanceMetrics metrics) {
        CheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamoDb, service.usersTable());
        MessageIdGenerator ids = MessageIdGenerator.ulid();
        ActiveUserSweep sweep = new ActiveUserSweep(checkpoints,
                new DynamoDbActiveUsers(dynamoDb, service.usersTable()),
                new UserJobEnqueuer(new SqsJobQueue(sqs, config.jobsQueueUrl()), ids),
                ids, clock, config.activeUserShards(), config.firstRunLookback(), config.indexSettleDelay());
        return new Maintenance(sweep,
                new DeadLetterQueue(sqs, config.deadLetterQueueUrl()),
                new StaleJobExpiry(new DynamoDbJobRepository(dynamoDb, service.usersTable()), clock,
                        config.staleJobAfter()),
                new DeadLetterRedrive(sqs, config.deadLetterQueueUrl(), config.jobsQueueUrl()),
                checkpoints, metrics, clock);
    }

    /** Adds the sweep of unreferenced attachment images to the scheduled run. */
    public Maintenance withBlobSweep(UnreferencedBlobSweep blobSweep) {
        this.blobs = blobSweep;
        return this;
    }

    /** Adds the sweep of archive chunk objects no manifest names to the scheduled run. */
    public Maintenance withOrphanedChunkSweep(OrphanedChunkSweep chunkSweep) {
        this.orphanedChunks = chunkSweep;
        return this;
    }

    /**
     * Adds the retention sweep to the scheduled run: attachments of expired messages, exports past
     * retention, and (through the orphaned-chunk sweep's walk of the archive) retention jobs for
     * chats whose archive holds expired messages.
     */
    public Maintenance withRetentionSweep(RetentionSweep retentionSweep) {
        this.retention = retentionSweep;
        return this;
    }

    /**
     * The scheduled run: enqueue jobs for the users active since the last run, report the DLQ,
     * expire stuck jobs, delete unreferenced images and orphaned archive chunks. Only the first
     * step needs the lease; the others are idempotent and independent of it and of each other,
     * so once the lease is held they run beside it ({@link Housekeeping}) and the run takes as
     * long as its longest step rather than their sum.
     *
     * @param invocationId unique per invocation; names the lease holder
     */
    public Map<String, Object> sweep(String invocationId, TimeBudget budget) {
        Optional<ActiveUserSweep.Lease> lease = sweep.acquire(invocationId, budget);
        if (lease.isEmpty()) {
            return Map.of("skipped", "another sweep holds the lease");
        }
        ActiveUserSweep.Result swept;
        Housekeeping.Report done;
        try (Housekeeping.Started housekeeping = new Housekeeping(deadLetters, staleJobs, blobs, orphanedChunks,
                retention, clock)
                .start(budget)) {
            try {
                swept = lease.get().sweep(budget);
            } catch (RuntimeException e) {
                housekeeping.awaitQuietly(e);
                throw e;
            }
            metrics.jobsEnqueued(swept.jobsEnqueued());
            done = housekeeping.await();
        }
        metrics.deadLetterQueue(done.deadLetters().depth(), done.deadLetters().oldestAgeSeconds());
        metrics.staleJobsExpired(done.staleJobsExpired());
        metrics.orphanedChunksDeleted(done.orphanedChunksDeleted());
        int retentionJobs = retention == null ? 0 : retention.takeJobsQueued();
        metrics.retentionSwept(done.retention().attachmentsDropped(), done.retention().exportsDeleted(), retentionJobs);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("usersFound", swept.usersFound());
        summary.put("jobsEnqueued", swept.jobsEnqueued());
        summary.put("complete", swept.complete());
        summary.put("dlqDepth", done.deadLetters().depth());
        summary.put("dlqOldestAgeSeconds", done.deadLetters().oldestAgeSeconds());
        summary.put("staleJobsExpired", done.staleJobsExpired());
        summary.put("unreferencedBlobsDeleted", done.unreferencedBlobsDeleted());
        summary.put("orphanedChunksDeleted", done.orphanedChunksDeleted());
        summary.put("expiredAttachmentsDropped", done.retention().attachmentsDropped());
        summary.put("expiredExportsDeleted", done.retention().exportsDeleted());
        summary.put("retentionJobsQueued", retentionJobs);
        LOG.info("sweep: {}", summary);
        return summary;
    }

    /** Moves up to {@code max} messages from the DLQ back to the job queue. */
    public Map<String, Object> redriveDeadLetters(int max, TimeBudget budget) {
        DeadLetterRedrive.Result result = redrive.redrive(max, budget);
        metrics.jobsRedriven(result.moved());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("moved", result.moved());
        summary.put("failed", result.failed());
        LOG.info("redrive-dlq: {}", summary);
        return summary;
    }

    /**
     * Makes every read the sweep makes once, changing nothing, so SnapStart's snapshot holds the
     * classes and warmed code of each request and response the first sweep after a restore meets.
     */
    public void prime() {
        checkpoints.read();
        deadLetters.depth();
        sweep.prime();
        staleJobs.prime();
        if (blobs != null) {
            blobs.prime();
        }
        if (orphanedChunks != null) {
            orphanedChunks.prime();
        }
        if (retention != null) {
            retention.prime();
        }
    }
}
