package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A bot's view of a local stack: JSON requests with one tenant's API key, and waiting for jobs. */
public final class StackClient {

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newHttpClient();

    public StackClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** A request to {@code uri} carrying the key. */
    public HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + apiKey);
    }

    public HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = authorized(base.resolve(path)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Submits {@code {"type": type}} for {@code userId} and returns the job id. */
    public String submitJob(String userId, String type) throws Exception {
        HttpResponse<String> accepted = send("POST", "/v1/users/" + userId + "/jobs", "{\"type\":\"" + type + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return Json.parseTrusted(accepted.body()).path("jobId").asText();
    }

    /** Polls the job until it is neither queued nor running, as a bot would. */
    public JsonNode awaitJob(String jobId, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = send("GET", "/v1/jobs/" + jobId, null);
            assertThat(status.statusCode()).isEqualTo(200);
            JsonNode job = Json.parseTrusted(status.body());
            String state = job.path("status").asText();
            if (!state.equals("queued") && !state.equals("running")) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " did not finish within " + patience);
    }
}
