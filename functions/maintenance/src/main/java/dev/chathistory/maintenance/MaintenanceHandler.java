package dev.chathistory.maintenance;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.chathistory.shared.aws.AwsCallTracing;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.config.Environment;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.config.Settings;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.ExportKeys;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.lambda.InvocationScope;
import dev.chathistory.shared.metrics.FunctionMetrics;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbRetentionRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda entry point of the maintenance function: the schedule invokes it with
 * {@code {"action":"sweep"}}, an operator with {@code {"action":"redrive-dlq","max":N}}. Thin:
 * it parses the input, lets {@link Maintenance} do the work and flushes metrics.
 */
public final class MaintenanceHandler implements RequestHandler<Map<String, Object>, Map<String, Object>>, Resource {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceHandler.class);

    private final Maintenance maintenance;
    private final Duration timeMargin;
    private final Runnable flushMetrics;

    /** Called by the Lambda runtime once per container. */
    public MaintenanceHandler() {
        this(Wiring.fromEnvironment(Environment.variables()));
        // SnapStart: prime before the snapshot so restored containers start warm.
        Core.getGlobalContext().register(this);
    }

    private MaintenanceHandler(Wiring wiring) {
        this(wiring.maintenance(), wiring.timeMargin(), wiring.metrics()::flush);
    }

    /**
     * Embeds the handler around maintenance wired elsewhere: the local runner and the tests
     * point it at an emulator without environment variables.
     *
     * @param timeMargin loops stop when less than this is left of the invocation
     */
    public MaintenanceHandler(Maintenance maintenance, Duration timeMargin, Runnable flushMetrics) {
        this.maintenance = maintenance;
        this.timeMargin = timeMargin;
        this.flushMetrics = flushMetrics;
    }

    /**
     * @throws IllegalArgumentException for an unknown action or a bad field; the invocation fails
     *                                  with its message
     */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return InvocationScope.run(context, context.getAwsRequestId(), flushMetrics, () -> {
            MaintenanceRequest request = MaintenanceRequest.parse(input);
            TimeBudget budget = TimeBudget.of(context, timeMargin);
            return switch (request.action()) {
                // The request id alone could repeat: Lambda keeps it when it retries an
                // asynchronous invocation, and the lease must tell those two apart.
                case SWEEP -> maintenance.sweep(context.getAwsRequestId() + "/" + UUID.randomUUID(), budget);
                case REDRIVE_DLQ -> maintenance.redriveDeadLetters(request.max(), budget);
            };
        });
    }

    /** Reads the checkpoint and the DLQ's depth; a failure must never stop the checkpoint. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            maintenance.prime();
        } catch (RuntimeException e) {
            LOG.warn("priming before checkpoint failed: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the SDK re-resolves credentials and reconnects on demand.
    }

    /** The production object graph, built once per container. */
    private record Wiring(Maintenance maintenance, Duration timeMargin, PowertoolsMaintenanceMetrics metrics) {
        static Wiring fromEnvironment(Map<String, String> env) {
            ServiceConfig service = ServiceConfig.fromEnvironment(env);
            MaintenanceConfig config = MaintenanceConfig.fromEnvironment(env, service);
            FunctionMetrics functionMetrics = FunctionMetrics.fromEnvironment(env);
            PowertoolsMaintenanceMetrics metrics = new PowertoolsMaintenanceMetrics(functionMetrics);
            ClientSettings clients = service.clientSettings().withMetricPublisher(functionMetrics.awsCalls())
                    .withInterceptors(AwsCallTracing.interceptors(env));
            DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(clients, List.of());
            SqsClient sqs = AwsClientFactory.sqs(clients);
            Maintenance maintenance = Maintenance.create(service, config, dynamoDb, sqs, Clock.systemUTC(), metrics);
            String attachmentsBucket = Settings.required(env, "ATTACHMENTS_BUCKET");
            S3Client s3 = AwsClientFactory.s3(clients);
            maintenance.withBlobSweep(new UnreferencedBlobSweep(
                    new DynamoDbAttachmentRepository(dynamoDb, service.messagesTable()),
                    key -> s3.deleteObject(b -> b.bucket(attachmentsBucket).key(key)), Clock.systemUTC(),
                    AttachmentsConfig.fromEnvironment(env).blobGracePeriod()));
            ArchiveSweepConfig archive = ArchiveSweepConfig.fromEnvironment(env);
            DynamoDbArchiveIndex index = new DynamoDbArchiveIndex(dynamoDb, service.messagesTable());
            RetentionSweep retention = new RetentionSweep(
                    new DynamoDbAttachmentRepository(dynamoDb, service.messagesTable()),
                    new DynamoDbMessageRepository(dynamoDb, service.messagesTable()), index,
                    new DynamoDbRetentionRepository(dynamoDb, service.messagesTable(), service.usersTable()),
                    new S3ArchiveObjects(s3, archive.dataBucket(), ExportKeys.PREFIX),
                    new SqsJobQueue(sqs, config.jobsQueueUrl()), MessageIdGenerator.ulid(), Clock.systemUTC());
            maintenance.withOrphanedChunkSweep(new OrphanedChunkSweep(
                    new S3ArchiveObjects(s3, archive.dataBucket()), index,
                    new DynamoDbArchiveSweepPosition(dynamoDb, service.usersTable()), Clock.systemUTC(),
                    archive.gracePeriod()).onManifestRead(retention::manifestRead))
                    .withRetentionSweep(retention);
            return new Wiring(maintenance, config.timeMargin(), metrics);
        }
    }
}
