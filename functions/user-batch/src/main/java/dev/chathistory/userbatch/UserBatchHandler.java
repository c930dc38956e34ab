package dev.chathistory.userbatch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.archive.ArchiveReader;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.archive.MultipartUploads;
import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.archive.S3MultipartUploads;
import dev.chathistory.shared.archive.S3ObjectStore;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.aws.AwsCallTracing;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.config.Environment;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.config.Settings;
import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.lambda.InvocationScope;
import dev.chathistory.shared.lambda.Priming;
import dev.chathistory.shared.metrics.FunctionMetrics;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.ReadConsistency;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbErasures;
import dev.chathistory.shared.repository.dynamodb.DynamoDbJobRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbLeases;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbRetentionRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.retention.RetentionRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda entry point for the job queue: hands the batch to {@link BatchProcessor} and returns
 * the failed records, so SQS redelivers only those (the event source sets
 * {@code ReportBatchItemFailures}).
 */
public final class UserBatchHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

    private final BatchProcessor processor;
    private final Duration timeMargin;
    private final Runnable flushMetrics;
    private final Runnable priming;

    /** Called by the Lambda runtime once per container. */
    public UserBatchHandler() {
        this(Wiring.fromEnvironment(Environment.variables()));
        // SnapStart: prime before the snapshot so restored containers start warm.
        Core.getGlobalContext().register(this);
    }

    /** Embeds the handler around everything the production wiring builds: the tests and the local stack. */
    public UserBatchHandler(Wiring wiring) {
        this(wiring.processor(), wiring.timeMargin(), wiring.metrics()::flush, wiring.priming());
    }

    /** Embeds the handler around a processor wired elsewhere: the tests and benchmarks. */
    public UserBatchHandler(BatchProcessor processor, Duration timeMargin, Runnable flushMetrics) {
        this(processor, timeMargin, flushMetrics, () -> { });
    }

    private UserBatchHandler(BatchProcessor processor, Duration timeMargin, Runnable flushMetrics, Runnable priming) {
        this.processor = processor;
        this.timeMargin = timeMargin;
        this.flushMetrics = flushMetrics;
        this.priming = priming;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return InvocationScope.run(context, context.getAwsRequestId(), flushMetrics, () -> {
            long remaining = context.getRemainingTimeInMillis();
            Duration budget = Duration.ofMillis(Math.max(0, remaining - timeMargin.toMillis()));
            return processor.process(event.getRecords(), budget);
        });
    }

    /**
     * Reads what a job's first steps read, through the repositories and the SDK, in the reserved
     * priming tenant ({@link Wiring#priming}); a failure never stops the checkpoint.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.run(priming);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the SDK re-resolves credentials and reconnects on demand.
    }

    /**
     * The production object graph, built once per container. {@code priming} parses a job
     * message and reads (never writes) in the reserved tenant: the job's record, the user's
     * activity and chat directory, a page of a chat, an archive object that does not exist. It
     * does not run a job: starting one writes its record.
     */
    public record Wiring(BatchProcessor processor, Duration timeMargin, JobMetrics metrics, Runnable priming) {

        public static Wiring fromEnvironment(Map<String, String> env) {
            ServiceConfig config = ServiceConfig.fromEnvironment(env);
            BatchConfig batch = BatchConfig.fromEnvironment(env);
            // Every worker keeps its connection between calls (the JDK keeps 5 per host otherwise),
            // plus one for the handler thread's own calls.
            AwsClientFactory.keepAliveConnections(batch.concurrency() + 1);
            String queueUrl = Settings.required(env, "JOBS_QUEUE_URL");
            String bucket = Settings.required(env, "DATA_BUCKET");
            FunctionMetrics functionMetrics = FunctionMetrics.fromEnvironment(env);
            ClientSettings clients = config.clientSettings().withMetricPublisher(functionMetrics.awsCalls())
                    .withInterceptors(AwsCallTracing.interceptors(env));
            DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(clients, List.of());
            S3Client s3 = AwsClientFactory.s3(clients);
            SqsClient sqs = AwsClientFactory.sqs(clients);
            ObjectStore objects = new S3ObjectStore(s3, AwsClientFactory.s3Presigner(clients), bucket);
            JobMetrics metrics = new PowertoolsJobMetrics(functionMetrics);
            return create(config, JobsConfig.fromEnvironment(env), batch, dynamoDb, sqs,
                    queueUrl, objects, new S3MultipartUploads(s3, bucket), Clock.systemUTC(), metrics);
        }

        /** Wires the batch function on the given clients: production, the local stack and the tests. */
        public static Wiring create(ServiceConfig config, JobsConfig jobsConfig, BatchConfig batch,
                                    DynamoDbClient dynamoDb, SqsClient sqs, String queueUrl, ObjectStore objects,
                                    MultipartUploads uploads, Clock clock, JobMetrics metrics) {
            return create(jobsConfig, batch, config.activeUserShards(),
                    Stores.aws(config, dynamoDb, sqs, queueUrl, objects, uploads), clock, metrics);
        }

        /**
         * Wires the batch function on any stores: {@link #create(ServiceConfig, JobsConfig, BatchConfig,
         * DynamoDbClient, SqsClient, String, ObjectStore, MultipartUploads, Clock, JobMetrics)} passes
         * DynamoDB, S3 and SQS; the batch benchmark passes in-memory stand-ins with a network delay.
         */
        public static Wiring create(JobsConfig jobsConfig, BatchConfig batch, int activeUserShards, Stores stores,
                                    Clock clock, JobMetrics metrics) {
            ArchiveReader archive = new ArchiveReader(stores.index(), stores.objects(), jobsConfig.archiveCacheBytes());
            UserMessages userMessages = new UserMessages(stores.messages(), stores.index(), archive);
            ChatArchiver archiver = new ChatArchiver(stores.messages(), stores.index(), stores.objects(), clock);
            ChatEraser chatEraser = new ChatEraser(stores.messages(), stores.index(), archive, stores.objects(),
                    stores.attachments(), clock);
            Map<JobType, UserJob> jobs = Map.of(
                    JobType.ARCHIVE, new ArchiveJob(archiver, stores.users(), clock, jobsConfig.archiveAfterDays(),
                            stores.leases(), batch.leaseTtl()),
                    JobType.EXPORT, new ExportJob(userMessages, stores.users(), stores.objects(), stores.uploads(),
                            stores.attachments(), stores.jobRecords(), stores.erasures(), stores.leases(), clock,
                            batch.leaseTtl(), batch.export()),
                    JobType.ERASE, new EraseJob(chatEraser, stores.users(), stores.objects(), stores.uploads(),
                            stores.jobRecords(), stores.erasures(), stores.leases(), clock, batch.leaseTtl(),
                            jobsConfig.chatDirectoryCacheTtl().plus(batch.settleMargin()), stores.retention()),
                    JobType.RECOUNT, new RecountJob(userMessages, stores.users(), activeUserShards),
                    // API containers cache policies as long as chat directory entries.
                    JobType.RETENTION, new RetentionJob(chatEraser, stores.messages(), stores.attachments(),
                            stores.users(),
                            stores.retention(), stores.jobRecords(), stores.leases(), clock, batch.leaseTtl(),
                            jobsConfig.chatDirectoryCacheTtl().plus(batch.settleMargin())));
            JobRunner runner = new JobRunner(stores.jobRecords(), stores.queue(), jobs, clock,
                    jobsConfig.jobRecordTtl());
            // Daemon threads: an idle pool must never keep a JVM (a test, the local runner) alive.
            ExecutorService pool = Executors.newFixedThreadPool(batch.concurrency(), runnable -> {
                Thread thread = new Thread(runnable, "job-worker");
                thread.setDaemon(true);
                return thread;
            });
            BatchProcessor processor = new BatchProcessor(runner, pool,
                    new RetryBackoff(batch.backoffBase(), batch.backoffMax(), () -> ThreadLocalRandom.current().nextDouble()),
                    stores.visibility(), batch.maxReceiveCount(), clock, metrics);
            return new Wiring(processor, batch.timeMargin(), metrics,
                    priming(stores.jobRecords(), stores.users(), stores.messages(), stores.objects(), clock));
        }

        /** What {@link UserBatchHandler#beforeCheckpoint} runs: reads only, in {@link Priming#TENANT}. */
        static Runnable priming(JobRepository jobs, UserRepository users, MessageRepository messages,
                                ObjectStore objects, Clock clock) {
            return () -> {
                JobRequest request = JobRequest.fromJson("{\"jobId\":\"01JDZ3Q6X8V1K2M3N4P5R6S7T8\",\"type\":\"recount\","
                        + "\"tenantId\":\"" + Priming.TENANT + "\",\"userId\":\"priming\"}");
                UserRef user = new UserRef(request.tenantId(), request.userId());
                jobs.find(request.tenantId(), request.jobId(), clock.instant());
                users.findActivity(user);
                users.listChats(user);
                messages.listNewestFirst(new ChatRef(request.tenantId(), "priming"), 1, null, false,
                        ReadConsistency.STRONG);
                objects.get("archive/" + request.tenantId() + "/priming/priming");
            };
        }
    }

    /** Where the jobs read and write: DynamoDB, S3 and SQS in production. */
    public record Stores(MessageRepository messages, UserRepository users, ArchiveIndex index,
                         AttachmentRepository attachments, JobRepository jobRecords, Leases leases, Erasures erasures,
                         ObjectStore objects, MultipartUploads uploads, JobQueue queue,
                         BatchProcessor.Visibility visibility, RetentionRepository retention) {

        public static Stores aws(ServiceConfig config, DynamoDbClient dynamoDb, SqsClient sqs, String queueUrl,
                                 ObjectStore objects, MultipartUploads uploads) {
            return new Stores(
                    new DynamoDbMessageRepository(dynamoDb, config.messagesTable()),
                    new DynamoDbUserRepository(dynamoDb, config.usersTable()),
                    new DynamoDbArchiveIndex(dynamoDb, config.messagesTable()),
                    new DynamoDbAttachmentRepository(dynamoDb, config.messagesTable()),
                    new DynamoDbJobRepository(dynamoDb, config.usersTable()),
                    new DynamoDbLeases(dynamoDb, config.usersTable()),
                    new DynamoDbErasures(dynamoDb, config.usersTable()),
                    objects, uploads, new SqsJobQueue(sqs, queueUrl),
                    (receipt, timeout) -> sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl)
                            .receiptHandle(receipt).visibilityTimeout((int) timeout.getSeconds())),
                    new DynamoDbRetentionRepository(dynamoDb, config.messagesTable(), config.usersTable()));
        }
    }
}
