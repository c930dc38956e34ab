package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.shared.archive.Gzip;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real template deployed on the local stack: a job submitted over HTTP goes through the job
 * queue to the batch function and its status and result come back over HTTP; maintenance runs
 * on demand. This is what wires the template's queue, bucket, environment and event sources.
 */
class StackJobsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static LocalDeployment deployment;
    private static StackClient client;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void deploy() throws Exception {
        deployment = TestAws.deployTemplate("jobs");
        client = new StackClient(deployment.baseUrl(), deployment.issueKey("jobs-tenant", "StackJobsIT").key());
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @Test
    void jobsSubmittedOverHttp_shouldRunOnTheQueue_andReportTheirResult() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> created = client.send("POST", "/v1/chats/stack-chat/messages",
                    "{\"userId\":\"stack-user\",\"isBot\":false,\"text\":\"hello " + i + "\"}");
            assertThat(created.statusCode()).isEqualTo(201);
        }

        JsonNode recount = client.awaitJob(client.submitJob("stack-user", "recount"), PATIENCE);
        assertThat(recount.path("status").asText()).isEqualTo("succeeded");
        assertThat(recount.path("counts").path("messageCount").asLong()).isEqualTo(3);

        JsonNode export = client.awaitJob(client.submitJob("stack-user", "export"), PATIENCE);
        assertThat(export.path("status").asText()).isEqualTo("succeeded");
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(
                URI.create(export.path("resultUrl").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        String lines = new String(Gzip.decompress(download.body()), StandardCharsets.UTF_8);
        assertThat(lines.lines().filter(l -> l.contains("\"kind\":\"message\""))).hasSize(3);
    }
}
