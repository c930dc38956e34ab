package dev.chathistory.importer;

import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.metrics.ServiceMetrics;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbErasures;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbRetentionRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.retention.Retention;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./import}: moves a bot's legacy SQL chat history into a tenant, or checks or undoes such
 * an import. The target is the stack named by the environment (MESSAGES_TABLE, USERS_TABLE,
 * ATTACHMENTS_BUCKET, and AWS_ENDPOINT_URL for an emulator), written through the same
 * repositories the API uses.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Import a legacy SQL chat history into a tenant; resumable, validated, reversible.",
        footer = {"", "Exit status: 0 clean, 1 finished with mismatches (see the report), 2 usage or setup error."})
public final class ImportCommand implements Callable<Integer> {

    @Option(names = "--tenant", required = true, description = "the tenant to import into")
    String tenantId;

    @Option(names = "--source", paramLabel = "<jdbcUrl>",
            description = "the legacy database, e.g. jdbc:sqlite:bot.db or jdbc:postgresql://host/db?user=u")
    String source;

    @Option(names = "--mapping", paramLabel = "<file.yaml>", description = "tables and columns, if not the defaults")
    Path mappingFile;

    @Option(names = "--attachments-dir", paramLabel = "<dir>",
            description = "where the attachment rows' paths are relative to (default: the current directory)")
    Path attachmentsDir = Path.of(".");

    @Option(names = "--import-id", description = "name of this import (default: derived from tenant, source and "
            + "mapping, so running the same command again resumes it)")
    String importId;

    @Option(names = "--dry-run", description = "read and check everything, write nothing but the report")
    boolean dryRun;

    @Option(names = "--validate", description = "only compare an import's target with its source again")
    boolean validateOnly;

    @Option(names = "--rollback", paramLabel = "<importId>", description = "remove everything that import wrote")
    String rollbackId;

    @Option(names = "--report", paramLabel = "<file>", description = "default: import-<importId>.report.jsonl")
    Path reportFile;

    @Option(names = "--chunk-size", description = "rows per read and write step (default: ${DEFAULT-VALUE})")
    int chunkSize = 500;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    private Map<String, String> env = System.getenv();
    private PrintStream out = System.out;
    private Clock clock = Clock.systemUTC();

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command in this JVM; returns the exit status. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        ImportCommand command = new ImportCommand();
        // A bulk tool waits rather than fails: the API's short timeouts are for bots waiting on a reply.
        Map<String, String> patient = new java.util.HashMap<>(env);
        patient.putIfAbsent("API_CALL_TIMEOUT_MS", "60000");
        patient.putIfAbsent("API_CALL_ATTEMPT_TIMEOUT_MS", "15000");
        patient.putIfAbsent("AWS_MAX_ATTEMPTS", "8");
        command.env = patient;
        command.out = out;
        return new CommandLine(command)
                .setOut(new java.io.PrintWriter(out, true))
                .setErr(new java.io.PrintWriter(err, true))
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    err.println("import: " + e.getMessage());
                    return 2;
                })
                .execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Identifiers.require("--tenant", tenantId);
        if (chunkSize < 1 || chunkSize > 10_000) {
            throw new IllegalArgumentException("--chunk-size must be 1..10000");
        }
        ServiceConfig config = ServiceConfig.fromEnvironment(env);
        AttachmentsConfig attachmentsConfig = AttachmentsConfig.fromEnvironment(env);
        Optional<String> bucket = Optional.ofNullable(env.get("ATTACHMENTS_BUCKET")).filter(b -> !b.isBlank());
        try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(config);
             S3Client s3 = bucket.isPresent() ? AwsClientFactory.s3(config) : null) {
            MessageRepository messages = new DynamoDbMessageRepository(dynamoDb, config.messagesTable());
            UserRepository users = new DynamoDbUserRepository(dynamoDb, config.usersTable());
            AttachmentRepository attachments = new DynamoDbAttachmentRepository(dynamoDb, config.messagesTable());
            ArchiveIndex archives = new DynamoDbArchiveIndex(dynamoDb, config.messagesTable());
            ImportLedger ledger = new DynamoDbImportLedger(dynamoDb, config.usersTable());
            Erasures erasures = new DynamoDbErasures(dynamoDb, config.usersTable());
            if (rollbackId != null) {
                return rollback(new Rollback(messages, users, attachments, archives, ledger, clock));
            }
            if (source == null) {
                throw new IllegalArgumentException("--source is required (or --rollback <importId>)");
            }
            Mapping mapping = mappingFile == null ? Mapping.defaults() : Mapping.load(mappingFile);
            String id = importId != null ? Identifiers.require("--import-id", importId) : derivedImportId(mapping);
            Path report = reportFile != null ? reportFile : Path.of("import-" + id + ".report.jsonl");
            out.println("import " + id + " into tenant " + tenantId + (dryRun ? " (dry run: nothing is written)" : ""));
            try (SourceDatabase db = new SourceDatabase(source, mapping);
                 Progress progress = noProgress ? Progress.none() : Progress.bar(System.err)) {
                Map<String, Object> legacyUsers = db.users();
                TimestampParser timestamps = new TimestampParser(clock.instant());
                RowConverter converter = new RowConverter(id, legacyUsers, mapping.users().present(),
                        config.limits().maxTextBytes(), timestamps);
                ChunkPlanner planner = new ChunkPlanner(tenantId, converter, db, archives, erasures,
                        attachmentsDir.toAbsolutePath().normalize(), bucket.isPresent(), attachmentsConfig.maxBytes());
                long kept = 0;
                if (!dryRun && !validateOnly) {
                    if (ledger.find(tenantId, id).map(s -> s.status() == ImportLedger.Status.COMPLETE).orElse(false)) {
                        out.println("already complete; validating again");
                    } else {
                        AttachmentUploads uploads = s3 == null ? null
                                : new AttachmentUploads(attachments, s3, bucket.get(), clock);
                        Retention retention = new Retention(new DynamoDbRetentionRepository(dynamoDb,
                                config.messagesTable(), config.usersTable()), Duration.ofHours(1),
                                ServiceMetrics.noop(), null, null, clock);
                        kept = new Importer(db, planner, messages, users, ledger, uploads, clock, chunkSize,
                                progress, retention).write(tenantId, id, sanitized(source)).messagesKept();
                    }
                } else if (validateOnly && ledger.find(tenantId, id).isEmpty()) {
                    throw new IllegalArgumentException("no import " + id + " in tenant " + tenantId);
                }
                Validation.Outcome outcome;
                try (Report lines = new Report(report)) {
                    outcome = new Validation(db, planner, messages, ledger, chunkSize, progress)
                            .run(tenantId, id, lines, !dryRun);
                    lines.summary(id, outcome, kept);
                }
                if (!dryRun) {
                    createProfiles(users, id, outcome, legacyUsers, timestamps);
                    // What this import holds, not what it expected: messages left to other writers are
                    // not its to remove, and a rollback counts any it cannot find.
                    ledger.finish(tenantId, id, ImportLedger.Status.COMPLETE, outcome.messagesOwned(),
                            clock.instant());
                }
                print(id, outcome, kept, report);
                return outcome.clean() ? 0 : 1;
            }
        }
    }

    /** A profile for each imported user who has none: counters from the import, activity from the users table. */
    private void createProfiles(UserRepository users, String id, Validation.Outcome outcome,
                                Map<String, Object> legacyUsers, TimestampParser timestamps) {
        outcome.expected().forEach((userId, totals) -> {
            Instant lastActive = timestamps.parse(legacyUsers.get(userId))
                    .filter(t -> t.isAfter(totals.newest())).orElse(totals.newest());
            users.createImportedProfile(new UserRef(tenantId, userId), totals.count(), lastActive, id);
        });
    }

    private int rollback(Rollback rollback) {
        Identifiers.require("--rollback", rollbackId);
        Rollback.Outcome outcome = rollback.run(tenantId, rollbackId);
        out.printf("rolled back import %s: %d messages and %d attachments removed from %d chats%n", rollbackId,
                outcome.messagesRemoved(), outcome.attachmentsRemoved(), outcome.chats());
        if (outcome.notFound() > 0) {
            out.printf("%d imported messages were not found hot (archived or deleted since); rollback does not "
                    + "reach into archives: erase those users or leave them%n", outcome.notFound());
            return 1;
        }
        return 0;
    }

    private void print(String id, Validation.Outcome outcome, long kept, Path report) {
        out.printf("rows in source: %d, read: %d, messages %s: %d for %d users%n", outcome.rowsInSource(),
                outcome.rowsRead(), dryRun ? "to import" : "imported", outcome.messagesExpected(),
                outcome.expected().size());
        outcome.issues().forEach((kind, count) ->
                out.printf("  %-26s %6d  (%s)%n", kind.code(), count, kind.action.code()));
        if (kept > 0) {
            out.printf("%d messages were already there from another writer (a bot, or another import) and "
                    + "were left as they were%n", kept);
        }
        if (!outcome.allRowsRead()) {
            out.printf("%d rows were not reached (ids neither integers nor NULL?)%n",
                    outcome.rowsInSource() - outcome.rowsRead());
        }
        if (outcome.targetChecked()) {
            out.println(outcome.mismatches().isEmpty() ? "validation: target matches source for every user"
                    : "validation: " + outcome.mismatches().size() + " users differ between source and target");
        }
        out.println("report: " + report.toAbsolutePath());
        if (!dryRun) {
            out.println("undo with: ./import --tenant " + tenantId + " --rollback " + id);
        }
    }

    private String derivedImportId(Mapping mapping) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((tenantId + "\n" + source + "\n" + Json.write(Json.mapper().valueToTree(mapping)))
                .getBytes(StandardCharsets.UTF_8));
        return "imp-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    /** The JDBC URL without its query, where passwords go. */
    private static String sanitized(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
