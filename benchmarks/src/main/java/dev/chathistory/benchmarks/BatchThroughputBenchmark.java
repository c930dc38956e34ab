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
import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbJobRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryErasures;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryLeases;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryMultipartUploads;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.RecordingJobQueue;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.JobMetrics;
import dev.chathistory.userbatch.UserBatchHandler;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How many users per second the batch handler gets through: once the way the original bot did it
 * (one user after another, one record per invocation), once the way the job queue does it (batches
 * of 50 records, all 50 in flight at once). Both do the same work per user: a {@code recount} job,
 * which starts the job record, reads the user's chat directory, messages and archive index, writes
 * the counters and marks the job succeeded.
 *
 * <p>Two stores, each with a network delay added to every call:
 * <ul>
 *   <li><b>stand-in</b>: the in-memory stores of {@code shared}'s tests behind the production wiring
 *   ({@link UserBatchHandler.Wiring}). Every call waits the delay, as a call to DynamoDB in a region
 *   waits on the network, and answers in microseconds, as DynamoDB does for small items. This is
 *   the handler's own concurrency, which is what runs against DynamoDB.</li>
 *   <li><b>emulator</b>: the real DynamoDB, S3 and SQS clients against MiniStack on this machine. The
 *   emulator is one Python process that spends milliseconds of CPU on every call, so the batched
 *   figure is its ceiling, not ours; its CPU per call is measured and printed beside it.</li>
 * </ul>
 * Records are handed to the handler directly (no SQS polling), so the figures are the handler's
 * throughput, not the poller's. Every job's record is checked to have succeeded and every user's
 * count to be right. Usage: {@code benchmarks/run-batch-benchmark [users] [concurrency]
 * [latenciesMs] [emulatorUsers]}.
 */
public final class BatchThroughputBenchmark {

    private static final int MESSAGES_PER_USER = 3;
    private static final int WARM_UP_BATCHES = 4;
    private static final String TENANT = "bench";
    /** DynamoDB calls by operation, against the emulator (seeding and checks included). */
    private static final Map<String, AtomicLong> OPERATIONS = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Interface methods of the stores that are computed locally, never a call over the network. */
    private static final Set<String> LOCAL_METHODS = Set.of("fits", "downloadUrl", "beforeCommit", "toString",
            "hashCode", "equals");

    /** One store the handler runs against. */
    private interface Target {
        String store();

        UserBatchHandler handler(int concurrency);

        void seed(List<UserRef> users) throws Exception;

        Optional<Job> job(String jobId);

        long messageCount(UserRef user);

        /** Calls to the store so far (DynamoDB calls, or what stands in for them). */
        long calls();

        /** CPU the store itself has used so far, when it runs in a process of its own. */
        Optional<Duration> storeCpu();
    }

    private record Result(String store, int latencyMs, double sequentialRate, double batchedRate,
                          double callsPerUser, double jvmCpuMsPerUser, Optional<Double> storeCpuMsPerCall) {
        double ratio() {
            return batchedRate / sequentialRate;
        }
    }

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : BatchConfig.DEFAULT_CONCURRENCY;
        List<Integer> latencies = new ArrayList<>();
        for (String latency : (args.length > 2 ? args[2] : "5,10").split(",")) {
            latencies.add(Integer.parseInt(latency.trim()));
        }
        int emulatorUsers = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        // As the batch function does: a kept-alive connection for every worker (the JDK keeps 5).
        // KEEP_ALIVE_CONNECTIONS=5 measures what the JDK's default did.
        String keepAlive = System.getenv("KEEP_ALIVE_CONNECTIONS");
        if (keepAlive != null) {
            System.setProperty("http.maxConnections", keepAlive);
        } else {
            AwsClientFactory.keepAliveConnections(concurrency + 1);
        }

        List<Result> results = new ArrayList<>();
        for (int latency : latencies) {
            results.add(measure(new StandIn(latency), users, concurrency, latency));
        }
        String emulatorLine = "emulator: skipped (emulatorUsers 0)";
        if (emulatorUsers > 0) {
            try (Emulator emulator = startEmulator()) {
                emulatorLine = "emulator: " + emulator.kind().map(Enum::name).orElse("external") + " at "
                        + emulator.endpoint();
                try (EmulatorTarget target = EmulatorTarget.create(emulator)) {
                    for (int latency : latencies) {
                        target.latencyMs = latency;
                        results.add(measure(target, emulatorUsers, concurrency, latency));
                    }
                }
            }
        }
        print(results, users, emulatorUsers, concurrency, emulatorLine);
    }

    /**
     * MiniStack unless told otherwise: moto serialises every DynamoDB call ({@code serve_moto.py}), so
     * it cannot show concurrency at all.
     */
    private static Emulator startEmulator() {
        if (System.getenv("AWS_ENDPOINT_URL") == null && System.getenv("LOCAL_EMULATOR") == null) {
            return Emulator.start(ProjectRoot.find(), Emulator.Kind.MINISTACK, Optional.empty());
        }
        return Emulator.startOrConnect(ProjectRoot.find());
    }

    /**
     * Seeds fresh users, warms up, then runs a tenth of them one at a time and all of them in
     * batches, and checks every job.
     */
    private static Result measure(Target target, int users, int concurrency, int latencyMs) throws Exception {
        String run = target.store() + "-" + latencyMs + "ms-";
        int sequentialUsers = Math.max(20, users / 10);
        int warmUpUsers = WARM_UP_BATCHES * concurrency;
        List<UserRef> all = new ArrayList<>();
        for (int u = 0; u < warmUpUsers + sequentialUsers + users; u++) {
            all.add(new UserRef(TENANT, run + u));
        }
        target.seed(all);
        List<UserRef> warmUp = all.subList(0, warmUpUsers);
        List<UserRef> sequentialSet = all.subList(warmUpUsers, warmUpUsers + sequentialUsers);
        List<UserRef> batchedSet = all.subList(warmUpUsers + sequentialUsers, all.size());
        UserBatchHandler one = target.handler(1);
        UserBatchHandler many = target.handler(concurrency);
        System.err.printf("%s, %d ms: warming up, then %d users one at a time and %d in batches of %d%n",
                target.store(), latencyMs, sequentialUsers, users, concurrency);

        // Warm the JIT, the connections and the store on users the measurement does not use.
        List<String> jobs = new ArrayList<>(invokeOneByOne(one, warmUp.subList(0, concurrency)));
        jobs.addAll(invokeInBatches(many, warmUp.subList(concurrency, warmUp.size()), concurrency));

        long started = System.nanoTime();
        jobs.addAll(invokeOneByOne(one, sequentialSet));
        double sequentialRate = sequentialUsers / seconds(started);

        long callsBefore = target.calls();
        long cpuBefore = jvmCpuNanos();
        Optional<Duration> storeCpuBefore = target.storeCpu();
        started = System.nanoTime();
        jobs.addAll(invokeInBatches(many, batchedSet, concurrency));
        double batchedRate = users / seconds(started);
        long calls = target.calls() - callsBefore;
        double cpuMsPerUser = (jvmCpuNanos() - cpuBefore) / 1e6 / users;
        Optional<Double> storeCpuPerCall = storeCpuBefore.flatMap(before -> target.storeCpu()
                .map(after -> after.minus(before).toNanos() / 1e6 / calls));

        verify(target, all, jobs);
        return new Result(target.store(), latencyMs, sequentialRate, batchedRate, (double) calls / users,
                cpuMsPerUser, storeCpuPerCall);
    }

    /** Every job succeeded, and every user's count is the messages they have. */
    private static void verify(Target target, List<UserRef> users, List<String> jobs) {
        for (String jobId : jobs) {
            JobStatus status = target.job(jobId).map(Job::status).orElse(null);
            if (status != JobStatus.SUCCEEDED) {
                throw new IllegalStateException("job " + jobId + " is " + status + ", not succeeded");
            }
        }
        for (UserRef user : users) {
            long count = target.messageCount(user);
            if (count != MESSAGES_PER_USER) {
                throw new IllegalStateException(user.userId() + " counted " + count + " messages, not "
                        + MESSAGES_PER_USER);
            }
        }
    }

    /** One record per invocation, one after another: the original design. */
    private static List<String> invokeOneByOne(UserBatchHandler handler, List<UserRef> users) {
        List<String> jobs = new ArrayList<>();
        for (UserRef user : users) {
            jobs.addAll(invoke(handler, List.of(user)));
        }
        return jobs;
    }

    /** A batch per invocation, its records processed concurrently: what the job queue delivers. */
    private static List<String> invokeInBatches(UserBatchHandler handler, List<UserRef> users, int batchSize) {
        List<String> jobs = new ArrayList<>();
        for (int from = 0; from < users.size(); from += batchSize) {
            jobs.addAll(invoke(handler, users.subList(from, Math.min(users.size(), from + batchSize))));
        }
        return jobs;
    }

    private static List<String> invoke(UserBatchHandler handler, List<UserRef> users) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        List<String> jobs = new ArrayList<>();
        for (UserRef user : users) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            String jobId = MessageIdGenerator.ulid().nextId();
            record.setMessageId(jobId);
            record.setReceiptHandle("receipt-" + jobId);
            record.setBody(new JobRequest(jobId, JobType.RECOUNT, user.tenantId(), user.userId(), null).toJson());
            record.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            records.add(record);
            jobs.add(jobId);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        SQSBatchResponse response = handler.handleRequest(event, new LocalLambdaContext("user-batch", 300, 1024));
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException(response.getBatchItemFailures().size() + " records failed");
        }
        return jobs;
    }

    /** Every user gets one chat with a few messages, as the API would have written them. */
    private static void seedThrough(MessageRepository messages, UserRepository userRepository, List<UserRef> users)
            throws Exception {
        MessageIdGenerator ids = MessageIdGenerator.ulid();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (UserRef user : users) {
                writes.add(pool.submit(() -> {
                    ChatRef chat = new ChatRef(user.tenantId(), "chat-" + user.userId());
                    userRepository.rememberChat(user, chat.chatId(), Instant.now());
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
    }

    private static UserBatchHandler handler(UserBatchHandler.Wiring wiring) {
        return new UserBatchHandler(wiring.processor(), wiring.timeMargin(), () -> { });
    }

    private static BatchConfig batchConfig(int concurrency) {
        return new BatchConfig(concurrency, Duration.ofSeconds(30), Duration.ofSeconds(900), 5, Duration.ofSeconds(5));
    }

    private static void pause(int millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The in-memory stores, each call waiting the network delay first. */
    private static final class StandIn implements Target {

        private final int latencyMs;
        private final AtomicLong calls = new AtomicLong();
        private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
        private final InMemoryUserRepository users = new InMemoryUserRepository();
        private final InMemoryJobRepository jobRecords = new InMemoryJobRepository();
        private final UserBatchHandler.Stores stores;

        StandIn(int latencyMs) {
            this.latencyMs = latencyMs;
            InMemoryObjectStore objects = new InMemoryObjectStore();
            this.stores = new UserBatchHandler.Stores(
                    remote(MessageRepository.class, messages),
                    remote(UserRepository.class, users),
                    remote(dev.chathistory.shared.archive.ArchiveIndex.class, new InMemoryArchiveIndex(messages)),
                    remote(dev.chathistory.shared.attachments.AttachmentRepository.class,
                            new InMemoryAttachmentRepository(messages)),
                    remote(JobRepository.class, jobRecords),
                    remote(dev.chathistory.shared.jobs.Leases.class, new InMemoryLeases()),
                    remote(dev.chathistory.shared.erasure.Erasures.class, new InMemoryErasures()),
                    remote(dev.chathistory.shared.archive.ObjectStore.class, objects),
                    remote(dev.chathistory.shared.archive.MultipartUploads.class,
                            new InMemoryMultipartUploads(objects)),
                    remote(dev.chathistory.shared.jobs.JobQueue.class, new RecordingJobQueue()),
                    (receipt, timeout) -> pause(latencyMs),
                    remote(dev.chathistory.shared.retention.RetentionRepository.class,
                            new dev.chathistory.shared.testing.InMemoryRetentionRepository()));
        }

        /** {@code target} behind a proxy that waits the delay before each call, and counts it. */
        private <T> T remote(Class<T> type, T target) {
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> {
                        if (!LOCAL_METHODS.contains(method.getName())) {
                            calls.incrementAndGet();
                            pause(latencyMs);
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }));
        }

        @Override
        public String store() {
            return "stand-in";
        }

        @Override
        public UserBatchHandler handler(int concurrency) {
            return BatchThroughputBenchmark.handler(UserBatchHandler.Wiring.create(JobsConfig.of("jobs", "data"),
                    batchConfig(concurrency), 4, stores, Clock.systemUTC(), JobMetrics.noop()));
        }

        @Override
        public void seed(List<UserRef> seeded) throws Exception {
            seedThrough(messages, users, seeded);
        }

        @Override
        public Optional<Job> job(String jobId) {
            return jobRecords.find(TENANT, jobId, Instant.now());
        }

        @Override
        public long messageCount(UserRef user) {
            return users.findActivity(user).map(UserRepository.Activity::messageCount).orElse(-1L);
        }

        @Override
        public long calls() {
            return calls.get();
        }

        @Override
        public Optional<Duration> storeCpu() {
            return Optional.empty();
        }
    }

    /** The production DynamoDB, S3 and SQS clients against the emulator, with the delay before each DynamoDB call. */
    private static final class EmulatorTarget implements Target, AutoCloseable {

        private final DynamoDbClient dynamoDb;
        private final SqsClient sqs;
        private final S3Client s3;
        private final ServiceConfig config;
        private final JobsConfig jobs;
        private final String queueUrl;
        private final AtomicLong calls;
        private volatile int latencyMs;

        private EmulatorTarget(DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3, ServiceConfig config,
                               JobsConfig jobs, String queueUrl, AtomicLong calls) {
            this.dynamoDb = dynamoDb;
            this.sqs = sqs;
            this.s3 = s3;
            this.config = config;
            this.jobs = jobs;
            this.queueUrl = queueUrl;
            this.calls = calls;
        }

        static EmulatorTarget create(Emulator emulator) {
            Map<String, String> env = new HashMap<>();
            env.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
            env.put("AWS_REGION", "us-east-1");
            env.put("MESSAGES_TABLE", "unset");
            env.put("USERS_TABLE", "unset");
            ServiceConfig base = ServiceConfig.fromEnvironment(env);
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
            String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            AtomicLong calls = new AtomicLong();
            EmulatorTarget[] self = new EmulatorTarget[1];
            ExecutionInterceptor delay = new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                    calls.incrementAndGet();
                    OPERATIONS.computeIfAbsent(attributes.getAttribute(
                            software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME),
                            name -> new AtomicLong()).incrementAndGet();
                    pause(self[0] == null ? 0 : self[0].latencyMs);
                }
            };
            DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(base, List.of(delay));
            SqsClient sqs = AwsClientFactory.sqs(base);
            S3Client s3 = AwsClientFactory.s3(base);
            Map<String, String> tables = new TableProvisioner(dynamoDb)
                    .createAll(SamTemplate.loadFrom(ProjectRoot.find()), prefix);
            ServiceConfig config = base.withTables(tables.get("MessagesTable"), tables.get("UsersTable"));
            s3.createBucket(b -> b.bucket(prefix));
            String queueUrl = sqs.createQueue(b -> b.queueName(prefix)).queueUrl();
            self[0] = new EmulatorTarget(dynamoDb, sqs, s3, config, JobsConfig.of(queueUrl, prefix), queueUrl, calls);
            return self[0];
        }

        @Override
        public String store() {
            return "emulator";
        }

        @Override
        public UserBatchHandler handler(int concurrency) {
            String bucket = jobs.dataBucket().orElseThrow();
            var objects = new S3ObjectStore(s3, AwsClientFactory.s3Presigner(config.clientSettings()), bucket);
            return BatchThroughputBenchmark.handler(UserBatchHandler.Wiring.create(config, jobs,
                    batchConfig(concurrency), dynamoDb, sqs, queueUrl, objects, new S3MultipartUploads(s3, bucket),
                    Clock.systemUTC(), JobMetrics.noop()));
        }

        @Override
        public void seed(List<UserRef> users) throws Exception {
            int latency = latencyMs;
            latencyMs = 0;
            try {
                seedThrough(new DynamoDbMessageRepository(dynamoDb, config.messagesTable()),
                        new DynamoDbUserRepository(dynamoDb, config.usersTable()), users);
            } finally {
                latencyMs = latency;
            }
        }

        @Override
        public Optional<Job> job(String jobId) {
            return new DynamoDbJobRepository(dynamoDb, config.usersTable()).find(TENANT, jobId, Instant.now());
        }

        @Override
        public long messageCount(UserRef user) {
            return new DynamoDbUserRepository(dynamoDb, config.usersTable()).findActivity(user)
                    .map(UserRepository.Activity::messageCount).orElse(-1L);
        }

        @Override
        public long calls() {
            return calls.get();
        }

        /** The emulator is this JVM's child process (with its own children, if any). */
        @Override
        public Optional<Duration> storeCpu() {
            Duration total = Duration.ZERO;
            boolean any = false;
            for (ProcessHandle child : (Iterable<ProcessHandle>) ProcessHandle.current().descendants()::iterator) {
                Optional<Duration> cpu = child.info().totalCpuDuration();
                if (cpu.isPresent()) {
                    total = total.plus(cpu.get());
                    any = true;
                }
            }
            return any ? Optional.of(total) : Optional.empty();
        }

        @Override
        public void close() {
            dynamoDb.close();
            sqs.close();
            s3.close();
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void print(List<Result> results, int users, int emulatorUsers, int concurrency,
                              String emulatorLine) {
        PrintOut out = new PrintOut();
        out.line("");
        out.line("Batch handler throughput: a recount job per user (%d messages each); sequential = one record",
                MESSAGES_PER_USER);
        out.line("per invocation, one after another; batched = %d records per invocation, %d at once.",
                concurrency, concurrency);
        out.line("Users: stand-in %d batched, %d sequential; emulator %s.", users, Math.max(20, users / 10),
                emulatorUsers == 0 ? "skipped" : emulatorUsers + " batched, " + Math.max(20, emulatorUsers / 10)
                        + " sequential");
        out.line("JVM %s on %d cores; http.maxConnections=%s; %s", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("http.maxConnections"), emulatorLine);
        out.line("");
        out.line("| store | added latency per call | calls per user | sequential users/s | batched users/s "
                + "| ratio | JVM CPU per user | store CPU per call |");
        out.line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            out.line("| %s | %d ms | %.1f | %.1f | %.1f | %.1fx | %.2f ms | %s |", r.store(), r.latencyMs(),
                    r.callsPerUser(), r.sequentialRate(), r.batchedRate(), r.ratio(), r.jvmCpuMsPerUser(),
                    r.storeCpuMsPerCall().map(ms -> String.format(Locale.ROOT, "%.2f ms", ms)).orElse("-"));
        }
        out.line("");
        out.line("stand-in: the production wiring on in-memory stores; every store call waits the added latency,");
        out.line("  as a DynamoDB call waits on the network, and is answered in microseconds. This is our concurrency");
        out.line("  against a latency-dominated store (DynamoDB), without the SDK's own CPU (see the emulator rows).");
        for (Result r : results) {
            if (r.store().equals("emulator") && r.storeCpuMsPerCall().isPresent()) {
                double perCall = r.storeCpuMsPerCall().get();
                out.line("emulator, %d ms: the real SDK clients over HTTP against one Python process, which spent"
                        + " %.2f ms of CPU", r.latencyMs(), perCall);
                out.line("  per call: at most %.0f calls/s on one core, i.e. %.0f users/s at %.1f calls per user;"
                        + " batched reached %.1f.", 1000 / perCall, 1000 / perCall / r.callsPerUser(),
                        r.callsPerUser(), r.batchedRate());
            }
        }
        if (!OPERATIONS.isEmpty()) {
            out.line("emulator DynamoDB calls by operation (all runs, seeding and checks included): %s", OPERATIONS);
        }
        out.line("JVM CPU per user (handler, SDK, HTTP, logging) bounds the batched rate on Lambda: at 1024 MB a function");
        out.line("  has about 0.58 vCPU, so it manages at most 580 / (ms per user) users/s per container.");
    }

    private static final class PrintOut {
        void line(String format, Object... args) {
            System.out.println(String.format(Locale.ROOT, format, args));
        }
    }
}
