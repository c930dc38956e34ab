package dev.chathistory.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.ChatHistoryException;
import dev.chathistory.client.ConflictException;
import dev.chathistory.client.Message;
import dev.chathistory.client.NewMessage;
import dev.chathistory.client.Page;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.repository.dynamodb.DynamoDbApiKeyRepository;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Bots through the Java client against the whole local stack ({@code ./run-local}), for a bounded
 * time: each bot, with its own tenant and API key, answers its users in its chats, appending their
 * message and its reply, paging history, editing its replies with {@code If-Match}, and reading
 * settings. Prints throughput, p50/p99 latency and errors per operation, and each operation's p50
 * over the emulator's own p50 for a comparable DynamoDB call made with the plain SDK against the
 * same emulator (the stack's overhead: HTTP API, authorizer, IAM gateway, handler, the calls an
 * operation makes). Starts {@code ./run-local} if nothing listens on {@code PORT} (default 3000),
 * and stops what it started. Usage: {@code benchmarks/run-load [seconds, default 60] [bots, default 16]}.
 */
public final class LoadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHATS_PER_BOT = 6;
    private static final int USERS_PER_BOT = 6;
    private static final int EMULATOR_SAMPLES = 300;

    /** What a bot does, and how often (weights out of 100). */
    enum Op {
        APPEND(45), HISTORY(25), EDIT(10), SETTINGS(20);

        final int weight;

        Op(int weight) {
            this.weight = weight;
        }
    }

    /** Latencies (nanoseconds) and errors of one operation, from every bot. */
    static final class Stats {
        private final List<long[]> chunks = new ArrayList<>();
        private long[] current = new long[4096];
        private int size;
        private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

        synchronized void record(long nanos) {
            if (size == current.length) {
                chunks.add(current);
                current = new long[4096];
                size = 0;
            }
            current[size++] = nanos;
        }

        void error(String kind) {
            errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }

        synchronized long[] sorted() {
            long[] all = new long[chunks.size() * 4096 + size];
            int at = 0;
            for (long[] chunk : chunks) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            System.arraycopy(current, 0, all, at, size);
            Arrays.sort(all);
            return all;
        }

        long errorCount() {
            return errors.values().stream().mapToLong(AtomicLong::get).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int bots = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
        URI base = URI.create("http://127.0.0.1:" + port);

        Process started = null;
        if (!listening(port)) {
            started = startRunLocal(port);
        }
        Process stack = started;
        Thread stopper = new Thread(() -> stop(stack), "stop-run-local");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            run(base, seconds, bots, started != null);
        } finally {
            stop(stack);
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
    }

    private static void run(URI base, int seconds, int bots, boolean startedHere) throws Exception {
        JsonNode described = JSON.readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("/_local")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        URI emulator = URI.create(described.path("emulator").asText());
        String usersTable = described.path("tables").path("UsersTable").asText();
        String messagesTable = described.path("tables").path("MessagesTable").asText();

        // Tooling talks to the emulator directly, as ./admin does.
        ClientSettings settings = ClientSettings.forEmulator("us-east-1", emulator)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        Map<Op, Stats> stats = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            stats.put(op, new Stats());
        }
        Map<String, double[]> emulatorP50;
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Bot> all = new ArrayList<>();
        try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(settings, List.of())) {
            ApiKeys keys = new ApiKeys(new DynamoDbApiKeyRepository(dynamoDb, usersTable), MessageIdGenerator.ulid(),
                    Clock.systemUTC());
            for (int b = 0; b < bots; b++) {
                // A tenant per bot: each bot is its own customer, with its own key and request quota.
                String tenant = "load-" + run + "-" + b;
                keys.createTenant(tenant, tenant);
                ChatHistoryClient client = ChatHistoryClient.builder().baseUri(base)
                        .apiKey(keys.issue(tenant, "run-load").key()).requestTimeout(Duration.ofSeconds(30)).build();
                all.add(new Bot(b, client, stats, new Random(b)));
            }
            System.err.printf("run-load: %d bots (a tenant each) setting up their chats and users%n", bots);
            long setupStarted = System.nanoTime();
            runAll(all, Bot::setUp);
            System.err.printf("run-load: set up in %.1f s; now %d s of load%n",
                    (System.nanoTime() - setupStarted) / 1e9, seconds);

            // One bot alone first: each operation's latency without queueing behind the others.
            int soloSeconds = Math.max(3, Math.min(10, seconds / 6));
            System.err.printf("run-load: %d s of one bot alone, then %d s of all %d%n", soloSeconds, seconds, bots);
            Map<Op, Stats> solo = new EnumMap<>(Op.class);
            for (Op op : Op.values()) {
                solo.put(op, new Stats());
            }
            Bot alone = all.get(0).measuringInto(solo);
            alone.load(System.nanoTime() + TimeUnit.SECONDS.toNanos(soloSeconds));
            all.get(0).takeRepliesFrom(alone);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long loadStarted = System.nanoTime();
            runAll(all, bot -> bot.load(deadline));
            double elapsed = (System.nanoTime() - loadStarted) / 1e9;

            System.err.println("run-load: measuring the emulator's own latency (plain SDK, one call at a time)");
            emulatorP50 = emulatorLatency(dynamoDb, messagesTable, run);
            print(stats, solo, elapsed, bots, emulator, emulatorP50, startedHere);
        }
    }

    /** Runs every bot on its own thread and waits for all of them. */
    private static void runAll(List<Bot> bots, java.util.function.Consumer<Bot> work) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(bots.size());
        for (Bot bot : bots) {
            Thread thread = new Thread(() -> {
                try {
                    work.accept(bot);
                } finally {
                    done.countDown();
                }
            }, "bot-" + bot.index);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
    }

    /** One bot: its chats and users, and the latest version of its last reply in each chat. */
    static final class Bot {
        final int index;
        private final ChatHistoryClient client;
        private final Map<Op, Stats> stats;
        private final Random random;
        private final String[] chats = new String[CHATS_PER_BOT];
        private final String[] users = new String[USERS_PER_BOT];
        private final Message[] lastReply = new Message[CHATS_PER_BOT];

        /** The same bot (chats, users, replies), recording into other stats. */
        Bot measuringInto(Map<Op, Stats> other) {
            Bot copy = new Bot(index, client, other, random);
            System.arraycopy(lastReply, 0, copy.lastReply, 0, CHATS_PER_BOT);
            return copy;
        }

        void takeRepliesFrom(Bot other) {
            System.arraycopy(other.lastReply, 0, lastReply, 0, CHATS_PER_BOT);
        }

        Bot(int index, ChatHistoryClient client, Map<Op, Stats> stats, Random random) {
            this.index = index;
            this.client = client;
            this.stats = stats;
            this.random = random;
            for (int c = 0; c < CHATS_PER_BOT; c++) {
                chats[c] = "chat-" + c;
            }
            for (int u = 0; u < USERS_PER_BOT; u++) {
                users[u] = "user-" + u;
            }
        }

        /** Settings for every user and a first exchange in every chat (not measured). */
        void setUp() {
            for (String user : users) {
                ObjectNode value = JSON.createObjectNode().put("language", "en").put("persona", "helpful");
                client.putSettings(user, value, 0);
            }
            for (int c = 0; c < CHATS_PER_BOT; c++) {
                client.append(chats[c], NewMessage.of(users[c % USERS_PER_BOT], false, "Hello!"));
                lastReply[c] = client.append(chats[c], NewMessage.of(users[c % USERS_PER_BOT], true,
                        "Hello, how can I help?")).message();
            }
        }

        void load(long deadline) {
            while (System.nanoTime() < deadline) {
                Op op = pick();
                int c = random.nextInt(CHATS_PER_BOT);
                long started = System.nanoTime();
                try {
                    switch (op) {
                        case APPEND -> append(c);
                        case HISTORY -> history(c);
                        case EDIT -> edit(c);
                        case SETTINGS -> client.getSettings(users[random.nextInt(USERS_PER_BOT)]);
                    }
                    stats.get(op).record(System.nanoTime() - started);
                } catch (ConflictException e) {
                    stats.get(op).error("412 " + e.code());
                    // Read the reply again, as a bot would, and carry on.
                    try {
                        lastReply[c] = client.getMessage(chats[c], lastReply[c].messageId());
                    } catch (RuntimeException ignored) {
                        // counted above
                    }
                } catch (ChatHistoryException e) {
                    stats.get(op).error(e.status() + " " + e.code());
                } catch (RuntimeException e) {
                    stats.get(op).error(e.getClass().getSimpleName());
                }
            }
        }

        private Op pick() {
            int roll = random.nextInt(100);
            for (Op op : Op.values()) {
                roll -= op.weight;
                if (roll < 0) {
                    return op;
                }
            }
            return Op.APPEND;
        }

        /** A user's message or the bot's reply to it, alternately. */
        private void append(int c) {
            boolean reply = random.nextBoolean();
            String user = users[(c + random.nextInt(2)) % USERS_PER_BOT];
            var appended = client.append(chats[c], NewMessage.of(user, reply,
                    (reply ? "Here is what I found: " : "Can you tell me about ") + sentence(random)));
            if (reply) {
                lastReply[c] = appended.message();
            }
        }

        private static final String[] WORDS = ("the weather tomorrow in Berlin a good recipe for pasta how to reset my "
                + "password flights to Madrid next week the meaning of this error message python list "
                + "comprehension your opening hours a cheaper plan").split(" ");

        private static String sentence(Random random) {
            StringBuilder text = new StringBuilder();
            int words = 6 + random.nextInt(30);
            for (int w = 0; w < words; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            return text.append('.').toString();
        }

        /** The newest page, and the one before it now and then. */
        private void history(int c) {
            Page<Message> page = client.listMessages(chats[c], 20, null, false);
            if (page.hasMore() && random.nextInt(4) == 0) {
                client.listMessages(chats[c], 20, page.nextCursor(), false);
            }
        }

        /** The bot corrects its last reply, with the version it has. */
        private void edit(int c) {
            Message reply = lastReply[c];
            lastReply[c] = client.editText(chats[c], reply.messageId(), reply.version(),
                    reply.text() + " (edited)");
        }
    }

    /**
     * The emulator's p50 and p99 (ms) for a PutItem, GetItem and Query of one small item, one call at a
     * time with the plain SDK: what a single DynamoDB call costs before anything of ours.
     */
    private static Map<String, double[]> emulatorLatency(DynamoDbClient dynamoDb, String table, String run) {
        Map<String, double[]> result = new TreeMap<>();
        long[] put = new long[EMULATOR_SAMPLES];
        long[] get = new long[EMULATOR_SAMPLES];
        long[] query = new long[EMULATOR_SAMPLES];
        String pk = "LOADPROBE#" + run;
        for (int i = 0; i < EMULATOR_SAMPLES; i++) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(pk),
                    "sk", AttributeValue.fromS(String.format("M#%06d", i % 40)));
            Map<String, AttributeValue> item = new java.util.HashMap<>(key);
            item.put("text", AttributeValue.fromS("probe message " + i));
            long t = System.nanoTime();
            dynamoDb.putItem(b -> b.tableName(table).item(item));
            put[i] = System.nanoTime() - t;
            t = System.nanoTime();
            dynamoDb.getItem(b -> b.tableName(table).key(key));
            get[i] = System.nanoTime() - t;
            t = System.nanoTime();
            dynamoDb.query(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .scanIndexForward(false).limit(20));
            query[i] = System.nanoTime() - t;
        }
        for (int i = 0; i < 40; i++) {
            String sk = String.format("M#%06d", i);
            dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk),
                    "sk", AttributeValue.fromS(sk))));
        }
        // The first calls warm the connection and the JIT.
        result.put("GetItem", percentiles(Arrays.copyOfRange(get, 50, EMULATOR_SAMPLES)));
        result.put("PutItem", percentiles(Arrays.copyOfRange(put, 50, EMULATOR_SAMPLES)));
        result.put("Query", percentiles(Arrays.copyOfRange(query, 50, EMULATOR_SAMPLES)));
        return result;
    }

    private static double[] percentiles(long[] nanos) {
        Arrays.sort(nanos);
        return new double[] {at(nanos, 0.50), at(nanos, 0.99)};
    }

    private static double at(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static void print(Map<Op, Stats> stats, Map<Op, Stats> solo, double elapsed, int bots, URI emulator,
                              Map<String, double[]> emulatorP50, boolean startedHere) {
        Map<Op, String> comparable = Map.of(Op.APPEND, "PutItem", Op.HISTORY, "Query", Op.EDIT, "PutItem",
                Op.SETTINGS, "GetItem");
        long total = 0;
        long errors = 0;
        for (Stats s : stats.values()) {
            total += s.sorted().length;
            errors += s.errorCount();
        }
        PrintOut out = new PrintOut();
        out.line("");
        out.line("Load: %d bots (a tenant and key each) through clients/java against ./run-local (%s), %.1f s",
                bots, startedHere ? "started by run-load" : "already running", elapsed);
        out.line("emulator: %s (%s); JVM %s on %d cores", emulator,
                System.getenv().getOrDefault("LOCAL_EMULATOR", "run-local's default"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        out.line("throughput: %.1f ops/s (%d operations), errors: %d", total / elapsed, total, errors);
        out.line("");
        out.line("| operation | share | ops/s | p50 | p99 | errors | one bot alone: p50 | comparable emulator call, p50 "
                + "| alone p50 / emulator p50 | loaded p50 / emulator p50 |");
        out.line("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        for (Op op : Op.values()) {
            Stats s = stats.get(op);
            long[] sorted = s.sorted();
            double p50 = at(sorted, 0.50);
            double[] emu = emulatorP50.get(comparable.get(op));
            double soloP50 = at(solo.get(op).sorted(), 0.50);
            out.line("| %s | %d%% | %.1f | %.1f ms | %.1f ms | %s | %.1f ms | %s %.2f ms | %.1fx | %.1fx |",
                    op.name().toLowerCase(Locale.ROOT), op.weight, sorted.length / elapsed, p50, at(sorted, 0.99),
                    s.errorCount() == 0 ? "0" : s.errorCount() + " " + new TreeMap<>(s.errors), soloP50,
                    comparable.get(op), emu[0], soloP50 / emu[0], p50 / emu[0]);
        }
        out.line("");
        out.line("emulator's own latency, plain SDK straight to %s, one call at a time, after the load:", emulator);
        emulatorP50.forEach((call, p) -> out.line("  %s: p50 %.2f ms, p99 %.2f ms", call, p[0], p[1]));
        out.line("alone p50 / emulator p50 is our overhead; loaded adds the queueing of %d bots behind the local "
                + "stack's 4 instances per function and one emulator process.", bots);
        out.line("Each operation passes the local HTTP API, the authorizer (cached"
                + " per key),");
        out.line("  the function, and for each of its AWS calls (often several: idempotency record, message, "
                + "activity) the IAM gateway and the emulator.");
        out.line("history pages 20 messages (a quarter of the time also the page before); edit is If-Match on "
                + "the bot's last reply;");
        out.line("  settings is a read of one of the bot's users (the API caches them).");
    }

    /** True if something accepts connections on the loopback port. */
    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts ./run-local on the port, and waits until it has printed its banner. */
    private static Process startRunLocal(int port) throws IOException, InterruptedException {
        Path root = ProjectRoot.find();
        Path log = Files.createTempFile("run-load-", ".log");
        System.err.printf("run-load: nothing on port %d; starting ./run-local (log: %s)%n", port, log);
        ProcessBuilder builder = new ProcessBuilder(root.resolve("run-local").toString())
                .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(port));
        // A MiniStack started here keeps its state apart from the developer's own.
        builder.environment().putIfAbsent("LOCAL_STATE_DIR", Files.createTempDirectory("run-load-state").toString());
        Process process = builder.start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); var writer = Files.newBufferedWriter(log)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    writer.write(line);
                    writer.newLine();
                    writer.flush();
                    if (line.contains("export CHAT_HISTORY_KEY=")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process is gone; the wait below notices
            }
        }, "run-local-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!ready.await(1, TimeUnit.SECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop(process);
                throw new IllegalStateException("./run-local did not start; see " + log + ":\n"
                        + String.join("\n", tail(log)));
            }
        }
        return process;
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 15), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Stops ./run-local if this run started it: SIGTERM, so it stops its emulator too. */
    private static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class PrintOut {
        void line(String format, Object... args) {
            System.out.println(String.format(Locale.ROOT, format, args));
        }
    }
}
