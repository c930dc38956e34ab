package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.local.resources.TableProvisioner;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import dev.chathistory.shared.testing.TestConfigs;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The tables the tests run on are the tables the template declares. */
class TemplateTablesIT {

    @Test
    void provisionedTables_shouldMatchTheTemplate() {
        ServiceConfig config = TestConfigs.config(Optional.of(TestAws.emulator().endpoint()), "x", "y");
        try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(config)) {
            Map<String, String> names = new TableProvisioner(dynamoDb)
                    .createAll(SamTemplate.loadFrom(ProjectRoot.find()), "agreement");

            TableDescription messages = dynamoDb.describeTable(b -> b.tableName(names.get("MessagesTable"))).table();
            TableDescription users = dynamoDb.describeTable(b -> b.tableName(names.get("UsersTable"))).table();

            assertThat(messages.keySchema()).extracting(k -> k.attributeName() + " " + k.keyTypeAsString())
                    .containsExactly("pk HASH", "sk RANGE");
            assertThat(messages.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
            assertThat(dynamoDb.describeTimeToLive(b -> b.tableName(names.get("MessagesTable")))
                    .timeToLiveDescription().attributeName()).isEqualTo("expiresAt");
            assertThat(users.globalSecondaryIndexes())
                    .extracting(index -> index.indexName() + ": "
                            + index.keySchema().stream().map(k -> k.attributeName() + " " + k.keyTypeAsString())
                                    .toList() + " " + index.projection().projectionTypeAsString())
                    .containsExactlyInAnyOrder(
                            UsersTable.ACTIVE_USERS_INDEX + ": [" + UsersTable.ACTIVE_SHARD + " HASH, "
                                    + UsersTable.LAST_ACTIVE_AT + " RANGE] KEYS_ONLY",
                            UsersTable.OPEN_JOBS_INDEX + ": [" + UsersTable.OPEN_DAY + " HASH, "
                                    + UsersTable.OPENED_AT + " RANGE] KEYS_ONLY");
            assertThat(dynamoDb.describeTimeToLive(b -> b.tableName(names.get("UsersTable")))
                    .timeToLiveDescription().attributeName()).isEqualTo(UsersTable.TTL_ATTRIBUTE);
        }
    }
}
