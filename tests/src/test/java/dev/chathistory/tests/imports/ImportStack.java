package dev.chathistory.tests.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.importer.ImportCommand;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.json.Json;
import dev.chathistory.tests.StackClient;
import dev.chathistory.tests.TestAws;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import dev.chathistory.shared.repository.dynamodb.QueryPages;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** The real template on the local stack, with the importer pointed at it the way an operator points it. */
final class ImportStack implements AutoCloseable {

    /** What one run of the command said. */
    record Run(int exit, String output) {
    }

    final LocalDeployment deployment;
    final DynamoDbClient dynamoDb;
    final String messagesTable;
    final String usersTable;
    final Map<String, String> env = new HashMap<>();

    ImportStack() throws Exception {
        URI emulator = TestAws.emulator().endpoint();
        deployment = LocalDeployment.start(LocalDeployment.Options.defaults(SamTemplate.loadFrom(ProjectRoot.find()), 0)
                .withStackName("imp-" + UUID.randomUUID().toString().substring(0, 8))
                .withSchedulesEnabled(false), emulator);
        dynamoDb = AwsClientFactory.dynamoDb(ClientSettings.forEmulator("us-east-1", emulator), List.of());
        messagesTable = deployment.resources().tables().get("MessagesTable");
        usersTable = deployment.resources().tables().get("UsersTable");
        env.put("MESSAGES_TABLE", messagesTable);
        env.put("USERS_TABLE", usersTable);
        env.put("ATTACHMENTS_BUCKET", deployment.resources().buckets().get("AttachmentsBucket"));
        env.put("AWS_ENDPOINT_URL", emulator.toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
    }

    StackClient client(String tenant) {
        return new StackClient(deployment.baseUrl(), deployment.issueKey(tenant, "ImportIT").key());
    }

    /** Runs {@code ./import} in this JVM. */
    Run importer(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = ImportCommand.run(args, env, print, print);
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Every item of the tenant's chats and users named, in both tables, except the import ledger,
     * as stored. Read with one Query per partition: a scan of tables this size is slow on moto.
     */
    Set<Map<String, AttributeValue>> snapshot(String tenant, Collection<String> ids,
                                              Predicate<Map<String, AttributeValue>> except) {
        Set<Map<String, AttributeValue>> items = new HashSet<>();
        List<String[]> partitions = new ArrayList<>();
        partitions.add(new String[] {usersTable, "T#" + tenant + "#KEYS"});
        for (String id : ids) {
            partitions.add(new String[] {messagesTable, "T#" + tenant + "#C#" + id});
            partitions.add(new String[] {usersTable, "T#" + tenant + "#U#" + id});
        }
        for (String[] partition : partitions) {
            QueryPages.forEachItem(dynamoDb, QueryRequest.builder().tableName(partition[0])
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition[1])))
                    .consistentRead(true), item -> {
                        if (!except.test(item)) {
                            items.add(item);
                        }
                    });
        }
        return items;
    }

    /** Every message of the chat through the API, newest first, page by page. */
    static List<JsonNode> page(StackClient client, String chatId) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/v1/chats/" + chatId + "/messages?limit=100" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> response = client.send("GET", path, null);
            // A 503 asks the bot to retry, as a bot would; an emulator under this much load sometimes does.
            for (int retry = 0; response.statusCode() == 503 && retry < 5; retry++) {
                Thread.sleep(1000);
                response = client.send("GET", path, null);
            }
            if (response.statusCode() != 200) {
                throw new AssertionError(response.statusCode() + " " + response.body());
            }
            JsonNode page = Json.parseTrusted(response.body());
            page.path("items").forEach(all::add);
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        return all;
    }

    @Override
    public void close() {
        dynamoDb.close();
        deployment.close();
    }
}
