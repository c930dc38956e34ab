package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.resources.LocalResources;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.json.Json;
import dev.chathistory.tests.TestAws;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The function as the template deploys it on the local stack, invoked the way docs/operations.md
 * tells an operator to: the schedule's input, and {@code redrive-dlq} through
 * {@code POST /_local/functions/MaintenanceFunction/invoke}. This checks the environment the
 * template gives the function (queues, tables) is what the code reads.
 */
class MaintenanceLocalStackIT {

    private static LocalDeployment deployment;
    private static SqsClient sqs;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void deploy() throws Exception {
        deployment = TestAws.deployTemplate("maint");
        sqs = AwsClientFactory.sqs(new ClientSettings(deployment.resources().region(),
                Optional.of(TestAws.emulator().endpoint()), Duration.ofSeconds(10), Duration.ofSeconds(5), 3));
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void scheduledSweep_shouldRunWithTheTemplatesInput() {
        JsonNode summary = Json.parseTrusted(deployment.fireSchedule("MaintenanceFunction/Sweep"));

        assertThat(summary.path("complete").asBoolean()).as(summary.toString()).isTrue();
        assertThat(summary.has("dlqDepth")).isTrue();
        assertThat(summary.has("staleJobsExpired")).isTrue();
    }

    @Test
    void redriveDlq_shouldEmptyTheTemplatesDeadLetterQueue_whenInvokedOverLocalHttp() throws Exception {
        LocalResources.Queue dlq = deployment.resources().queues().get("JobsDeadLetterQueue");
        for (int i = 0; i < 3; i++) {
            String body = new JobRequest("redrive-" + i, JobType.RECOUNT, "default", "redrive-user", null).toJson();
            sqs.sendMessage(b -> b.queueUrl(dlq.url()).messageBody(body));
        }

        HttpResponse<String> response = invoke("{\"action\":\"redrive-dlq\",\"max\":50}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.parseTrusted(response.body()).path("moved").asInt()).isEqualTo(3);
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(dlq.url()).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes())
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
    }

    @Test
    void unknownAction_shouldFailTheInvocation_withAClearMessage() throws Exception {
        HttpResponse<String> response = invoke("{\"action\":\"vacuum\"}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("unknown maintenance action").contains("redrive-dlq");
    }

    private static HttpResponse<String> invoke(String event) throws Exception {
        return http.send(HttpRequest.newBuilder(deployment.baseUrl().resolve("/_local/functions/MaintenanceFunction/invoke"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(event))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
