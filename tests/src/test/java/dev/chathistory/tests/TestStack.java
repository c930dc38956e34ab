package dev.chathistory.tests;

import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.config.ServiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every resource of template.yaml under a fresh stack name, with no function running: a test
 * runs a handler itself, acting as one function ({@link #environmentOf}: its template
 * environment, its role's credentials, every AWS call through the local stack's IAM check),
 * and looks at the result with the operator's clients ({@link #adminDynamoDb} and the rest),
 * which go straight to the emulator. Calls a test makes to look never count as the function's.
 */
public final class TestStack implements AutoCloseable {

    private final LocalDeployment deployment;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private TestStack(LocalDeployment deployment) {
        this.deployment = deployment;
        ClientSettings admin = ClientSettings.forEmulator(deployment.resources().region(),
                TestAws.emulator().endpoint());
        this.dynamoDb = AwsClientFactory.dynamoDb(admin, List.of());
        this.sqs = AwsClientFactory.sqs(admin);
        this.s3 = AwsClientFactory.s3(admin);
    }

    public static TestStack create(String stackPrefix) {
        return create(stackPrefix, Map.of());
    }

    /** With template parameters overridden (as {@code sam deploy --parameter-overrides}). */
    public static TestStack create(String stackPrefix, Map<String, String> parameterOverrides) {
        return create(TestAws.template(), stackPrefix, parameterOverrides);
    }

    /** A variant of the template (a test that removes a statement to watch it fail). */
    public static TestStack create(SamTemplate template, String stackPrefix, Map<String, String> parameterOverrides) {
        String stack = TestAws.stackName(stackPrefix);
        try {
            return new TestStack(LocalDeployment.start(LocalDeployment.Options.defaults(template, 0)
                    .withStackName(stack).withParameterOverrides(TestAws.testParameters(parameterOverrides))
                    .withoutFunctions(),
                    TestAws.emulator().endpoint()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LocalDeployment deployment() {
        return deployment;
    }

    /** A new execution environment of the function: what its handler's constructor reads. */
    public Map<String, String> environmentOf(String functionLogicalId) {
        return deployment.functionEnvironment(functionLogicalId);
    }

    /** The function's configuration, as its handler builds it from {@link #environmentOf}. */
    public ServiceConfig configOf(String functionLogicalId) {
        return ServiceConfig.fromEnvironment(environmentOf(functionLogicalId));
    }

    public String table(String logicalId) {
        return deployment.resources().tables().get(logicalId);
    }

    public String bucket(String logicalId) {
        return deployment.resources().buckets().get(logicalId);
    }

    public String queueUrl(String logicalId) {
        return deployment.resources().queues().get(logicalId).url();
    }

    /** The operator's view of the emulator, unrestricted; for setting up and looking. */
    public DynamoDbClient adminDynamoDb() {
        return dynamoDb;
    }

    public SqsClient adminSqs() {
        return sqs;
    }

    public S3Client adminS3() {
        return s3;
    }

    /** Closed with the stack (clients a test built from {@link #configOf}). */
    public <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        dynamoDb.close();
        sqs.close();
        s3.close();
        deployment.close();
    }
}
