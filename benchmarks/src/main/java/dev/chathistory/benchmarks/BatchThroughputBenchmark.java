package dev.chathistory.benchmarks;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.chathistory.local.Emulator;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.resources.TableProvisioner;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.archive.S3MultipartUploads;
import dev.chathistory.shared.archive.S3ObjectStore;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.JobMetrics;
import dev.chathistory.userbatch.UserBatchHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How many users per second the batch handler gets through, against the emulator: once the way
 * the original bot did it (one user after another, one record per invocation), once the way the
 * queue does it (batches of ten records, processed concurrently). Both runs do the same work per
 * user: a {@code recount} job, which reads the user's chat directory, messages and archive
 * manifest and writes the counters and the job record.
 *
 * <p>Records are handed to the handler directly (no SQS polling), so the figures are the
 * handler's throughput, not the poller's. An emulator on the same machine answers in CPU time
 * rather than network time, so an optional added latency per DynamoDB call stands in for the
 * round trip to DynamoDB in a region. Usage:
 * {@code benchmarks/run-batch-benchmark [users] [concurrency] [addedLatencyMs]}.
 */
public final class BatchThroughputBenchmark {

    private static final int MESSAGES_PER_USER = 3;
    private static final int WARM_UP_USERS = 50;

    private final ServiceConfig config;
    private final DynamoDbClient dynamoDb;
    private final UserBatchHandler sequential;
    private final UserBatchHandler concurrent;
    private final int concurrency;

    private BatchThroughputBenchmark(ServiceConfig config, JobsConfig jobs, DynamoDbClient dynamoDb, SqsClient sqs,
                                     S3Client s3, String queueUrl, int concurrency) {
        this.config = config;
        this.dynamoDb = dynamoDb;
        this.concurrency = concurrency;
        var objects = new S3ObjectStore(s3, AwsClientFactory.s3Presigner(config.clientSettings()),
                jobs.dataBucket().orElseThrow());
        var uploads = new S3MultipartUploads(s3, jobs.dataBucket().orElseThrow());
        this.sequential = handler(config, jobs, dynamoDb, sqs, queueUrl, objects, uploads, 1);
        this.concurrent = handler(config, jobs, dynamoDb, sqs, queueUrl, objects, uploads, concurrency);
    }

    private static UserBatchHandler handler(ServiceConfig config, JobsConfig jobs, DynamoDbClient dynamoDb,
                                            SqsClient sqs, String queueUrl, S3ObjectStore objects,
                                            S3MultipartUploads uploads, int concurrency) {
        BatchConfig batch = new BatchConfig(concurrency, Duration.ofSeconds(30), Duration.ofSeconds(900), 5,
                Duration.ofSeconds(5));
        return new UserBatchHandler(UserBatchHandler.Wiring.create(config, jobs, batch, dynamoDb, sqs, queueUrl,
                objects, uploads, Clock.systemUTC(),
                JobMetrics.noop()).processor(), batch.timeMargin(), () -> { });
    }

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int addedLatencyMs = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        try (Emulator emulator = Emulator.startOrConnect(ProjectRoot.find())) {
            Map<String, String> env = new HashMap<>();
            env.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
            env.put("AWS_REGION", "us-east-1");
            env.put("MESSAGES_TABLE", "unset");
            env.put("USERS_TABLE", "unset");
            ServiceConfig base = ServiceConfig.fromEnvironment(env);
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
            String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(base, latency(addedLatencyMs));
                 SqsClient sqs = AwsClientFactory.sqs(base);
                 S3Client s3 = AwsClientFactory.s3(base)) {
                Map<String, String> tables = new TableProvisioner(dynamoDb)
                        .createAll(SamTemplate.loadFrom(ProjectRoot.find()), prefix);
                ServiceConfig config = base.withTables(tables.get("MessagesTable"), tables.get("UsersTable"));
                s3.createBucket(b -> b.bucket(prefix));
                String queueUrl = sqs.createQueue(b -> b.queueName(prefix)).queueUrl();
                JobsConfig jobs = JobsConfig.of(queueUrl, prefix);
                BatchThroughputBenchmark benchmark =
                        new BatchThroughputBenchmark(config, jobs, dynamoDb, sqs, s3, queueUrl, concurrency);
                benchmark.run(users, emulator, addedLatencyMs);
            }
        }
    }

    /** Waits before each DynamoDB call is sent, as a network round trip would. */
    private static List<ExecutionInterceptor> latency(int millis) {
        if (millis <= 0) {
            return List.of();
        }
        return List.of(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    private void run(int users, Emulator emulator, int addedLatencyMs) throws Exception {
        List<UserRef> all = seed(2 * WARM_UP_USERS + users);
        List<UserRef> warmUp = all.subList(0, 2 * WARM_UP_USERS);
        List<UserRef> measured = all.subList(2 * WARM_UP_USERS, all.size());
        // Warm the JIT, the HTTP connections and the emulator on users the measurement does not use.
        sequential(warmUp.subList(0, WARM_UP_USERS));
        batched(warmUp.subList(WARM_UP_USERS, warmUp.size()));

        double sequentialRate = sequential(measured);
        double batchedRate = batched(measured);

        System.out.printf("%nBatch handler throughput, %d users, %d messages each, recount job per user%n",
                users, MESSAGES_PER_USER);
        System.out.printf("emulator: %s at %s; added latency per DynamoDB call: %d ms; JVM %s on %d cores%n",
                emulator.kind().map(Enum::name).orElse("external"), emulator.endpoint(), addedLatencyMs,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println();
        System.out.println("| mode | records per invocation | concurrency | users/s |");
        System.out.println("|---|---|---|---|");
        System.out.printf("| sequential (original startup loop) | 1 | 1 | %.1f |%n", sequentialRate);
        System.out.printf("| batched and concurrent | 10 | %d | %.1f |%n", concurrency, batchedRate);
        System.out.printf("%nratio batched / sequential: %.2fx%n", batchedRate / sequentialRate);
    }

    /** Every user gets one chat with a few messages, as the API would have written them. */
    private List<UserRef> seed(int count) throws Exception {
        DynamoDbMessageRepository messages = new DynamoDbMessageRepository(dynamoDb, config.messagesTable());
        DynamoDbUserRepository users = new DynamoDbUserRepository(dynamoDb, config.usersTable());
        MessageIdGenerator ids = MessageIdGenerator.ulid();
        List<UserRef> seeded = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int u = 0; u < count; u++) {
                UserRef user = new UserRef("bench", "bench-user-" + u);
                seeded.add(user);
                writes.add(pool.submit(() -> {
                    ChatRef chat = new ChatRef(user.tenantId(), "chat-" + user.userId());
                    users.rememberChat(user, chat.chatId(), Instant.now());
                    for (int m = 0; m < MESSAGES_PER_USER; m++) {
                        messages.insert(chat, Message.first(chat.chatId(), ids.nextId(), user.userId(), m % 2 == 1,
                                "message " + m + " of " + user.userId(), null, Instant.now()));
                    }
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
        return seeded;
    }

    /** One record per invocation, one after another: the original design. */
    private double sequential(List<UserRef> users) {
        long started = System.nanoTime();
        for (UserRef user : users) {
            invoke(sequential, List.of(user));
        }
        return users.size() / seconds(started);
    }

    /** Ten records per invocation, processed concurrently: what the job queue delivers. */
    private double batched(List<UserRef> users) {
        long started = System.nanoTime();
        for (int from = 0; from < users.size(); from += 10) {
            invoke(concurrent, users.subList(from, Math.min(users.size(), from + 10)));
        }
        return users.size() / seconds(started);
    }

    private static void invoke(UserBatchHandler handler, List<UserRef> users) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (UserRef user : users) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            String jobId = MessageIdGenerator.ulid().nextId();
            record.setMessageId(jobId);
            record.setReceiptHandle("receipt-" + jobId);
            record.setBody(new JobRequest(jobId, JobType.RECOUNT, user.tenantId(), user.userId(), null).toJson());
            record.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        SQSBatchResponse response = handler.handleRequest(event, new LocalLambdaContext("user-batch", 300, 1024));
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException(response.getBatchItemFailures().size() + " records failed");
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
