package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chathistory.ingest.TestImages;
import dev.chathistory.local.LoopbackHttpServers;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.repository.dynamodb.DynamoDbApiKeyRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * Each function's zip ({@code functions/<name>/target/<name>.zip}, as {@code sam build} unpacks
 * it) runs from its own contents: a fresh JVM whose classpath is only Lambda's runtime
 * interface client (the code the java21 runtime runs, with its serialization and core jars),
 * which loads the handler from the unpacked zip (root and {@code lib/*.jar}) with its own class
 * loader, as on Lambda, and is invoked once through a Runtime API served here with an event
 * from {@code events/}. The handler acts as the function of a {@link TestStack}: its template
 * environment and role, every AWS call through the local stack's IAM check.
 *
 * <p>This is what catches a class the packaging shrank away or left out (the zips are shrunk by
 * ProGuard, see build-support/proguard/lambda.pro): it would fail at load or on the invocation's
 * path, either as an error posted to the Runtime API or as a linkage error in the output. The
 * output must also be JSON lines (the structured logs), and the API's must hold its metrics.
 *
 * <p>Every invocation is sampled for tracing, as Lambda's active tracing would, with the X-Ray
 * daemon address pointing at a UDP socket here: the functions that trace their AWS calls must
 * send each call as a subsegment of the invocation's trace, from the zip's own X-Ray classes.
 */
class LambdaZipIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINKAGE_ERROR = Pattern.compile(
            "NoClassDefFoundError|ClassNotFoundException|NoSuchMethodError|NoSuchFieldError"
                    + "|AbstractMethodError|IncompatibleClassChangeError|ExceptionInInitializerError"
                    + "|ServiceConfigurationError");
    private static final long TIMEOUT_SECONDS = 120;
    private static final String TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793";
    private static final String TRACE_PARENT = "53995c3f42cd8ad8";

    private static TestStack stack;

    @TempDir
    Path work;

    @BeforeAll
    static void deploy() {
        stack = TestStack.create("zip");
    }

    @AfterAll
    static void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void authorizer_grantsAnIssuedKey_fromItsZipAlone() throws Exception {
        ApiKeys keys = new ApiKeys(new DynamoDbApiKeyRepository(stack.adminDynamoDb(), stack.table("UsersTable")),
                MessageIdGenerator.ulid(), Clock.systemUTC());
        keys.createTenant("tenant-zip", "zip test");
        ApiKeys.Issued issued = keys.issue("tenant-zip", "zip test");
        String event = event("authorize-request.json")
                .replace("chk_REPLACE_WITH_A_KEY_FROM_ADMIN_ISSUE_KEY", issued.key());

        Invocation result = invoke("authorizer", "AuthorizerFunction", event);

        assertRan(result);
        JsonNode response = JSON.readTree(result.body());
        assertThat(response.path("isAuthorized").asBoolean()).as(result.describe()).isTrue();
        assertThat(response.path("context").path("tenantId").asText()).isEqualTo("tenant-zip");
        assertThat(result.output()).as("the key never reaches the log").doesNotContain(issued.key());
        assertThat(result.traces()).as("the authorizer ships no X-Ray SDK").isEmpty();
    }

    @Test
    void messageApi_appendsAMessage_fromItsZipAlone() throws Exception {
        Invocation result = invoke("message-api", "MessageApiFunction", event("append-message.json"));

        assertRan(result);
        assertThat(JSON.readTree(result.body()).path("statusCode").asInt()).as(result.describe()).isEqualTo(201);
        // One document: the append's own metric, each AWS call the SDK published, and the
        // memory sample of a container's first invocation.
        assertThat(jsonLines(result)).as("EMF metrics flushed: " + result.describe())
                .anyMatch(line -> line.has("_aws") && line.has("MessagesAppended")
                        && line.has("DynamoDB.PutItem.Latency") && line.has("DynamoDB.PutItem.Attempts")
                        && line.has("HeapUsed") && line.has("ResidentMemory"));
        // Its AWS calls as subsegments of the invocation's trace: the append's write, with the
        // table's name and nothing of the message.
        assertThat(awsSubsegments(result)).as("X-Ray subsegments: " + result.describe())
                .anyMatch(subsegment -> "PutItem".equals(subsegment.path("aws").path("operation").asText())
                        && subsegment.path("aws").path("table_name").asText().contains("Messages"));
        assertThat(result.traces()).as("no message text in a trace")
                .noneMatch(document -> document.toString().contains("Hello, bot!"));
    }

    @Test
    void userBatch_takesABatch_fromItsZipAlone() throws Exception {
        Invocation result = invoke("user-batch", "UserBatchFunction", event("job-batch.json"));

        assertRan(result);
        assertThat(JSON.readTree(result.body()).has("batchItemFailures")).as(result.describe()).isTrue();
        // The jobs run on worker threads: their calls still join the invocation's trace.
        assertThat(awsSubsegments(result)).as("X-Ray subsegments: " + result.describe())
                .anyMatch(subsegment -> "DynamoDB".equalsIgnoreCase(subsegment.path("name").asText()));
    }

    @Test
    void maintenance_sweeps_fromItsZipAlone() throws Exception {
        Invocation result = invoke("maintenance", "MaintenanceFunction", event("maintenance-sweep.json"));

        assertRan(result);
    }

    @Test
    void attachmentIngest_processesAnUpload_fromItsZipAlone() throws Exception {
        String bucket = stack.bucket("AttachmentsBucket");
        String event = event("attachment-uploaded.json")
                .replace("chat-history-attachments-123456789012-us-east-1", bucket);
        String key = JSON.readTree(event).path("Records").get(0).path("s3").path("object").path("key").asText();
        stack.adminS3().putObject(b -> b.bucket(bucket).key(key).contentType("image/png"),
                RequestBody.fromBytes(TestImages.png(64, 48, 7)));

        Invocation result = invoke("attachment-ingest", "AttachmentIngestFunction", event);

        assertRan(result);
        assertThat(result.output()).as(result.describe()).contains("upload processed");
    }

    // ------------------------------------------------------------------------------------------

    /**
     * The subsegments of AWS calls the function sent, after checking each belongs to the
     * invocation's trace, under the function's segment (the Parent of the trace header).
     */
    private static List<JsonNode> awsSubsegments(Invocation result) {
        List<JsonNode> calls = result.traces().stream()
                .filter(document -> "aws".equals(document.path("namespace").asText())).toList();
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.path("type").asText()).isEqualTo("subsegment");
            assertThat(call.path("trace_id").asText()).isEqualTo(TRACE_ID);
            assertThat(call.path("parent_id").asText()).isEqualTo(TRACE_PARENT);
            assertThat(call.path("end_time").asDouble()).isGreaterThanOrEqualTo(call.path("start_time").asDouble());
        });
        return calls;
    }

    private static void assertRan(Invocation result) {
        assertThat(result.kind()).as(result.describe()).isEqualTo("response");
        assertThat(LINKAGE_ERROR.matcher(result.output()).find()).as(result.describe()).isFalse();
        assertThat(jsonLines(result)).as("structured JSON logs: " + result.describe()).isNotEmpty();
    }

    /** Every output line that starts like a JSON object must be one (a log line or EMF). */
    private static List<JsonNode> jsonLines(Invocation result) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (line.startsWith("{")) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
        }
        return lines;
    }

    private static String event(String file) throws IOException {
        return Files.readString(ProjectRoot.find().resolve("events").resolve(file));
    }

    private Invocation invoke(String module, String logicalId, String event) throws Exception {
        Path zip = ProjectRoot.find().resolve("functions").resolve(module).resolve("target").resolve(module + ".zip");
        assertThat(zip).as("built by `./mvnw package` of " + module + " (the reactor builds it before tests)")
                .exists();
        Path taskRoot = Files.createDirectories(work.resolve(module));
        unzip(zip, taskRoot);
        String handler = handlerOf(logicalId);
        Path output = work.resolve(module + ".log");

        try (RuntimeApi api = new RuntimeApi(event); XRayDaemon daemon = new XRayDaemon()) {
            Map<String, String> env = new LinkedHashMap<>(stack.environmentOf(logicalId));
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            // What Lambda sets when the function's tracing is Active.
            env.put("AWS_XRAY_DAEMON_ADDRESS", daemon.address());
            env.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + logicalId);
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "zip-it");
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("_HANDLER", handler);
            env.put("TZ", ":UTC");
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            // The runtime's own flags on Lambda (JAVA_TOOL_OPTIONS aside).
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xmx512m",
                    "-classpath", runtimeClasspath(),
                    AWSLambda.class.getName(), handler)
                    .directory(taskRoot.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process = builder.start();
            try {
                RuntimeApi.Outcome outcome;
                try {
                    outcome = api.outcome().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    outcome = new RuntimeApi.Outcome("timeout", "");
                }
                // The runtime logs the invocation before it polls again: let the output settle
                // (and the last subsegments arrive).
                Thread.sleep(300);
                return new Invocation(module, outcome.kind(), outcome.body(), Files.readString(output),
                        daemon.documents());
            } finally {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The Handler the template gives the function. */
    private static String handlerOf(String logicalId) {
        return TestAws.template().functions().stream()
                .filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .map(f -> f.handler())
                .orElseThrow(() -> new AssertionError("no function " + logicalId + " in template.yaml"));
    }

    /**
     * What the java21 runtime puts on its own classpath: the runtime interface client, the
     * runtime's event serialization and aws-lambda-java-core (and utils-lite, which the client
     * uses). Nothing of the function: that comes from the task root only.
     */
    private static String runtimeClasspath() {
        return List.of(AWSLambda.class, LambdaEventSerializers.class, Context.class, SdkInternalThreadLocal.class)
                .stream().map(LambdaZipIT::jarOf).distinct().collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the zip's root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }

    private record Invocation(String function, String kind, String body, String output, List<JsonNode> traces) {
        String describe() {
            return function + " ended with " + kind + " " + body + "\n--- its output ---\n" + output;
        }
    }

    /**
     * Lambda's Runtime API for one invocation: the first poll gets the event, later polls wait
     * until the test ends; the first response or error (of the invocation or of the init) is
     * the outcome.
     */
    private static final class RuntimeApi implements AutoCloseable {

        record Outcome(String kind, String body) {
        }

        private static final String REQUEST_ID = "8f2b8f3e-zip-it-0001";

        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final byte[] event;
        private final AtomicBoolean served = new AtomicBoolean();
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private final CountDownLatch closed = new CountDownLatch(1);

        RuntimeApi(String event) throws IOException {
            this.event = event.getBytes(StandardCharsets.UTF_8);
            this.server = LoopbackHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(executor);
            server.createContext("/2018-06-01/runtime/", this::handle);
            server.start();
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        CompletableFuture<Outcome> outcome() {
            return outcome;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                if ("GET".equals(exchange.getRequestMethod()) && path.endsWith("/invocation/next")) {
                    if (!served.compareAndSet(false, true)) {
                        closed.await();
                        exchange.sendResponseHeaders(500, -1);
                        return;
                    }
                    exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", REQUEST_ID);
                    exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms",
                            Long.toString(System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
                    exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
                            "arn:aws:lambda:us-east-1:123456789012:function:zip-it");
                    exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id",
                            "Root=" + TRACE_ID + ";Parent=" + TRACE_PARENT + ";Sampled=1");
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, event.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(event);
                    }
                    return;
                }
                String text = new String(body, StandardCharsets.UTF_8);
                if (path.endsWith("/init/error")) {
                    outcome.complete(new Outcome("init error", text));
                } else if (path.endsWith("/" + REQUEST_ID + "/response")) {
                    outcome.complete(new Outcome("response", text));
                } else if (path.endsWith("/" + REQUEST_ID + "/error")) {
                    outcome.complete(new Outcome("error", text));
                } else {
                    outcome.complete(new Outcome("unexpected call " + exchange.getRequestMethod() + " " + path, text));
                }
                exchange.sendResponseHeaders(202, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            closed.countDown();
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /**
     * The X-Ray daemon's UDP endpoint: collects the segment documents a function sends (each
     * datagram is a header line, then one JSON document).
     */
    private static final class XRayDaemon implements AutoCloseable {

        private final DatagramSocket socket;
        private final List<JsonNode> documents = new CopyOnWriteArrayList<>();
        private final Thread receiver;

        XRayDaemon() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            receiver = new Thread(this::receive, "xray-daemon");
            receiver.setDaemon(true);
            receiver.start();
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        List<JsonNode> documents() {
            return List.copyOf(documents);
        }

        private void receive() {
            byte[] buffer = new byte[64 * 1024];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (IOException e) {
                    return;
                }
                String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                int header = datagram.indexOf('\n');
                try {
                    documents.add(JSON.readTree(datagram.substring(header + 1)));
                } catch (IOException e) {
                    throw new AssertionError("not a segment document: " + datagram, e);
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
