package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.repository.dynamodb.MessagesTable;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import dev.chathistory.messageapi.testing.TestBackends;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * template.yaml and the code describe the same system: the keys and indexes the repositories
 * use, the routes the handler serves, the defaults the code assumes, and the production
 * settings (on-demand, PITR, SSE, SnapStart, log retention) the template promises.
 */
class TemplateAgreementTest {

    private final SamTemplate template = SamTemplate.loadFrom(ProjectRoot.find());

    @Test
    void messagesTable_shouldHaveTheKeysTheRepositoryUses() {
        JsonNode table = template.resource("MessagesTable").path("Properties");

        assertThat(keys(table.path("KeySchema"))).containsExactly(
                MessagesTable.PARTITION_KEY + " HASH", MessagesTable.SORT_KEY + " RANGE");
        assertThat(table.path("TimeToLiveSpecification").path("AttributeName").asText())
                .isEqualTo(MessagesTable.TTL_ATTRIBUTE);
        assertThat(table.path("TimeToLiveSpecification").path("Enabled").asBoolean()).isTrue();
        assertThat(table.has("LocalSecondaryIndexes")).as("no LSIs: they cap a chat at 10 GB").isFalse();
    }

    @Test
    void usersTable_shouldHaveTheShardedActiveUsersIndex() {
        JsonNode table = template.resource("UsersTable").path("Properties");
        JsonNode index = table.path("GlobalSecondaryIndexes").get(0);

        assertThat(keys(table.path("KeySchema"))).containsExactly(
                UsersTable.PARTITION_KEY + " HASH", UsersTable.SORT_KEY + " RANGE");
        assertThat(index.path("IndexName").asText()).isEqualTo(UsersTable.ACTIVE_USERS_INDEX);
        assertThat(keys(index.path("KeySchema"))).containsExactly(
                UsersTable.ACTIVE_SHARD + " HASH", UsersTable.LAST_ACTIVE_AT + " RANGE");
        assertThat(index.path("Projection").path("ProjectionType").asText()).isEqualTo("KEYS_ONLY");
    }

    @Test
    void everyTable_shouldBeOnDemandEncryptedRecoverableAndRetained() {
        Map<String, JsonNode> tables = template.resourcesOfType("AWS::DynamoDB::Table");

        assertThat(tables).containsOnlyKeys("MessagesTable", "UsersTable");
        tables.forEach((name, table) -> {
            JsonNode properties = table.path("Properties");
            assertThat(properties.path("BillingMode").asText()).as(name).isEqualTo("PAY_PER_REQUEST");
            assertThat(properties.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled")
                    .asBoolean()).as(name).isTrue();
            assertThat(properties.path("SSESpecification").path("SSEEnabled").asBoolean()).as(name).isTrue();
            assertThat(properties.has("TableName")).as(name + " has no fixed physical name").isFalse();
            assertThat(table.path("DeletionPolicy").asText()).as(name).isEqualTo("Retain");
        });
    }

    @Test
    void routes_shouldBeTheOnesTheHandlerServes() {
        MessageApi api = MessageApi.create(TestConfigs.inMemory(), JobsConfig.of(null, null),
                TestBackends.create().backends(), new RecordingMetrics(), Clock.systemUTC());
        List<String> declared = new ArrayList<>();
        template.httpRoutes("MessageApiFunction").forEach(route -> declared.add(route.toString()));

        assertThat(declared).containsExactlyInAnyOrderElementsOf(api.routes());
    }

    @Test
    void function_shouldRunTheHandlerWithSnapStartAndItsTables() throws Exception {
        JsonNode globals = template.functionGlobals();
        JsonNode function = template.resource("MessageApiFunction").path("Properties");
        String handler = function.path("Handler").asText();

        assertThat(globals.path("Runtime").asText()).isEqualTo("java21");
        assertThat(globals.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(globals.path("AutoPublishAlias").asText()).isNotBlank();
        assertThat(Class.forName(handler.substring(0, handler.indexOf("::"))))
                .isEqualTo(MessageApiHandler.class);
        assertThat(function.path("Environment").path("Variables").path("MESSAGES_TABLE").path("Ref").asText())
                .isEqualTo("MessagesTable");
        assertThat(function.path("Environment").path("Variables").path("USERS_TABLE").path("Ref").asText())
                .isEqualTo("UsersTable");
        assertThat(function.path("LoggingConfig").path("LogGroup").path("Ref").asText())
                .isEqualTo("MessageApiLogGroup");
        assertThat(template.resource("MessageApiLogGroup").path("Properties").path("RetentionInDays")
                .path("Ref").asText()).isEqualTo("LogRetentionDays");
    }

    @Test
    void everyFunction_shouldStartFromASnapshotThatItPrimed() throws Exception {
        JsonNode globals = template.functionGlobals();
        for (var definition : template.functions()) {
            JsonNode properties = definition.properties();
            JsonNode snapStart = properties.has("SnapStart") ? properties.path("SnapStart") : globals.path("SnapStart");
            String alias = properties.has("AutoPublishAlias") ? properties.path("AutoPublishAlias").asText()
                    : globals.path("AutoPublishAlias").asText();
            assertThat(snapStart.path("ApplyOn").asText()).as(definition.logicalId()).isEqualTo("PublishedVersions");
            // Only a published version (the alias) is restored from the snapshot.
            assertThat(alias).as(definition.logicalId()).isNotBlank();
            String handler = definition.handler();
            assertThat(org.crac.Resource.class.isAssignableFrom(Class.forName(handler.substring(0, handler.indexOf("::")))))
                    .as(definition.logicalId() + " primes before the snapshot (org.crac.Resource)").isTrue();
        }
    }

    @Test
    void parameterDefaults_shouldMatchTheCodeDefaults() {
        ServiceConfig.Limits limits = ServiceConfig.Limits.defaults();
        ServiceConfig defaults = ServiceConfig.fromEnvironment(Map.of("MESSAGES_TABLE", "m", "USERS_TABLE", "u"));

        assertThat(Integer.parseInt(template.parameterDefault("MaxTextBytes"))).isEqualTo(limits.maxTextBytes());
        assertThat(Long.parseLong(template.parameterDefault("IdempotencyTtlHours")))
                .isEqualTo(defaults.idempotencyTtl().toHours());
        assertThat(Long.parseLong(template.parameterDefault("SettingsCacheTtlSeconds")))
                .isEqualTo(defaults.settingsCacheTtl().toSeconds());
        assertThat(Integer.parseInt(template.parameterDefault("ActiveUserShards")))
                .isEqualTo(defaults.activeUserShards());
    }

    private static List<String> keys(JsonNode schema) {
        List<String> keys = new ArrayList<>();
        schema.forEach(k -> keys.add(k.path("AttributeName").asText() + " " + k.path("KeyType").asText()));
        return keys;
    }
}
