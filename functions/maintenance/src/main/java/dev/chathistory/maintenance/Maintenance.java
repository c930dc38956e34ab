package dev.chathistory.maintenance;

import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.repository.dynamodb.DynamoDbJobRepository;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
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
     * The scheduled run: enqueue jobs for the users active since the last run, report the DLQ,
     * expire stuck jobs, delete unreferenced images and orphaned archive chunks. Only the first
     * step needs the lease; the others are idempotent.
     *
     * @param invocationId unique per invocation; names the lease holder
     */
    public Map<String, Object> sweep(String invocationId, TimeBudget budget) {
        ActiveUserSweep.Result swept = sweep.run(invocationId, budget);
        if (swept.skipped()) {
            return Map.of("skipped", "another sweep holds the lease");
        }
        metrics.jobsEnqueued(swept.jobsEnqueued());

        DeadLetterQueue.Report dlq = deadLetters.report(clock.instant());
        metrics.deadLetterQueue(dlq.depth(), dlq.oldestAgeSeconds());

        int expired = staleJobs.expire(budget);
        metrics.staleJobsExpired(expired);

        int blobsDeleted = blobs == null ? 0 : blobs.run(budget);

        int chunksDeleted = orphanedChunks == null ? 0 : orphanedChunks.run(budget);
        metrics.orphanedChunksDeleted(chunksDeleted);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("usersFound", swept.usersFound());
        summary.put("jobsEnqueued", swept.jobsEnqueued());
        summary.put("complete", swept.complete());
        summary.put("dlqDepth", dlq.depth());
        summary.put("dlqOldestAgeSeconds", dlq.oldestAgeSeconds());
        summary.put("staleJobsExpired", expired);
        summary.put("unreferencedBlobsDeleted", blobsDeleted);
        summary.put("orphanedChunksDeleted", chunksDeleted);
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

    /** Reads without changing anything, so SnapStart's snapshot has the SDK's classes loaded. */
    public void prime() {
        checkpoints.read();
        deadLetters.depth();
    }
}
