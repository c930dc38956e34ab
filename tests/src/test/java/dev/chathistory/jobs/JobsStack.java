package dev.chathistory.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.contract.LambdaExchanges;
import dev.chathistory.cost.CapacityMeter;
import dev.chathistory.messageapi.Backends;
import dev.chathistory.messageapi.MessageApi;
import dev.chathistory.messageapi.MessageApiHandler;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.archive.S3MultipartUploads;
import dev.chathistory.shared.archive.S3ObjectStore;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import dev.chathistory.tests.TestAws;
import dev.chathistory.tests.TestStack;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.JobMetrics;
import dev.chathistory.userbatch.UserBatchHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's resources under a fresh stack name (tables, the job queue with its DLQ, the
 * data bucket), with the API handler and the batch handler wired as in production, each
 * acting as its own function (its role, every AWS call through the local IAM check). SQS
 * deliveries are driven by hand ({@link #deliverOnce}) exactly as Lambda's event source would,
 * with the batch function's role: receive, invoke, delete what did not fail. The fields are
 * the operator's view, for setting up and looking.
 */
final class JobsStack implements AutoCloseable {

    static final String API = "MessageApiFunction";
    static final String BATCH = "UserBatchFunction";

    final TestStack stack;
    final ServiceConfig config;
    final JobsConfig jobsConfig;
    final DynamoDbClient dynamoDb;
    final SqsClient sqs;
    final S3Client s3;
    final String bucket;
    final String queueUrl;
    final String deadLetterUrl;
    final ObjectStore objects;
    final MessageApiHandler api;
    /** Meters every DynamoDB call of {@link #api}. */
    final CapacityMeter apiMeter;
    /** What Lambda's poller does with the batch function's role: receive and delete. */
    private final SqsClient poller;

    JobsStack(int maxReceiveCount) {
        this(Map.of("JobsMaxReceiveCount", Integer.toString(maxReceiveCount)));
    }

    /** The stack with these template parameters. */
    JobsStack(Map<String, String> parameters) {
        stack = TestStack.create("jobs", parameters);
        config = TestConfigs.config(Optional.of(TestAws.emulator().endpoint()), stack.table("MessagesTable"),
                stack.table("UsersTable"));
        dynamoDb = stack.adminDynamoDb();
        sqs = stack.adminSqs();
        s3 = stack.adminS3();
        bucket = stack.bucket("DataBucket");
        queueUrl = stack.queueUrl("JobsQueue");
        deadLetterUrl = stack.queueUrl("JobsDeadLetterQueue");
        // Thirty seconds rather than the template's half hour: a record whose handler did not set
        // its own backoff comes back within a test's patience.
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")));
        S3Presigner adminPresigner = stack.closeLater(
                AwsClientFactory.s3Presigner(ClientSettings.forEmulator("us-east-1", TestAws.emulator().endpoint())));
        objects = new S3ObjectStore(s3, adminPresigner, bucket);

        Map<String, String> apiEnvironment = stack.environmentOf(API);
        ServiceConfig apiConfig = ServiceConfig.fromEnvironment(apiEnvironment);
        jobsConfig = JobsConfig.fromEnvironment(apiEnvironment);
        apiMeter = new CapacityMeter(stack.adminDynamoDb());
        api = new MessageApiHandler(MessageApi.create(apiConfig, jobsConfig,
                Backends.aws(apiConfig, jobsConfig,
                        stack.closeLater(AwsClientFactory.dynamoDb(apiConfig, List.of(apiMeter))),
                        stack.closeLater(AwsClientFactory.sqs(apiConfig)),
                        stack.closeLater(AwsClientFactory.s3(apiConfig)),
                        stack.closeLater(AwsClientFactory.s3Presigner(apiConfig.clientSettings()))),
                new RecordingMetrics(), Clock.systemUTC()), () -> { });
        poller = stack.closeLater(AwsClientFactory.sqs(stack.configOf(BATCH)));
    }

    /**
     * Another API container, remembering the chats it filed for {@code directoryMemory}: a warm
     * container that has not yet forgotten, whatever the deployment's setting.
     */
    MessageApiHandler apiRemembering(Duration directoryMemory) {
        return apiRemembering(directoryMemory, null);
    }

    /** As {@link #apiRemembering(Duration)}, its DynamoDB calls metered by {@code meter} (when not null). */
    MessageApiHandler apiRemembering(Duration directoryMemory, CapacityMeter meter) {
        Map<String, String> environment = stack.environmentOf(API);
        ServiceConfig apiConfig = ServiceConfig.fromEnvironment(environment);
        JobsConfig base = JobsConfig.fromEnvironment(environment);
        JobsConfig remembering = new JobsConfig(base.jobsQueueUrl(), base.dataBucket(), base.archiveAfterDays(),
                base.jobRecordTtl(), base.exportUrlTtl(), base.archiveCacheBytes(), directoryMemory);
        return new MessageApiHandler(MessageApi.create(apiConfig, remembering,
                Backends.aws(apiConfig, remembering, stack.closeLater(meter == null
                                ? AwsClientFactory.dynamoDb(apiConfig)
                                : AwsClientFactory.dynamoDb(apiConfig, List.of(meter))),
                        stack.closeLater(AwsClientFactory.sqs(apiConfig)),
                        stack.closeLater(AwsClientFactory.s3(apiConfig)),
                        stack.closeLater(AwsClientFactory.s3Presigner(apiConfig.clientSettings()))),
                new RecordingMetrics(), Clock.systemUTC()), () -> { });
    }

    /** Another API container, with attachments, whose clock is {@code clock}. */
    MessageApiHandler apiAt(Clock clock) {
        Map<String, String> environment = stack.environmentOf(API);
        ServiceConfig apiConfig = ServiceConfig.fromEnvironment(environment);
        JobsConfig jobs = JobsConfig.fromEnvironment(environment);
        return new MessageApiHandler(MessageApi.create(apiConfig, jobs,
                Backends.aws(apiConfig, jobs, stack.bucket("AttachmentsBucket"),
                        stack.closeLater(AwsClientFactory.dynamoDb(apiConfig)),
                        stack.closeLater(AwsClientFactory.sqs(apiConfig)),
                        stack.closeLater(AwsClientFactory.s3(apiConfig)),
                        stack.closeLater(AwsClientFactory.s3Presigner(apiConfig.clientSettings()))),
                new RecordingMetrics(), clock), () -> { });
    }

    /** A batch function container: its own environment, role and clients. */
    UserBatchHandler batchHandler(BatchConfig batch, Clock clock) {
        Map<String, String> environment = stack.environmentOf(BATCH);
        ServiceConfig batchConfig = ServiceConfig.fromEnvironment(environment);
        JobsConfig batchJobs = JobsConfig.fromEnvironment(environment);
        S3Client batchS3 = stack.closeLater(AwsClientFactory.s3(batchConfig));
        ObjectStore batchObjects = new S3ObjectStore(batchS3,
                stack.closeLater(AwsClientFactory.s3Presigner(batchConfig.clientSettings())), bucket);
        // The erase's settle margin as the stack's parameters set it (none), whatever the test's config.
        BatchConfig settling = new BatchConfig(batch.concurrency(), batch.backoffBase(), batch.backoffMax(),
                batch.maxReceiveCount(), batch.timeMargin(), batch.leaseTtl(), batch.export(),
                BatchConfig.fromEnvironment(environment).settleMargin());
        return new UserBatchHandler(UserBatchHandler.Wiring.create(batchConfig, batchJobs, settling,
                stack.closeLater(AwsClientFactory.dynamoDb(batchConfig)),
                stack.closeLater(AwsClientFactory.sqs(batchConfig)), queueUrl, batchObjects,
                new S3MultipartUploads(batchS3, bucket), clock,
                JobMetrics.noop()).processor(), batch.timeMargin(), () -> { });
    }

    ApiResult call(ApiEvent event) {
        return ApiResult.of(LambdaExchanges.invokeChecked(api, event.toEvent()));
    }

    JsonNode append(String chat, String user, boolean bot, String text) {
        ApiResult created = call(ApiEvent.fromFile("append-message.json")
                .request("POST", "/v1/chats/" + chat + "/messages")
                .withoutHeader("Idempotency-Key")
                .jsonBody(Map.of("userId", user, "isBot", bot, "text", text)));
        assertThat(created.status()).isEqualTo(201);
        return created.json();
    }

    JsonNode edit(String chat, String messageId, long version, String text) {
        ApiResult edited = call(ApiEvent.fromFile("edit-message.json")
                .request("PATCH", "/v1/chats/" + chat + "/messages/" + messageId)
                .header("If-Match", "\"" + version + "\"")
                .jsonBody(Map.of("text", text)));
        assertThat(edited.status()).isEqualTo(200);
        return edited.json();
    }

    void delete(String chat, String messageId, long version) {
        ApiResult deleted = call(ApiEvent.fromFile("delete-message.json")
                .request("DELETE", "/v1/chats/" + chat + "/messages/" + messageId)
                .header("If-Match", "\"" + version + "\""));
        assertThat(deleted.status()).isEqualTo(200);
    }

    /** Every page of a chat's history, each page's items as returned. */
    List<List<JsonNode>> pages(String chat, int limit, boolean includeDeleted) {
        List<List<JsonNode>> pages = new ArrayList<>();
        String cursor = null;
        do {
            ApiEvent request = ApiEvent.fromFile("list-messages.json")
                    .request("GET", "/v1/chats/" + chat + "/messages")
                    .query("limit", Integer.toString(limit))
                    .query("includeDeleted", Boolean.toString(includeDeleted));
            if (cursor != null) {
                request.query("cursor", cursor);
            }
            ApiResult page = call(request);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            List<JsonNode> items = new ArrayList<>();
            page.json().path("items").forEach(items::add);
            assertThat(items.size()).isLessThanOrEqualTo(limit);
            pages.add(items);
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
            assertThat(pages.size()).as("pages read").isLessThan(10_000);
        } while (cursor != null);
        return pages;
    }

    List<JsonNode> history(String chat, int limit, boolean includeDeleted) {
        List<JsonNode> all = new ArrayList<>();
        pages(chat, limit, includeDeleted).forEach(all::addAll);
        return all;
    }

    /** Submits a job through the API and returns its id. */
    String submitJob(String user, Map<String, Object> body) {
        ApiResult accepted = call(ApiEvent.fromFile("submit-job.json")
                .request("POST", "/v1/users/" + user + "/jobs")
                .jsonBody(body));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        return accepted.json().path("jobId").asText();
    }

    JsonNode job(String jobId) {
        ApiResult job = call(ApiEvent.fromFile("get-job.json").request("GET", "/v1/jobs/" + jobId));
        assertThat(job.status()).as(job.body()).isEqualTo(200);
        return job.json();
    }

    /** Receives what is visible on the queue (up to ten), as Lambda's poller would. */
    List<Message> receive(String url, int waitSeconds) {
        return (url.equals(queueUrl) ? poller : sqs).receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** One poll-invoke-delete cycle of the event source; returns the ids reported failed. */
    List<String> deliverOnce(UserBatchHandler handler, List<Message> received) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : received) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setReceiptHandle(m.receiptHandle());
            record.setBody(m.body());
            Map<String, String> attributes = new java.util.HashMap<>();
            m.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
            record.setAttributes(attributes);
            record.setEventSource("aws:sqs");
            records.add(record);
        }
        event.setRecords(records);
        SQSBatchResponse response = handler.handleRequest(event, new LocalLambdaContext("user-batch", 300, 1024));
        List<String> failed = new ArrayList<>();
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        for (Message m : received) {
            if (!failed.contains(m.messageId())) {
                poller.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return failed;
    }

    /** Delivers until the queue has been empty for a moment; for jobs expected to succeed. */
    void drain(UserBatchHandler handler) {
        drain(handler, () -> { });
    }

    /**
     * As {@link #drain(UserBatchHandler)}, running {@code betweenPolls} after each poll (a test
     * moving its clock past a continuation's delay). Polls briefly rather than long-polling, so a
     * drained queue is noticed in a fraction of a second.
     */
    void drain(UserBatchHandler handler, Runnable betweenPolls) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int quietPolls = 0;
        while (System.nanoTime() < deadline) {
            List<Message> received = receive(queueUrl, 0);
            if (received.isEmpty()) {
                // Quiet twice in a row, nothing visible, delayed or in flight: a job continuing in
                // a delayed message (an erase settling) is not taken for a drained queue.
                quietPolls = visibleMessages() + pendingMessages() == 0 ? quietPolls + 1 : 0;
                if (quietPolls == 2) {
                    return;
                }
                pause(Duration.ofMillis(100));
            } else {
                quietPolls = 0;
                assertThat(deliverOnce(handler, received)).as("failed deliveries").isEmpty();
            }
            betweenPolls.run();
        }
        throw new AssertionError("queue did not drain");
    }

    private int visibleMessages() {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while draining", e);
        }
    }

    /** Messages sent with a delay not yet over (a job's continuation), or received and not yet deleted. */
    int pendingMessages() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"))
                + Integer.parseInt(attributes.getOrDefault(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    @Override
    public void close() {
        stack.close();
    }
}
