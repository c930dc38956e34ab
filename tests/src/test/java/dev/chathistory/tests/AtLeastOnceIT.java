package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.client.Attachment;
import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.Job;
import dev.chathistory.client.Message;
import dev.chathistory.client.NewMessage;
import dev.chathistory.ingest.TestImages;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SQS and S3 deliver at least once. On a stack whose event sources hand every record to its
 * function twice, every job and every ingestion must leave exactly the state one delivery
 * leaves: one blob with one reference, counts not doubled, one export, an erase that verifies.
 */
class AtLeastOnceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String USER = "twice-user";

    private static LocalDeployment deployment;
    private static ChatHistoryClient client;
    private static S3Client s3;
    private static DynamoDbClient dynamoDb;
    private static String tenant;

    @BeforeAll
    static void deploy() throws Exception {
        deployment = LocalDeployment.start(LocalDeployment.Options.defaults(TestAws.template(), 0)
                .withStackName(TestAws.stackName("twice")).withSchedulesEnabled(false).withEveryDeliveryTwice(true)
                .withParameterOverrides(TestAws.testParameters(Map.of())),
                TestAws.emulator().endpoint());
        tenant = "twice-tenant";
        client = ChatHistoryClient.builder().baseUri(deployment.baseUrl())
                .apiKey(deployment.issueKey(tenant, "AtLeastOnceIT").key()).build();
        ClientSettings admin = ClientSettings.forEmulator("us-east-1", TestAws.emulator().endpoint());
        s3 = AwsClientFactory.s3(admin);
        dynamoDb = AwsClientFactory.dynamoDb(admin, List.of());
    }

    @AfterAll
    static void stop() {
        deployment.close();
        s3.close();
        dynamoDb.close();
    }

    @Test
    void everyJobAndIngestion_deliveredTwice_shouldLeaveWhatOneDeliveryLeaves() throws Exception {
        List<Message> appended = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            appended.add(client.append("twice-chat", NewMessage.of(USER, false, "hello " + i)).message());
        }

        byte[] png = TestImages.png(64, 48, 77);
        Attachment uploaded = client.uploadAttachment("twice-chat", appended.get(0).messageId(), "image/png", png,
                "dot.png");
        Attachment ready = await(() -> client.getAttachment("twice-chat", appended.get(0).messageId(),
                uploaded.attachmentId()), a -> !a.status().equals("pending"));
        assertThat(ready.status()).isEqualTo("ready");
        String bucket = deployment.resources().buckets().get("AttachmentsBucket");
        DynamoDbAttachmentRepository attachments = new DynamoDbAttachmentRepository(dynamoDb,
                deployment.resources().tables().get("MessagesTable"));
        BlobId blob = new BlobId(tenant, ready.sha256());
        assertThat(attachments.findBlob(blob).orElseThrow().references())
                .as("one reference, though ingested twice").isEqualTo(1);
        assertThat(keys(bucket, blob.objectKey())).hasSize(1);
        assertThat(keys(bucket, "uploads/")).as("the upload, deleted once ingested").isEmpty();

        Job recount = finished(client.submitJob(USER, Job.RECOUNT));
        assertThat(recount.status()).isEqualTo("succeeded");
        assertThat(recount.attempts()).as("the second delivery of a finished job changes nothing").isEqualTo(1);
        assertThat(recount.counts()).containsEntry("messageCount", 3L);

        Job export = finished(client.submitJob(USER, Job.EXPORT));
        assertThat(export.status()).isEqualTo("succeeded");
        assertThat(keys(deployment.resources().buckets().get("DataBucket"), "exports/" + tenant + "/" + USER + "/"))
                .as("one export file").hasSize(1);

        Job erase = finished(client.submitJob(USER, Job.ERASE));
        assertThat(erase.status()).isEqualTo("succeeded");
        assertThat(erase.counts()).containsEntry("messagesErased", 3L);
        assertThat(client.history("twice-chat", 50, true)).isEmpty();
        assertThat(attachments.findBlob(blob).orElseThrow().references()).isZero();
    }

    private static Job finished(Job submitted) throws InterruptedException {
        return await(() -> client.getJob(submitted.jobId()), Job::isFinished);
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        T value = read.get();
        while (!done.test(value)) {
            assertThat(Instant.now()).as("waited %s for %s", PATIENCE, value).isBefore(deadline);
            Thread.sleep(200);
            value = read.get();
        }
        return value;
    }

    private static List<String> keys(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }
}
