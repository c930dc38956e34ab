package dev.chathistory.local;

import dev.chathistory.messageapi.MessageApi;
import dev.chathistory.messageapi.MessageApiHandler;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.metrics.ServiceMetrics;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local stack behind {@code ./run-local}: an emulator (started here, or the one
 * {@code AWS_ENDPOINT_URL} names), the template's tables, and the HTTP API on loopback.
 * No AWS account, no Docker.
 */
public final class RunLocal {

    private RunLocal() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        try {
            run(started);
        } catch (EnvironmentException e) {
            System.err.println("run-local: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(long started) {
        Path root = ProjectRoot.find();
        int port = port();
        // Dummy credentials for the emulator, ahead of any real ones in the environment.
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");

        Emulator emulator = Emulator.startOrConnect(root);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
        env.putIfAbsent("AWS_REGION", "us-east-1");
        env.put("MESSAGES_TABLE", "unset");
        env.put("USERS_TABLE", "unset");
        ServiceConfig base = ServiceConfig.fromEnvironment(env);

        DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(base);
        Map<String, String> tables = new TableProvisioner(dynamoDb).createAll(SamTemplate.loadFrom(root), "local");
        ServiceConfig config = base.withTables(tables.get("MessagesTable"), tables.get("UsersTable"));
        MessageApiHandler handler = new MessageApiHandler(
                MessageApi.create(config, dynamoDb, ServiceMetrics.noop(), Clock.systemUTC()), () -> { });

        LocalApiServer server;
        try {
            server = LocalApiServer.start("127.0.0.1", port,
                    event -> handler.handleRequest(event, new LocalLambdaContext()));
        } catch (BindException e) {
            emulator.close();
            throw new EnvironmentException("port " + port + " is already in use; stop what holds it or run "
                    + "with PORT=<another port>");
        } catch (IOException e) {
            emulator.close();
            throw new EnvironmentException("cannot serve on port " + port + ": " + e.getMessage());
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            emulator.close();
            stopped.countDown();
        }, "run-local-shutdown"));

        printBanner(server.port(), emulator, config, (System.nanoTime() - started) / 1_000_000);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int port() {
        String value = System.getenv().getOrDefault("PORT", "3000");
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new EnvironmentException("PORT must be a port number, got '" + value + "'");
        }
    }

    private static void printBanner(int port, Emulator emulator, ServiceConfig config, long startupMillis) {
        String base = "http://localhost:" + port;
        String data = emulator.external()
                ? "in the emulator at " + emulator.endpoint() + " (kept as long as it keeps it)"
                : "in memory of the moto emulator at " + emulator.endpoint()
                        + " - gone when you stop run-local (log: " + emulator.logFile().orElseThrow() + ")";
        System.out.println("""

                chat-history is running at %s   (started in %d ms)
                  data:   %s
                  tables: %s, %s   tenant: %s

                  try:
                    curl -s -X POST %s/v1/chats/demo/messages \\
                      -H 'Content-Type: application/json' \\
                      -d '{"userId":"alice","isBot":false,"text":"Hello!"}'
                    curl -s %s/v1/chats/demo/messages

                Ctrl-C stops the server and everything it started.
                """.formatted(base, startupMillis, data, config.messagesTable(), config.usersTable(),
                config.defaultTenantId(), base, base));
    }
}
