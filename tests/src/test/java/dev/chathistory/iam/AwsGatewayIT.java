package dev.chathistory.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.local.aws.IamCallLog;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.tests.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/**
 * What the local stack's AWS gateway refuses, seen from a function's own SDK client: the same
 * exception, error code and status AWS gives, for calls outside the role, including those a
 * condition key decides ({@code dynamodb:LeadingKeys}, {@code s3:prefix}). Its stack is a
 * probe: the denials here are on purpose.
 */
class AwsGatewayIT {

    private static TestStack stack;

    @BeforeAll
    static void deploy() {
        stack = TestStack.create(IamCallLog.PROBE_STACK_PREFIX + "gw");
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("KEY"));
    }

    @Test
    void theAuthorizer_mayReadKeyItems_andNothingElseOfTheUsersTable() {
        DynamoDbClient authorizer = stack.closeLater(AwsClientFactory.dynamoDb(stack.configOf("AuthorizerFunction")));
        String users = stack.table("UsersTable");

        assertThatCode(() -> authorizer.getItem(b -> b.tableName(users).key(key("K#abc")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> authorizer.getItem(b -> b.tableName(users).key(key("T#tenant#U#alice"))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .contains("is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:")
                            .contains("AuthorizerFunctionRole");
                });
        assertThatThrownBy(() -> authorizer.putItem(b -> b.tableName(users).item(key("K#abc"))))
                .isInstanceOfSatisfying(DynamoDbException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }

    @Test
    void theIngestFunction_mayListUploadsOnly_soAMissingUploadIs404_andAMissingArchiveChunkOfTheApiIs403() {
        S3Client ingest = stack.closeLater(AwsClientFactory.s3(stack.configOf("AttachmentIngestFunction")));
        S3Client api = stack.closeLater(AwsClientFactory.s3(stack.configOf("MessageApiFunction")));
        String attachments = stack.bucket("AttachmentsBucket");

        assertThatCode(() -> ingest.listObjectsV2(b -> b.bucket(attachments).prefix("uploads/t/")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ingest.listObjectsV2(b -> b.bucket(attachments).prefix("blobs/")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
        assertThatThrownBy(() -> ingest.getObject(b -> b.bucket(attachments).key("uploads/t/c/m/gone")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> api.getObject(b -> b.bucket(stack.bucket("DataBucket")).key("archive/t/c/gone")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).as("no s3:ListBucket: S3 does not say whether it exists")
                            .isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
    }

    @Test
    void theApi_mayPutUploadsOnly() {
        S3Client api = stack.closeLater(AwsClientFactory.s3(stack.configOf("MessageApiFunction")));
        String attachments = stack.bucket("AttachmentsBucket");

        assertThatCode(() -> api.putObject(b -> b.bucket(attachments).key("uploads/t/c/m/a"),
                RequestBody.fromString("png"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> api.putObject(b -> b.bucket(attachments).key("blobs/sha256/abc"),
                RequestBody.fromString("png")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    @Test
    void theApi_maySendJobs_butNotReadTheDeadLetterQueue() {
        SqsClient api = stack.closeLater(AwsClientFactory.sqs(stack.configOf("MessageApiFunction")));

        assertThatCode(() -> api.sendMessage(b -> b.queueUrl(stack.queueUrl("JobsQueue")).messageBody("{}")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> api.receiveMessage(b -> b.queueUrl(stack.queueUrl("JobsDeadLetterQueue"))))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
    }

    @Test
    void anSqsBatchOfElevenEntries_shouldBeRefusedAsSqsRefusesIt() {
        SqsClient api = stack.closeLater(AwsClientFactory.sqs(stack.configOf("MessageApiFunction")));
        List<SendMessageBatchRequestEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("{}").build());
        }

        assertThatThrownBy(() -> api.sendMessageBatch(b -> b.queueUrl(stack.queueUrl("JobsQueue")).entries(eleven)))
                .isInstanceOfSatisfying(TooManyEntriesInBatchRequestException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void credentialsNoRoleWasGiven_shouldBeRefusedAsUnknown() {
        ServiceConfig stranger = stack.configOf("MessageApiFunction")
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASTRANGER", "x")));
        DynamoDbClient dynamoDb = stack.closeLater(AwsClientFactory.dynamoDb(stranger));

        assertThatThrownBy(() -> dynamoDb.getItem(b -> b.tableName(stack.table("MessagesTable")).key(key("x"))))
                .isInstanceOfSatisfying(DynamoDbException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
    }

    @Test
    void anExpiredUploadLink_shouldBeRefused() throws Exception {
        ServiceConfig api = stack.configOf("MessageApiFunction");
        S3Presigner presigner = stack.closeLater(AwsClientFactory.s3Presigner(api.clientSettings()));
        String url = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofSeconds(1))
                .putObjectRequest(p -> p.bucket(stack.bucket("AttachmentsBucket")).key("uploads/t/c/m/late")))
                .url().toString();
        Thread.sleep(2_100);

        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofString("png")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(put.body()).contains("<Code>AccessDenied</Code>").contains("Request has expired");
    }
}
