package dev.chathistory.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.attachments.AttachmentKeys;
import dev.chathistory.shared.aws.AwsCallTracing;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.config.Environment;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.config.Settings;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.lambda.InvocationScope;
import dev.chathistory.shared.lambda.Priming;
import dev.chathistory.shared.metrics.FunctionMetrics;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.retry.ConflictRetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda entry point for S3 {@code ObjectCreated} events on the uploads prefix. It reads the
 * event itself rather than through the S3 event class, so a malformed or foreign event is
 * logged and acknowledged instead of failing into retries. Every record is processed; if any
 * failed for a reason worth retrying, the invocation fails after the others are done, and
 * Lambda's asynchronous retries (then the on-failure destination) take over. Repeating the
 * records that did succeed changes nothing.
 */
public final class AttachmentIngestHandler implements RequestStreamHandler, Resource {

    private static final Logger LOG = LoggerFactory.getLogger(AttachmentIngestHandler.class);

    private final Ingestion ingestion;
    private final String bucket;
    private final Runnable flushMetrics;

    /** Called by the Lambda runtime once per container. */
    public AttachmentIngestHandler() {
        this(Wiring.fromEnvironment(Environment.variables()));
        // SnapStart: prime before the snapshot so restored containers start warm.
        Core.getGlobalContext().register(this);
    }

    private AttachmentIngestHandler(Wiring wiring) {
        this(wiring.ingestion(), wiring.bucket(), wiring.metrics()::flush);
    }

    /** Embeds the handler around an ingestion wired elsewhere: the tests and the local stack. */
    public AttachmentIngestHandler(Ingestion ingestion, String bucket, Runnable flushMetrics) {
        this.ingestion = ingestion;
        this.bucket = bucket;
        this.flushMetrics = flushMetrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        InvocationScope.run(context, context.getAwsRequestId(), flushMetrics, () -> {
            handle(event, context);
            return null;
        });
        output.write("{}".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads an S3 event as {@link #handleRequest} does (without acting on it), then
     * {@link Ingestion#prime}: reads in the reserved priming tenant and the image code on an image
     * of its own. A failure never stops the checkpoint.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.run(() -> {
            try {
                Json.mapper().readTree("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
                        + "{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\"uploads%2Fpriming\"}}}]}").path("Records")
                        .forEach(this::objectKey);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ingestion.prime();
        });
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the SDK re-resolves credentials and reconnects on demand.
    }

    private void handle(byte[] event, Context context) {
        JsonNode records;
        try {
            records = Json.mapper().readTree(event).path("Records");
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignored an event that is not JSON");
            return;
        }
        if (!records.isArray()) {
            LOG.warn("ignored an event without Records");
            return;
        }
        List<RuntimeException> failures = new ArrayList<>();
        for (JsonNode record : records) {
            String key = objectKey(record);
            if (key == null) {
                continue;
            }
            try {
                Ingestion.Outcome outcome = ingestion.ingest(key,
                        Duration.ofMillis(context.getRemainingTimeInMillis()));
                LOG.info("upload processed: {}", outcome);
            } catch (RuntimeException e) {
                LOG.error("upload failed; the invocation will be retried: {}", e.toString());
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** The decoded key of a creation in our bucket under the uploads prefix, else null. */
    private String objectKey(JsonNode record) {
        String eventName = record.path("eventName").asText("");
        String recordBucket = record.path("s3").path("bucket").path("name").asText("");
        String rawKey = record.path("s3").path("object").path("key").asText(null);
        if (!eventName.startsWith("ObjectCreated:") || !bucket.equals(recordBucket) || rawKey == null) {
            LOG.warn("ignored a record that is not an upload to this bucket");
            return null;
        }
        String key;
        try {
            // S3 event keys are URL-encoded, spaces as '+'.
            key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignored a record with an undecodable key");
            return null;
        }
        if (!key.startsWith(AttachmentKeys.UPLOADS_PREFIX)) {
            LOG.warn("ignored a record outside the uploads prefix");
            return null;
        }
        return key;
    }

    /** The production object graph, built once per container. */
    public record Wiring(Ingestion ingestion, String bucket, IngestMetrics metrics) {

        public static Wiring fromEnvironment(Map<String, String> env) {
            ServiceConfig config = ServiceConfig.fromEnvironment(env);
            String bucket = Settings.required(env, "ATTACHMENTS_BUCKET");
            FunctionMetrics functionMetrics = FunctionMetrics.fromEnvironment(env);
            ClientSettings clients = config.clientSettings().withMetricPublisher(functionMetrics.awsCalls())
                    .withInterceptors(AwsCallTracing.interceptors(env));
            IngestMetrics metrics = new PowertoolsIngestMetrics(functionMetrics);
            Ingestion ingestion = new Ingestion(
                    new DynamoDbAttachmentRepository(AwsClientFactory.dynamoDb(clients, List.of()), config.messagesTable()),
                    new S3IngestObjects(AwsClientFactory.s3(clients), bucket),
                    AttachmentsConfig.fromEnvironment(env), Clock.systemUTC(),
                    Path.of(System.getProperty("java.io.tmpdir")), ConflictRetry.defaults(), metrics);
            return new Wiring(ingestion, bucket, metrics);
        }
    }
}
