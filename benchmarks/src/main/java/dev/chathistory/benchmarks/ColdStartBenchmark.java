package dev.chathistory.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chathistory.ingest.TestImages;
import dev.chathistory.local.Emulator;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.LoopbackHttpServers;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.local.template.SamTemplate.FunctionDefinition;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentKeys;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Cold start of every function as Lambda's managed java runtime runs it: a fresh JVM per start,
 * with the flags the runtime passes (serial GC, CDS, heap from the function's MemorySize, the
 * template's JAVA_TOOL_OPTIONS), running the real runtime interface client
 * ({@code aws-lambda-java-runtime-interface-client}, what the managed runtimes are built on) with
 * the function's zip unpacked as its task root, against a stand-in Runtime API on loopback that
 * hands out one event from {@code events/}. The function's AWS calls go to the local stack
 * (emulator behind the IAM-checking gateway, with the function's template environment and role).
 *
 * <p>Measured per start: from starting the process to its first {@code /next} (init done), and
 * to its first {@code /response} (the first invocation answered), and the process's peak RSS
 * (VmHWM) once it has answered. {@code --mode=snap-start} runs the runtime's SnapStart path
 * instead: init, the {@code org.crac} hooks (priming), {@code /restore/next}, then the event; it
 * times from the restore to the first response, which is what a restored container adds to
 * the snapshot restore itself (not measurable here).
 *
 * <p>Usage: {@code benchmarks/run-cold-start [--runs=5] [--functions=authorizer,...]
 * [--jdk=NAME=JAVA_HOME,...] [--http=url,crt] [--mode=on-demand,snap-start] [--jvm-options="..."]}. {@code crt} runs a
 * variant of each zip with the AWS CRT HTTP client (benchmark-only: the product's client factory
 * recompiled with the CRT client in the task root, the CRT jars added to lib/).
 */
public final class ColdStartBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String API_TENANT = "tenant-test";
    /** USER_HZ, the unit of /proc/<pid>/stat's times; 100 on Linux on x86_64 and arm64. */
    private static final long CLOCK_TICKS = 100;

    /** What is measured of one function, and the targets it is held to (issue 17). */
    private record Target(String logicalId, String event, long maxFirstResponseMs, Long maxRssMiB) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("AuthorizerFunction", "authorize-request.json", 600, 160L),
            new Target("MessageApiFunction", "append-message.json", 1000, 160L),
            new Target("UserBatchFunction", "job-batch.json", 1000, 160L),
            new Target("AttachmentIngestFunction", "attachment-uploaded.json", 1000, null),
            new Target("MaintenanceFunction", "maintenance-sweep.json", 1000, 160L));

    private record Jdk(String name, Path home) {
    }

    private record Variant(Jdk jdk, String http, String mode) {
        boolean snapStart() {
            return mode.equals("snap-start");
        }
    }

    /** One start: milliseconds from process start, -1 when it did not happen. */
    private record Run(long initMs, long responseMs, long restoreToResponseMs, long peakRssKiB, long cpuMs,
                       String outcome) {
    }

    private final Path root;
    private final SamTemplate template;
    private final LocalDeployment deployment;
    private final RuntimeApi runtimeApi;
    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final List<String> runtimeClasspath;
    private final List<Path> crtJars;
    private final Path work;
    private String apiKey;
    private List<String> extraJvmOptions = List.of();

    private ColdStartBenchmark(Path root, SamTemplate template, LocalDeployment deployment, RuntimeApi runtimeApi,
                               ClientSettings admin, List<String> runtimeClasspath, List<Path> crtJars) {
        this.root = root;
        this.template = template;
        this.deployment = deployment;
        this.runtimeApi = runtimeApi;
        this.dynamoDb = AwsClientFactory.dynamoDb(admin, List.of());
        this.s3 = AwsClientFactory.s3(admin);
        this.runtimeClasspath = runtimeClasspath;
        this.crtJars = crtJars;
        this.work = root.resolve("benchmarks/target/cold-start");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        List<String> functions = list(options.get("functions"));
        List<Jdk> jdks = jdks(options.get("jdk"));
        List<String> https = Optional.ofNullable(list(options.get("http"))).orElse(List.of("url"));
        List<String> modes = Optional.ofNullable(list(options.get("mode"))).orElse(List.of("on-demand"));

        Path root = ProjectRoot.find();
        SamTemplate template = SamTemplate.loadFrom(root);
        List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        // The managed runtime's own classpath (/var/runtime/lib): the client and what it needs.
        List<String> runtimeClasspath = classpath.stream()
                .filter(p -> Stream.of("aws-lambda-java-runtime-interface-client-", "aws-lambda-java-core-",
                        "aws-lambda-java-serialization-", "utils-lite-").anyMatch(p::contains))
                .toList();
        List<Path> crtJars = classpath.stream()
                .filter(p -> Stream.of("/aws-crt-client-", "/aws-crt-", "/crt-core-").anyMatch(p::contains))
                .map(Path::of).toList();
        if (runtimeClasspath.size() != 4) {
            throw new IllegalStateException("the runtime interface client's classpath is incomplete: " + runtimeClasspath);
        }

        // The benchmark's own calls (the stack's resources, the test data) use the emulator's dummy keys.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        try (Emulator emulator = Emulator.startOrConnect(root);
             RuntimeApi runtimeApi = RuntimeApi.start();
             LocalDeployment deployment = LocalDeployment.start(LocalDeployment.Options.defaults(template, 0)
                     .withStackName("coldstart-" + UUID.randomUUID().toString().substring(0, 8))
                     .withoutFunctions(), emulator.endpoint())) {
            ClientSettings admin = ClientSettings.forEmulator(deployment.resources().region(), emulator.endpoint());
            ColdStartBenchmark benchmark = new ColdStartBenchmark(root, template, deployment, runtimeApi, admin,
                    runtimeClasspath, crtJars);
            benchmark.apiKey = deployment.issueKey("bench", "cold-start").key();
            // Diagnostics only (class loading logs, JFR): they change what is measured.
            benchmark.extraJvmOptions = Optional.ofNullable(options.get("jvm-options"))
                    .map(value -> List.of(value.trim().split("\\s+"))).orElse(List.of());
            List<String> rows = new ArrayList<>();
            for (Variant variant : variants(jdks, https, modes)) {
                for (Target target : TARGETS) {
                    if (functions != null && functions.stream().noneMatch(f -> target.logicalId().toLowerCase(Locale.ROOT)
                            .startsWith(f.toLowerCase(Locale.ROOT).replace("-", "")))) {
                        continue;
                    }
                    rows.add(benchmark.measure(target, variant, runs));
                }
            }
            System.out.println();
            System.out.printf("Medians of %d starts each; %d CPUs, %s; host load average at the end %s.%n", runs,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), loadAverage());
            System.out.println();
            System.out.println("| function | MemorySize | JDK | HTTP client | mode | init done (first /next) "
                    + "| first response | restore → response | CPU used | peak RSS | targets (response / RSS) | met |");
            System.out.println("|---|---:|---|---|---|---:|---:|---:|---:|---:|---|---|");
            rows.forEach(System.out::println);
        }
    }

    private String measure(Target target, Variant variant, int runs) throws Exception {
        FunctionDefinition definition = template.functions().stream()
                .filter(f -> f.logicalId().equals(target.logicalId())).findFirst().orElseThrow();
        String module = Path.of(definition.properties().path("CodeUri").asText()).getFileName().toString();
        Path task = taskRoot(module, variant.http());
        List<Run> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Run run = start(definition, task, event(target, definition), variant);
            System.err.printf("%s %s/%s/%s run %d: init %d ms, response %d ms, restore->response %d ms, "
                            + "peak RSS %.1f MiB, CPU %d ms, %s%n", target.logicalId(), variant.jdk().name(), variant.http(),
                    variant.mode(), i + 1, run.initMs(), run.responseMs(), run.restoreToResponseMs(),
                    run.peakRssKiB() / 1024.0, run.cpuMs(), run.outcome());
            results.add(run);
        }
        long init = median(results, Run::initMs);
        long response = median(results, Run::responseMs);
        long restored = median(results, Run::restoreToResponseMs);
        double rssMiB = median(results, Run::peakRssKiB) / 1024.0;
        long cpu = median(results, Run::cpuMs);
        // Cold: the first response is the figure; restored: what a restored container adds.
        long held = variant.snapStart() ? restored : response;
        boolean met = held >= 0 && held <= target.maxFirstResponseMs()
                && (target.maxRssMiB() == null || rssMiB <= target.maxRssMiB());
        return String.format(Locale.ROOT, "| %s | %d MB | %s | %s | %s | %d ms | %d ms | %s | %d ms | %.0f MiB | ≤ %d ms / %s | %s |",
                module, definition.memoryMb(), variant.jdk().name(), variant.http(), variant.mode(), init, response,
                variant.snapStart() ? restored + " ms" : "–", cpu, rssMiB, target.maxFirstResponseMs(),
                target.maxRssMiB() == null ? "–" : "≤ " + target.maxRssMiB() + " MiB", met ? "yes" : "**no**");
    }

    /** One fresh JVM, as Lambda starts it, until it has answered its first event. */
    private Run start(FunctionDefinition definition, Path task, String event, Variant variant) throws Exception {
        int memoryMb = definition.memoryMb();
        List<String> command = new ArrayList<>(List.of(variant.jdk().home().resolve("bin/java").toString(),
                // What the managed runtime passes: heap at 85% of the function's memory, the
                // serial collector, class data sharing, IPv4.
                "-XX:MaxHeapSize=" + (memoryMb * 1024L * 85 / 100) + "k",
                "-XX:+UseSerialGC", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true",
                // Inside Lambda the JVM sees the function's memory as the machine's; without this
                // it would size its initial heap from this host's RAM.
                "-XX:MaxRAM=" + memoryMb + "m"));
        command.addAll(extraJvmOptions);
        if (variant.snapStart()) {
            // As the runtime does for SnapStart: org.crac's hooks run by the client's own context.
            command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        }
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, runtimeClasspath), RIC_MAIN,
                definition.handler()));

        Map<String, String> env = new LinkedHashMap<>(deployment.functionEnvironment(definition.logicalId()));
        String name = env.get("AWS_LAMBDA_FUNCTION_NAME");
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.port());
        env.put("LAMBDA_TASK_ROOT", task.toString());
        // What Lambda sets under Tracing: Active, so the functions build their X-Ray recorder in
        // init as on AWS. Invocations here are unsampled (Sampled=0, as most are under X-Ray's
        // default rule), so nothing is sent to the address.
        env.put("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000");
        env.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        env.put("_HANDLER", definition.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + definition.runtime());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", variant.snapStart() ? "1" : "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", variant.snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "cold-start");
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");

        Path log = work.resolve("logs/" + definition.logicalId() + "-" + variant.jdk().name() + "-"
                + variant.http() + "-" + variant.mode() + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(task.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);

        Invocation invocation = runtimeApi.expect(event, "arn:aws:lambda:us-east-1:000000000000:function:" + name);
        long started = System.nanoTime();
        Process process = builder.start();
        invocation.started(started, process.pid());
        try {
            invocation.awaitAnswer(START_TIMEOUT, process);
            // Peak RSS once it has answered and asked for the next event.
            invocation.awaitIdle(Duration.ofSeconds(10));
            long rss = peakRssKiB(process.pid());
            return new Run(invocation.millis(invocation.firstNext), invocation.millis(invocation.answered),
                    invocation.restored == 0 ? -1 : (invocation.answered - invocation.restored) / 1_000_000,
                    rss, cpuMillis(process.pid()), invocation.outcome);
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            invocation.release();
        }
    }

    /** The event of a start: the file from events/, made to fit this stack (fresh ids, real key, an upload). */
    private String event(Target target, FunctionDefinition definition) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(root.resolve("events").resolve(target.event()).toFile());
        switch (target.logicalId()) {
            case "AuthorizerFunction" -> {
                String header = "Bearer " + apiKey;
                ((ObjectNode) event.path("headers")).put("authorization", header);
                event.putArray("identitySource").add(header);
            }
            case "MessageApiFunction" -> {
                // A fresh idempotency key and request each start: an append, not a replay.
                ((ObjectNode) event.path("headers")).put("idempotency-key", UUID.randomUUID().toString());
                ((ObjectNode) event.path("requestContext")).put("requestId", UUID.randomUUID().toString());
                ((ObjectNode) event.path("requestContext").path("authorizer").path("lambda")).put("tenantId", API_TENANT);
            }
            case "AttachmentIngestFunction" -> {
                ObjectNode s3Node = (ObjectNode) event.path("Records").get(0).path("s3");
                String bucket = deployment.resources().buckets().get("AttachmentsBucket");
                ((ObjectNode) s3Node.path("bucket")).put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
                String key = pendingUpload(bucket);
                ((ObjectNode) s3Node.path("object")).put("key", key);
            }
            default -> {
                // user-batch and maintenance take their events as they are
            }
        }
        return JSON.writeValueAsString(event);
    }

    /** A message with a pending attachment whose JPEG has been uploaded: what ingestion gets. */
    private String pendingUpload(String bucket) {
        String messagesTable = deployment.resources().tables().get("MessagesTable");
        MessageIdGenerator ids = MessageIdGenerator.ulid();
        ChatRef chat = new ChatRef(API_TENANT, "chat-" + UUID.randomUUID().toString().substring(0, 8));
        String messageId = ids.nextId();
        String attachmentId = ids.nextId();
        Instant now = Instant.now();
        new DynamoDbMessageRepository(dynamoDb, messagesTable).insert(chat,
                Message.first(chat.chatId(), messageId, "user-7", false, "a photo", null, now));
        byte[] jpeg = TestImages.jpeg(1280, 960, 17);
        new DynamoDbAttachmentRepository(dynamoDb, messagesTable).createPending(chat,
                Attachment.pending(chat.chatId(), messageId, attachmentId, ImageType.JPEG, jpeg.length, "photo.jpg", now),
                now.plus(Duration.ofHours(1)));
        String key = AttachmentKeys.uploadKey(chat, messageId, attachmentId);
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(jpeg));
        return key;
    }

    /** The function's zip unpacked (once per run of the benchmark); for "crt", the CRT variant of it. */
    private Path taskRoot(String module, String http) throws IOException {
        Path task = work.resolve("task/" + module + "-" + http);
        if (Files.exists(task.resolve(".complete"))) {
            return task;
        }
        deleteTree(task);
        Path zip = root.resolve("functions/" + module + "/target/" + module + ".zip");
        if (!Files.exists(zip)) {
            throw new IllegalStateException(zip + " is missing: ./mvnw -q -pl functions/" + module
                    + " -am package -DskipTests");
        }
        unzip(zip, task);
        switch (http) {
            case "url" -> {
                // the product as built
            }
            case "crt" -> withCrtClient(task);
            default -> throw new IllegalArgumentException("--http is url or crt, not " + http);
        }
        Files.createFile(task.resolve(".complete"));
        return task;
    }

    /**
     * The product's client factory with AwsCrtHttpClient in place of url-connection, compiled into
     * the task root (which the runtime's class loader searches before lib/), and the CRT jars.
     */
    private void withCrtClient(Path task) throws IOException {
        if (crtJars.size() != 3) {
            throw new IllegalStateException("the CRT client's jars are not on the classpath: " + crtJars);
        }
        for (Path jar : crtJars) {
            Files.copy(jar, task.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path source = root.resolve("shared/src/main/java/dev/chathistory/shared/aws/AwsClientFactory.java");
        Matcher method = Pattern.compile("(static SdkHttpClient httpClient\\(ClientSettings config\\) \\{\\n)(.*?)(\\n    \\})",
                Pattern.DOTALL).matcher(Files.readString(source));
        if (!method.find()) {
            throw new IllegalStateException("AwsClientFactory.httpClient(ClientSettings) not found; update the CRT variant");
        }
        String patched = method.replaceFirst(Matcher.quoteReplacement(method.group(1)
                + "        return software.amazon.awssdk.http.crt.AwsCrtHttpClient.builder()\n"
                + "                .connectionTimeout(Duration.ofSeconds(2))\n"
                + "                .build();" + method.group(3)));
        Path sources = work.resolve("crt-src/dev/chathistory/shared/aws");
        Files.createDirectories(sources);
        Path patchedFile = sources.resolve("AwsClientFactory.java");
        Files.writeString(patchedFile, patched);
        // Against the benchmark's classpath (every SDK client): a trimmed zip (the authorizer has
        // no S3 or SQS) still carries the factory's methods for them, never called, as built.
        String classpath = System.getProperty("java.class.path");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "17", "-nowarn", "-cp", classpath, "-d", task.toString(),
                patchedFile.toString());
        if (status != 0) {
            throw new IllegalStateException("could not compile the CRT variant of AwsClientFactory");
        }
    }

    private static long peakRssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // gone already
        }
        return -1;
    }

    /**
     * CPU time the process has used (user + system, all threads): less disturbed than wall time
     * by other work on the machine, so it shows a change of the function's own start cost.
     */
    private static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long median(List<Run> runs, java.util.function.ToLongFunction<Run> metric) {
        long[] values = runs.stream().mapToLong(metric).sorted().toArray();
        return values[values.length / 2];
    }

    private static List<Variant> variants(List<Jdk> jdks, List<String> https, List<String> modes) {
        List<Variant> variants = new ArrayList<>();
        for (Jdk jdk : jdks) {
            for (String http : https) {
                for (String mode : modes) {
                    if (!mode.equals("on-demand") && !mode.equals("snap-start")) {
                        throw new IllegalArgumentException("--mode is on-demand or snap-start, not " + mode);
                    }
                    variants.add(new Variant(jdk, http, mode));
                }
            }
        }
        return variants;
    }

    /** {@code NAME=JAVA_HOME,...}; by default the JDK running the benchmark. */
    private static List<Jdk> jdks(String option) {
        if (option == null) {
            return List.of(new Jdk(Integer.toString(Runtime.version().feature()), Path.of(System.getProperty("java.home"))));
        }
        return Arrays.stream(option.split(",")).map(spec -> {
            String[] parts = spec.split("=", 2);
            Path home = Path.of(parts[1]);
            if (!Files.isExecutable(home.resolve("bin/java"))) {
                throw new IllegalArgumentException("no bin/java under " + home);
            }
            return new Jdk(parts[0], home);
        }).toList();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("options are --name=value, got " + arg);
            }
            String[] parts = arg.substring(2).split("=", 2);
            options.put(parts[0], parts[1]);
        }
        return options;
    }

    private static List<String> list(String value) {
        return value == null ? null : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One expected start: what the stand-in Runtime API saw of it, in System.nanoTime(). */
    private static final class Invocation {
        final String event;
        final String functionArn;
        final String requestId = UUID.randomUUID().toString();
        final CompletableFuture<Void> answeredFuture = new CompletableFuture<>();
        final CountDownLatch idle = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        volatile long started;
        volatile long pid;
        volatile long firstNext;
        volatile long restored;
        volatile long answered;
        volatile String outcome = "no answer";
        volatile int nextCalls;

        Invocation(String event, String functionArn) {
            this.event = event;
            this.functionArn = functionArn;
        }

        void started(long nanos, long processId) {
            this.started = nanos;
            this.pid = processId;
        }

        long millis(long at) {
            return at == 0 ? -1 : (at - started) / 1_000_000;
        }

        void awaitAnswer(Duration timeout, Process process) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    answeredFuture.get(100, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException notYet) {
                    if (!process.isAlive()) {
                        outcome = "exited " + process.exitValue() + " before answering";
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    return;
                }
            }
            outcome = "timed out";
        }

        void awaitIdle(Duration timeout) throws InterruptedException {
            idle.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void release() {
            released.countDown();
        }
    }

    /**
     * The part of Lambda's Runtime API the client uses: /next (the expected event, then holds the
     * second call until the start is over), /response and /error, SnapStart's /restore/next.
     */
    private static final class RuntimeApi implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor;
        private volatile Invocation current;

        private RuntimeApi(HttpServer server, ExecutorService executor) {
            this.server = server;
            this.executor = executor;
        }

        static RuntimeApi start() throws IOException {
            HttpServer server = LoopbackHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "runtime-api");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            RuntimeApi api = new RuntimeApi(server, executor);
            server.createContext("/2018-06-01/runtime/", api::handle);
            server.start();
            return api;
        }

        int port() {
            return server.getAddress().getPort();
        }

        Invocation expect(String event, String functionArn) {
            Invocation invocation = new Invocation(event, functionArn);
            current = invocation;
            return invocation;
        }

        private void handle(HttpExchange exchange) throws IOException {
            long now = System.nanoTime();
            Invocation invocation = current;
            String path = exchange.getRequestURI().getPath().substring("/2018-06-01/runtime/".length());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                if (invocation == null) {
                    send(exchange, 500, "{}");
                } else if (path.equals("invocation/next")) {
                    next(exchange, invocation, now);
                } else if (path.equals("restore/next")) {
                    invocation.restored = now;
                    send(exchange, 200, "");
                } else if (path.endsWith("/response")) {
                    invocation.answered = now;
                    invocation.outcome = summary(body);
                    send(exchange, 202, "{\"status\":\"OK\"}");
                    invocation.answeredFuture.complete(null);
                } else if (path.endsWith("/error")) {
                    // invocation/{id}/error, init/error, restore/error
                    invocation.answered = now;
                    invocation.outcome = "ERROR " + path + ": " + new String(body, StandardCharsets.UTF_8);
                    send(exchange, 202, "{\"status\":\"OK\"}");
                    invocation.answeredFuture.complete(null);
                } else {
                    send(exchange, 404, "{}");
                }
            } catch (IOException gone) {
                // the process was stopped while we answered it
            } finally {
                exchange.close();
            }
        }

        private void next(HttpExchange exchange, Invocation invocation, long now) throws IOException {
            int call = ++invocation.nextCalls;
            if (call == 1) {
                invocation.firstNext = now;
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + 300_000));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn);
                exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
                        "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                send(exchange, 200, invocation.event);
                return;
            }
            // Answered and waiting for more: that is the moment to read its peak RSS.
            invocation.idle.countDown();
            try {
                invocation.released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(exchange, 500, "{}");
        }

        private static String summary(byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8);
            try {
                JsonNode node = JSON.readTree(text);
                if (node.has("statusCode")) {
                    return "HTTP " + node.path("statusCode").asInt();
                }
                if (node.has("isAuthorized")) {
                    return "isAuthorized=" + node.path("isAuthorized").asBoolean();
                }
                if (node.has("batchItemFailures")) {
                    return "batchItemFailures=" + node.path("batchItemFailures").size();
                }
            } catch (IOException notJson) {
                // shown as it is
            }
            return text.length() > 80 ? text.substring(0, 80) + "…" : text;
        }

        private static void send(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
