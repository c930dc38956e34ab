package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chathistory.local.ProjectRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the run command's program as its own process, driven over real HTTP like a bot
 * would, then stopped with Ctrl-C (SIGINT), which must take everything it started with it.
 */
class RunLocalE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern READY = Pattern.compile("ready to serve after (\\d+) ms");
    private static final Pattern DEMO_KEY = Pattern.compile("export CHAT_HISTORY_KEY=(chk_\\S+)");

    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path stateDir;
    private final StringBuffer output = new StringBuffer();
    private Process process;
    private URI base;
    private String apiKey;

    @AfterEach
    void killIfStillRunning() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void runLocal_shouldServeTheApi_andStopEverythingOnCtrlC() throws Exception {
        long readyMillis = start();
        System.out.println("run-local: ready to serve after " + readyMillis + " ms");
        List<ProcessHandle> children = process.descendants().toList();

        String chat = "/v1/chats/e2e-" + UUID.randomUUID() + "/messages";
        assertThat(sendAsIs(HttpRequest.newBuilder(base.resolve(chat)).GET()).statusCode())
                .as("without the demo key").isEqualTo(401);
        HttpResponse<String> first = post(chat, "{\"userId\":\"alice\",\"isBot\":false,\"text\":\"hi\"}", "k-1");
        HttpResponse<String> retry = post(chat, "{\"userId\":\"alice\",\"isBot\":false,\"text\":\"hi\"}", "k-1");
        for (int i = 1; i <= 4; i++) {
            assertThat(post(chat, "{\"userId\":\"bot\",\"isBot\":true,\"text\":\"reply " + i + "\"}", null)
                    .statusCode()).isEqualTo(201);
        }
        String id = JSON.readTree(first.body()).path("messageId").asText();

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(JSON.readTree(retry.body()).path("messageId").asText()).isEqualTo(id);
        assertThat(pageThrough(chat, 2)).containsExactly("reply 4", "reply 3", "reply 2", "reply 1", "hi");

        HttpResponse<String> edited = patch(chat + "/" + id, "\"1\"", "{\"text\":\"hi there\"}");
        HttpResponse<String> conflict = patch(chat + "/" + id, "\"1\"", "{\"text\":\"too late\"}");
        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(edited.headers().firstValue("ETag")).contains("\"2\"");
        assertThat(conflict.statusCode()).isEqualTo(412);
        assertThat(JSON.readTree(conflict.body()).path("error").path("currentVersion").asLong()).isEqualTo(2);

        String settings = "/v1/users/alice-" + UUID.randomUUID() + "/settings";
        HttpResponse<String> saved = send(HttpRequest.newBuilder(base.resolve(settings))
                .header("Content-Type", "application/json").header("If-Match", "\"0\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"language\":\"de\"}")));
        HttpResponse<String> read = send(HttpRequest.newBuilder(base.resolve(settings)).GET());
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("language").asText()).isEqualTo("de");
        assertThat(read.headers().firstValue("ETag")).contains("\"1\"");

        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("run-local exits on Ctrl-C").isTrue();
        for (ProcessHandle child : children) {
            assertThat(child.onExit().get(15, TimeUnit.SECONDS).isAlive()).as("child " + child.pid()).isFalse();
        }
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), base.getPort()), 500);
            }
        }).as("the port is released").isInstanceOf(IOException.class);
    }

    /** Starts RunLocal (what ./run-local execs) on a free port; returns its reported startup time. */
    private long start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path root = ProjectRoot.find();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "dev.chathistory.local.RunLocal")
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(port));
        // With LOCAL_EMULATOR=ministack the program persists its data; keep tests out of .local/.
        builder.environment().put("LOCAL_STATE_DIR", stateDir.toString());
        process = builder.start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "run-local-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        long readyMillis = -1;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    readyMillis = Long.parseLong(ready.group(1));
                }
                Matcher key = DEMO_KEY.matcher(line);
                if (key.find()) {
                    apiKey = key.group(1);
                }
                if (readyMillis >= 0 && apiKey != null) {
                    base = URI.create("http://localhost:" + port);
                    return readyMillis;
                }
            }
            assertThat(process.isAlive()).as("run-local exited early:\n" + output).isTrue();
        }
        throw new AssertionError("run-local did not become ready:\n" + output);
    }

    private List<String> pageThrough(String path, int limit) throws Exception {
        List<String> texts = new ArrayList<>();
        String cursor = null;
        do {
            String query = "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = JSON.readTree(send(HttpRequest.newBuilder(base.resolve(path + query)).GET()).body());
            page.path("items").forEach(item -> texts.add(item.path("text").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        return texts;
    }

    private HttpResponse<String> post(String path, String json, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    private HttpResponse<String> patch(String path, String ifMatch, String json) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json").header("If-Match", ifMatch)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends with the demo tenant's key the runner printed. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return sendAsIs(request.header("Authorization", "Bearer " + apiKey));
    }

    private HttpResponse<String> sendAsIs(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
