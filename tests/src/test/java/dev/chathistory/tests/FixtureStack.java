package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The fixture template (tests/src/test/resources/fixture-stack, recording handlers) deployed on
 * the local stack, with the operator's SQS and S3 clients: what the tests of the local stack
 * itself run against.
 */
final class FixtureStack implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(45);

    final LocalDeployment deployment;
    final SqsClient sqs;
    final S3Client s3;

    FixtureStack(String stackPrefix) {
        URI emulator = TestAws.emulator().endpoint();
        try {
            deployment = LocalDeployment.start(LocalDeployment.Options.defaults(template(), 0)
                    .withStackName(TestAws.stackName(stackPrefix)).withSchedulesEnabled(false), emulator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClientSettings settings = ClientSettings.forEmulator("us-east-1", emulator);
        sqs = AwsClientFactory.sqs(settings);
        s3 = AwsClientFactory.s3(settings);
    }

    static SamTemplate template() {
        return SamTemplate.load(Path.of("src/test/resources/fixture-stack/template.yaml"));
    }

    /** Waits until {@code condition} holds, failing after {@link #PATIENCE}. */
    static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited " + PATIENCE.toSeconds() + " s").isBefore(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        deployment.close();
        sqs.close();
        s3.close();
    }
}
