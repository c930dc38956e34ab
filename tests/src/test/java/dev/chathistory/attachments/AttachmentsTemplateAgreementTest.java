package dev.chathistory.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.ingest.AttachmentIngestHandler;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.attachments.AttachmentKeys;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.repository.dynamodb.MessagesTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The template wires attachments the way the code relies on: uploads under the prefix the
 * code writes trigger ingestion, failures go to a queue after bounded retries, the bucket the
 * function names is the bucket that notifies it, and defaults equal the code's.
 */
class AttachmentsTemplateAgreementTest {

    private final SamTemplate template = SamTemplate.loadFrom(ProjectRoot.find());
    private final JsonNode ingest = template.resource("AttachmentIngestFunction").path("Properties");

    @Test
    void ingestFunction_shouldRunOnUploadsToTheAttachmentsBucket_only() {
        JsonNode event = ingest.path("Events").path("Uploads");

        assertThat(ingest.path("Handler").asText()).startsWith(AttachmentIngestHandler.class.getName() + "::");
        assertThat(event.path("Type").asText()).isEqualTo("S3");
        assertThat(event.path("Properties").path("Bucket").path("Ref").asText()).isEqualTo("AttachmentsBucket");
        assertThat(event.path("Properties").path("Events").asText()).isEqualTo("s3:ObjectCreated:*");
        JsonNode rule = event.path("Properties").path("Filter").path("S3Key").path("Rules").get(0);
        assertThat(rule.path("Name").asText()).isEqualTo("prefix");
        assertThat(rule.path("Value").asText()).isEqualTo(AttachmentKeys.UPLOADS_PREFIX);
    }

    @Test
    void ingestFailures_shouldGoToAQueue_afterBoundedRetries() {
        JsonNode invoke = ingest.path("EventInvokeConfig");

        assertThat(invoke.path("MaximumRetryAttempts").asInt()).isBetween(0, 2);
        assertThat(invoke.path("MaximumEventAgeInSeconds").asInt()).isPositive();
        JsonNode onFailure = invoke.path("DestinationConfig").path("OnFailure");
        assertThat(onFailure.path("Type").asText()).isEqualTo("SQS");
        assertThat(onFailure.path("Destination").path("Fn::GetAtt").get(0).asText())
                .isEqualTo("AttachmentIngestFailuresQueue");
    }

    @Test
    void ingestFunction_shouldNameTheBucketItIsNotifiedBy_andOnlyTouchItsPrefixes() {
        String bucketName = template.resource("AttachmentsBucket").path("Properties").path("BucketName")
                .path("Fn::Sub").asText();
        List<String> resources = new ArrayList<>();
        ingest.path("Policies").forEach(policy -> policy.path("Statement").forEach(statement -> {
            JsonNode resource = statement.path("Resource");
            (resource.isArray() ? resource : List.of(resource)).forEach(r -> resources.add(r.toString()));
        }));

        assertThat(ingest.path("Environment").path("Variables").path("ATTACHMENTS_BUCKET").path("Fn::Sub").asText())
                .isEqualTo(bucketName);
        assertThat(resources).filteredOn(r -> r.contains(":s3:::"))
                .allSatisfy(r -> assertThat(r).contains(bucketName))
                .anySatisfy(r -> assertThat(r).contains(bucketName + "/uploads/*\""))
                .anySatisfy(r -> assertThat(r).contains(bucketName + "/blobs/*\""))
                .anySatisfy(r -> assertThat(r).contains(bucketName + "/thumbnails/*\""));
        assertThat(ingest.path("Policies").toString()).doesNotContain("S3CrudPolicy").doesNotContain("\"s3:*\"");
    }

    @Test
    void attachmentsBucket_shouldBePrivateEncryptedRetained_andExpireStrayUploads() {
        JsonNode bucket = template.resource("AttachmentsBucket");
        JsonNode properties = bucket.path("Properties");

        assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(properties.path("PublicAccessBlockConfiguration").path("RestrictPublicBuckets").asBoolean()).isTrue();
        assertThat(properties.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
                .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText()).isEqualTo("AES256");
        assertThat(properties.path("LifecycleConfiguration").path("Rules").toString())
                .contains("\"Prefix\":\"" + AttachmentKeys.UPLOADS_PREFIX + "\"");
        assertThat(template.resource("AttachmentsBucketTlsOnly").path("Properties").toString())
                .contains("aws:SecureTransport");
    }

    @Test
    void messagesTable_shouldHaveTheSparseUnreferencedBlobsIndex() {
        List<String> indexes = new ArrayList<>();
        template.resource("MessagesTable").path("Properties").path("GlobalSecondaryIndexes").forEach(index -> {
            List<String> keys = new ArrayList<>();
            index.path("KeySchema").forEach(k -> keys.add(k.path("AttributeName").asText()));
            indexes.add(index.path("IndexName").asText() + keys);
        });

        assertThat(indexes).containsExactly(MessagesTable.UNREFERENCED_BLOBS_INDEX
                + List.of(MessagesTable.ORPHAN_SHARD, MessagesTable.ORPHANED_AT));
    }

    @Test
    void parameterDefaults_shouldMatchTheCodeDefaults() {
        AttachmentsConfig config = AttachmentsConfig.fromEnvironment(Map.of());

        assertThat(Long.parseLong(template.parameterDefault("MaxAttachmentBytes"))).isEqualTo(config.maxBytes());
        assertThat(Integer.parseInt(template.parameterDefault("MaxAttachmentsPerMessage")))
                .isEqualTo(config.maxPerMessage());
        assertThat(Long.parseLong(template.parameterDefault("UploadUrlTtlSeconds")))
                .isEqualTo(config.uploadUrlTtl().toSeconds());
        assertThat(Long.parseLong(template.parameterDefault("AttachmentUrlTtlSeconds")))
                .isEqualTo(config.downloadUrlTtl().toSeconds());
        assertThat(Long.parseLong(template.parameterDefault("MaxImagePixels"))).isEqualTo(config.maxPixels());
        assertThat(Integer.parseInt(template.parameterDefault("ThumbnailMaxSide"))).isEqualTo(config.thumbnailMaxSide());
        assertThat(Long.parseLong(template.parameterDefault("BlobGraceHours"))).isEqualTo(config.blobGracePeriod().toHours());
    }
}
