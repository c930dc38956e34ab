package dev.chathistory.benchmarks;

import dev.chathistory.importer.ImportCommand;
import dev.chathistory.local.Emulator;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.resources.TableProvisioner;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Import throughput: a generated legacy SQLite database of N well-formed rows (1,000 users,
 * seeded, short texts in several languages, rising timestamps, user and bot lines alternating)
 * imported into a fresh tenant on the emulator with the real {@code ./import} command, run in
 * this JVM. The command always ends with its validation pass (re-reading the source, reading back
 * every message), so the import's wall time includes it; the write pass on its own is estimated
 * as that time minus a {@code --validate} run of the same import straight after, and the source
 * side (reading and converting, no AWS calls) is shown by a {@code --dry-run} at the end. Usage:
 * {@code benchmarks/run-import-benchmark [rows] [chunkSize]}.
 */
public final class ImportBenchmark {

    private static final int USERS = 1_000;
    private static final long FIRST_USER_ID = 5_000_000L;
    /** Legacy history from 2022 on; 20 s apart, 100,000 rows span about 23 days. */
    private static final Instant START = Instant.parse("2022-01-01T00:00:00Z");

    private static final String[][] PHRASES = {
            {"hello", "can you remind me tomorrow at nine?", "what's the weather like today", "thanks, that worked",
                    "show me the list again", "ok done", "how do I reset my password?", "sure, here it is",
                    "I'll check and get back to you", "set a timer for 10 minutes 🙂"},
            {"hallo", "kannst du mich morgen erinnern?", "wie ist das Wetter heute", "danke, alles klar",
                    "welche Größe brauche ich?", "gute Nacht"},
            {"hola", "¿qué tal?", "recuérdame mañana a las nueve", "gracias, perfecto", "¿cómo puedo hacerlo?"},
            {"привет", "напомни мне завтра в девять", "какая сегодня погода?", "спасибо, понял", "не работает 🤔"},
            {"こんにちは", "明日の天気は？", "ありがとう", "日本語でお願いします"},
    };

    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int chunkSize = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path dir = Files.createTempDirectory("import-benchmark");
        String source = "jdbc:sqlite:" + dir.resolve("legacy.db");
        long generating = System.nanoTime();
        generate(source, rows);
        System.out.printf("generated %,d rows for %,d users in %s in %.1f s%n", rows, USERS, dir,
                seconds(generating));

        int exit;
        try (Emulator emulator = Emulator.startOrConnect(ProjectRoot.find())) {
            requireLoopback(emulator.endpoint());
            Map<String, String> env = new HashMap<>();
            env.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
            env.put("AWS_REGION", "us-east-1");
            env.put("MESSAGES_TABLE", "unset");
            env.put("USERS_TABLE", "unset");
            // An emulator takes any credentials; the endpoint is on this machine.
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
            String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(ServiceConfig.fromEnvironment(env))) {
                Map<String, String> tables = new TableProvisioner(dynamoDb)
                        .createAll(SamTemplate.loadFrom(ProjectRoot.find()), prefix);
                env.put("MESSAGES_TABLE", tables.get("MessagesTable"));
                env.put("USERS_TABLE", tables.get("UsersTable"));
            }
            String tenant = prefix; // a fresh tenant in fresh tables
            String[] common = {"--tenant", tenant, "--source", source, "--import-id", "imp-bench", "--no-progress",
                    "--chunk-size", Integer.toString(chunkSize), "--report", dir.resolve("report.jsonl").toString()};

            Run imported = run("import", common, env);
            exit = imported.exit;
            Run validated = exit == 0 ? run("validate", concat(common, "--validate"), env) : null;
            Run dryRun = exit == 0 ? run("dry run", concat(common, "--dry-run"), env) : null;

            long messages = imported.messages();
            String emulatorName = emulator.kind().map(Enum::name).orElse("external") + " at " + emulator.endpoint();
            System.out.printf("%nImport benchmark: %,d source rows, chunk size %d, into a fresh tenant%n", rows,
                    chunkSize);
            System.out.printf("emulator: %s; JVM %s on %d CPUs%n", emulatorName, System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors());
            System.out.println();
            System.out.println("| figure | value |");
            System.out.println("|---|---:|");
            System.out.printf("| rows in source | %,d |%n", rows);
            System.out.printf("| messages imported | %,d |%n", messages);
            System.out.printf("| import exit status | %d |%n", imported.exit);
            System.out.printf("| import s total (write pass + validation pass) | %.1f |%n", imported.seconds);
            System.out.printf("| messages/s overall | %,.0f |%n", messages / imported.seconds);
            if (validated != null && validated.exit == 0) {
                double write = imported.seconds - validated.seconds;
                System.out.printf("| --validate run s (validation pass alone) | %.1f |%n", validated.seconds);
                System.out.printf("| write pass s (import minus --validate, estimate) | %.1f |%n", write);
                System.out.printf("| messages/s write pass (estimate) | %,.0f |%n", messages / write);
            } else if (validated != null) {
                System.out.printf("| --validate run exit status | %d |%n", validated.exit);
            }
            if (dryRun != null) {
                System.out.printf("| --dry-run s (source read and convert, no AWS calls; exit %d) | %.1f |%n",
                        dryRun.exit, dryRun.seconds);
            }
        }
        if (exit != 0) {
            System.err.println("import exited " + exit);
            System.exit(exit);
        }
    }

    /** One command run: its exit status, wall time and what it printed (echoed here as it was). */
    private record Run(int exit, double seconds, String output) {

        private static final Pattern IMPORTED = Pattern.compile("messages (?:imported|to import): (\\d+)");

        long messages() {
            Matcher m = IMPORTED.matcher(output);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }

    private static Run run(String what, String[] args, Map<String, String> env) {
        System.out.printf("%n--- %s: ./import %s%n", what, String.join(" ", args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int exit = ImportCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        double seconds = seconds(start);
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        System.out.printf("--- %s: exit %d after %.1f s%n", what, exit, seconds);
        return new Run(exit, seconds, printed);
    }

    /** A benchmark writes 100,000 items: only ever to an emulator on this machine. */
    private static void requireLoopback(URI endpoint) throws UnknownHostException {
        String host = endpoint.getHost();
        if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalStateException("the import benchmark only runs against an emulator on a loopback "
                    + "address, not " + endpoint);
        }
    }

    private static String[] concat(String[] args, String more) {
        String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
    }

    /**
     * The legacy schema, filled in one transaction with batched inserts: every row well-formed,
     * ids 1..N, a user from 1,000, timestamps rising (epoch seconds as text, every tenth as
     * ISO-8601), user and bot lines alternating, no attachments.
     */
    private static void generate(String url, int rows) throws Exception {
        Random random = new Random(42);
        try (Connection db = DriverManager.getConnection(url)) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE users (user_id INTEGER PRIMARY KEY, last_activity TEXT)");
                s.execute("CREATE TABLE chat_history (id INTEGER, user_id INTEGER, timestamp TEXT, is_bot INTEGER, "
                        + "content TEXT)");
                s.execute("CREATE TABLE message_attachments (id INTEGER PRIMARY KEY, message_id INTEGER, type TEXT, "
                        + "hash TEXT, path TEXT, created_at TEXT)");
            }
            Instant last = START.plusSeconds(20L * rows);
            try (PreparedStatement users = db.prepareStatement("INSERT INTO users VALUES (?, ?)")) {
                for (int u = 0; u < USERS; u++) {
                    users.setLong(1, FIRST_USER_ID + u);
                    users.setString(2, Long.toString(last.getEpochSecond()));
                    users.addBatch();
                }
                users.executeBatch();
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO chat_history VALUES (?, ?, ?, ?, ?)")) {
                long user = FIRST_USER_ID;
                String[] language = PHRASES[0];
                for (int i = 1; i <= rows; i++) {
                    boolean bot = i % 2 == 0;
                    if (!bot) { // a user writes, the bot answers that user on the next row
                        user = FIRST_USER_ID + random.nextInt(USERS);
                        language = PHRASES[(int) (user % PHRASES.length)];
                    }
                    Instant at = START.plusSeconds(20L * i + random.nextInt(20));
                    insert.setLong(1, i);
                    insert.setLong(2, user);
                    insert.setString(3, i % 10 == 0 ? at.toString() : Long.toString(at.getEpochSecond()));
                    insert.setInt(4, bot ? 1 : 0);
                    StringBuilder text = new StringBuilder(language[random.nextInt(language.length)]);
                    for (int more = random.nextInt(3); more > 0; more--) {
                        text.append(' ').append(language[random.nextInt(language.length)]);
                    }
                    insert.setString(5, text.toString());
                    insert.addBatch();
                    if (i % 5_000 == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            db.commit();
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
