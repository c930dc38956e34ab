package dev.chathistory.admin;

import dev.chathistory.shared.auth.ApiKey;
import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.limits.LimitOverrides;
import dev.chathistory.shared.repository.dynamodb.ArchiveKeyMigration;
import dev.chathistory.shared.repository.dynamodb.DynamoDbApiKeyRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbRetentionRepository;
import dev.chathistory.shared.retention.RetentionPolicy;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The operator's command for tenants and keys. It writes the users table directly with the
 * caller's AWS credentials (or against an emulator with {@code AWS_ENDPOINT_URL}); nothing of
 * it is deployed, and no API route can do any of this.
 */
public final class Admin {

    private static final String USAGE = """
            usage: ./admin <command> [arguments]     (USERS_TABLE must name the stack's users table)
              create-tenant <tenantId> <name>     a new tenant
              issue-key <tenantId> <keyName>      a new key for the tenant, printed once
              list-keys <tenantId>                the tenant's keys: id, name, created, active or revoked
              revoke-key <tenantId> <keyId>       the key stops working within the authorizer cache TTL
              set-limits <tenantId> <requestsPerWindow> <tenantJobsPerWindow> <userJobsPerWindow>
                                                  the tenant's own limits (0: the deployment's default),
                                                  effective within the authorizer cache TTL
              set-retention <tenantId> <days|none>
                                                  (JOBS_QUEUE_URL too) how long the tenant's messages are
                                                  kept; readers see it within the API's cache time, and a
                                                  retention job per chat applies it to what is stored
              migrate-archive-keys                (MESSAGES_TABLE too) moves archive manifest entries from A#
                                                  to M!, next to the messages; run once after upgrading
            """;

    private Admin() {
    }

    /** The commands and their arguments, as printed for a usage error (the docs are checked against it). */
    public static String usage() {
        return USAGE;
    }

    public static void main(String[] args) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (env.containsKey("AWS_ENDPOINT_URL") && !env.containsKey("AWS_ACCESS_KEY_ID")) {
            // An emulator takes any credentials; real AWS never sees these (the endpoint is local).
            System.setProperty("aws.accessKeyId", "local");
            System.setProperty("aws.secretAccessKey", "local");
        }
        String table = env.get("USERS_TABLE");
        if (table == null || table.isBlank() || args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        if (args.length == 1 && args[0].equals("migrate-archive-keys")) {
            System.exit(migrateArchiveKeys(env));
        }
        env.putIfAbsent("MESSAGES_TABLE", "unused");
        ServiceConfig config = ServiceConfig.fromEnvironment(env);
        try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(config);
             SqsClient sqs = AwsClientFactory.sqs(config)) {
            ApiKeys keys = new ApiKeys(new DynamoDbApiKeyRepository(dynamoDb, table), MessageIdGenerator.ulid(),
                    Clock.systemUTC());
            String queueUrl = env.get("JOBS_QUEUE_URL");
            TenantRetention retention = (tenantId, days) -> {
                if (queueUrl == null || queueUrl.isBlank()) {
                    throw new IllegalArgumentException("JOBS_QUEUE_URL must name the stack's job queue");
                }
                return new AwsTenantRetention(new DynamoDbRetentionRepository(dynamoDb, config.messagesTable(), table),
                        dynamoDb, table, new SqsJobQueue(sqs, queueUrl), MessageIdGenerator.ulid(),
                        Clock.systemUTC()).set(tenantId, days);
            };
            System.exit(run(keys, retention, List.of(args), System.out, System.err));
        }
    }

    private static int migrateArchiveKeys(Map<String, String> env) {
        String messages = env.get("MESSAGES_TABLE");
        if (messages == null || messages.isBlank()) {
            System.err.println("admin: MESSAGES_TABLE must name the stack's messages table");
            return 2;
        }
        ServiceConfig config = ServiceConfig.fromEnvironment(env);
        try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(config)) {
            int moved = new ArchiveKeyMigration(dynamoDb, messages).run();
            System.out.println("moved " + moved + " archive manifest entries");
            return 0;
        }
    }

    private static int count(String text) {
        if (!text.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("limits are whole numbers, 0 for the deployment's default: " + text);
        }
        return Integer.parseInt(text);
    }

    private static OptionalInt days(String text) {
        if (text.equals("none")) {
            return OptionalInt.empty();
        }
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1
                || Integer.parseInt(text) > RetentionPolicy.MAX_DAYS) {
            throw new IllegalArgumentException("retention is a whole number of days from 1 to "
                    + RetentionPolicy.MAX_DAYS + ", or none: " + text);
        }
        return OptionalInt.of(Integer.parseInt(text));
    }

    /** Runs one command; returns the exit status. */
    static int run(ApiKeys keys, TenantRetention retention, List<String> args, PrintStream out, PrintStream err) {
        try {
            switch (args.get(0) + "/" + args.size()) {
                case "create-tenant/3" -> out.println("created tenant " + keys.createTenant(args.get(1), args.get(2))
                        .tenantId());
                case "issue-key/3" -> {
                    ApiKeys.Issued issued = keys.issue(args.get(1), args.get(2));
                    out.println("key id: " + issued.record().keyId());
                    out.println("key:    " + issued.key());
                    out.println("This is the only time the key is shown; it is stored as a hash.");
                }
                case "list-keys/2" -> {
                    for (ApiKey key : keys.list(args.get(1))) {
                        out.printf("%s  %-8s  %s  %s%n", key.keyId(), key.active() ? "active" : "revoked",
                                key.createdAt(), key.name());
                    }
                }
                case "revoke-key/3" -> {
                    keys.revoke(args.get(1), args.get(2));
                    out.println("revoked " + args.get(2));
                }
                case "set-limits/5" -> {
                    LimitOverrides limits = new LimitOverrides(count(args.get(2)), count(args.get(3)),
                            count(args.get(4)));
                    keys.setLimits(args.get(1), limits);
                    out.println("limits of " + args.get(1) + ": " + (limits.asText().isEmpty()
                            ? "the deployment's defaults" : limits.asText()));
                }
                case "set-retention/3" -> {
                    OptionalInt days = days(args.get(2));
                    if (!keys.exists(args.get(1))) {
                        throw new IllegalArgumentException("no tenant " + args.get(1));
                    }
                    int chats = retention.set(args.get(1), days);
                    out.println("retention of " + args.get(1) + ": "
                            + (days.isPresent() ? days.getAsInt() + " days" : "none (kept until deleted)"));
                    out.println("retention jobs queued for " + chats + " chats");
                }
                default -> {
                    err.print(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("admin: " + e.getMessage());
            return 1;
        }
    }
}
