package dev.chathistory.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.template.Intrinsics;
import dev.chathistory.local.template.SamTemplate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates, in an emulator, every table, queue (dead-letter queues first) and bucket that
 * template.yaml declares, named {@code <stack>-<LogicalId>}, and records what {@code Ref} and
 * {@code Fn::GetAtt} give for each so function environments and event sources resolve.
 * Existing resources are kept, so data survives a restart on an emulator that persists.
 */
public final class LocalResources {

    /** A queue the stack created. */
    public record Queue(String logicalId, String name, String url, String arn) {
    }

    private static final Map<String, QueueAttributeName> QUEUE_ATTRIBUTES = Map.of(
            "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
            "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
            "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
            "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            "RedrivePolicy", QueueAttributeName.REDRIVE_POLICY,
            "FifoQueue", QueueAttributeName.FIFO_QUEUE,
            "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION);

    private final String region;
    private final Map<String, String> tables = new LinkedHashMap<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, String> buckets = new LinkedHashMap<>();

    private LocalResources(String region) {
        this.region = region;
    }

    public static LocalResources create(SamTemplate template, Intrinsics intrinsics, String stack, String region,
                                        DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3) {
        LocalResources resources = new LocalResources(region);
        resources.defineDefaults(template, intrinsics, stack);
        TableProvisioner tables = new TableProvisioner(dynamoDb);
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((logicalId, resource) -> {
            String name = stack + "-" + logicalId;
            tables.create(name, intrinsics.resolve(resource.path("Properties")));
            resources.tables.put(logicalId, name);
            intrinsics.defineRef(logicalId, name);
            intrinsics.defineAttribute(logicalId, "Arn",
                    "arn:aws:dynamodb:" + region + ":" + intrinsics.accountId() + ":table/" + name);
        });
        resources.createQueues(template, intrinsics, stack, sqs);
        template.resourcesOfType("AWS::S3::Bucket").forEach((logicalId, resource) -> {
            // A named bucket keeps its name (resolved like the stack would), so functions that
            // name it rather than refer to it find the same bucket.
            JsonNode declaredName = resource.path("Properties").path("BucketName");
            String name = declaredName.isMissingNode() ? bucketName(stack, logicalId) : intrinsics.text(declaredName);
            try {
                s3.createBucket(b -> b.bucket(name));
            } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                // kept from an earlier run
            }
            resources.buckets.put(logicalId, name);
            intrinsics.defineRef(logicalId, name);
            intrinsics.defineAttribute(logicalId, "Arn", "arn:aws:s3:::" + name);
        });
        return resources;
    }

    public Map<String, String> tables() {
        return Map.copyOf(tables);
    }

    public Map<String, Queue> queues() {
        return Map.copyOf(queues);
    }

    public Map<String, String> buckets() {
        return Map.copyOf(buckets);
    }

    /** The queue whose ARN this is (event sources name queues by ARN). */
    public Queue queueByArn(String arn) {
        return queues.values().stream().filter(q -> q.arn().equals(arn)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no local queue with ARN " + arn));
    }

    public String region() {
        return region;
    }

    /**
     * Functions, APIs, log groups and the rest are not created in the emulator, but templates
     * refer to them (LoggingConfig, outputs), so give each a stable stand-in.
     */
    private void defineDefaults(SamTemplate template, Intrinsics intrinsics, String stack) {
        for (String type : List.of("AWS::Serverless::Function", "AWS::Serverless::HttpApi", "AWS::Logs::LogGroup")) {
            template.resourcesOfType(type).keySet().forEach(logicalId -> {
                String name = stack + "-" + logicalId;
                intrinsics.defineRef(logicalId, name);
                intrinsics.defineAttribute(logicalId, "Arn",
                        "arn:aws:local:" + region + ":" + intrinsics.accountId() + ":" + name);
            });
        }
    }

    private void createQueues(SamTemplate template, Intrinsics intrinsics, String stack, SqsClient sqs) {
        List<Map.Entry<String, JsonNode>> pending = new ArrayList<>(
                template.resourcesOfType("AWS::SQS::Queue").entrySet());
        // A queue whose redrive policy names another queue waits until that one exists.
        while (!pending.isEmpty()) {
            int before = pending.size();
            for (Iterator<Map.Entry<String, JsonNode>> it = pending.iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode properties;
                try {
                    properties = intrinsics.resolve(entry.getValue().path("Properties"));
                } catch (RuntimeException dependsOnAnotherQueue) {
                    continue;
                }
                createQueue(entry.getKey(), properties, stack, sqs, intrinsics);
                it.remove();
            }
            if (pending.size() == before) {
                throw new IllegalStateException("queues with unresolvable properties: "
                        + pending.stream().map(Map.Entry::getKey).toList());
            }
        }
    }

    private void createQueue(String logicalId, JsonNode properties, String stack, SqsClient sqs,
                             Intrinsics intrinsics) {
        boolean fifo = properties.path("FifoQueue").asBoolean(false);
        String name = properties.hasNonNull("QueueName") ? properties.get("QueueName").asText()
                : stack + "-" + logicalId + (fifo ? ".fifo" : "");
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        QUEUE_ATTRIBUTES.forEach((property, attribute) -> {
            JsonNode value = properties.get(property);
            if (value != null && !value.isNull()) {
                attributes.put(attribute, value.isObject() ? value.toString() : value.asText());
            }
        });
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        queues.put(logicalId, new Queue(logicalId, name, url, arn));
        intrinsics.defineRef(logicalId, url);
        intrinsics.defineAttribute(logicalId, "Arn", arn);
        intrinsics.defineAttribute(logicalId, "QueueName", name);
        intrinsics.defineAttribute(logicalId, "QueueUrl", url);
    }

    /** S3 names: lower case, digits and hyphens, 3 to 63 characters. */
    static String bucketName(String stack, String logicalId) {
        String name = (stack + "-" + logicalId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }
}
