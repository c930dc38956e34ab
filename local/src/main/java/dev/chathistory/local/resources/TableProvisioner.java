package dev.chathistory.local.resources;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.chathistory.local.template.SamTemplate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.SSESpecification;

/**
 * Creates the DynamoDB tables template.yaml declares, with the same keys, indexes, billing,
 * encryption, TTL and point-in-time recovery, under names of our choosing (the template sets no
 * physical names; CloudFormation would generate them).
 */
public final class TableProvisioner {

    private static final System.Logger LOG = System.getLogger(TableProvisioner.class.getName());

    private final DynamoDbClient dynamoDb;

    public TableProvisioner(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /**
     * Creates every table of the template as {@code <prefix>-<LogicalId>}; tables that already
     * exist are kept (so a local stack's data survives a restart).
     *
     * @return physical table names by logical id
     */
    public Map<String, String> createAll(SamTemplate template, String prefix) {
        Map<String, String> names = new LinkedHashMap<>();
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((logicalId, resource) -> {
            String name = prefix + "-" + logicalId;
            create(name, resource.path("Properties"));
            names.put(logicalId, name);
        });
        return names;
    }

    /** Creates one table from its template properties, unless it exists already. */
    public void create(String tableName, JsonNode properties) {
        try {
            dynamoDb.createTable(createRequest(tableName, properties));
        } catch (ResourceInUseException alreadyThere) {
            return;
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        JsonNode ttl = properties.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false)) {
            dynamoDb.updateTimeToLive(b -> b.tableName(tableName).timeToLiveSpecification(spec -> spec
                    .attributeName(ttl.path("AttributeName").asText()).enabled(true)));
        }
        if (properties.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean(false)) {
            try {
                dynamoDb.updateContinuousBackups(b -> b.tableName(tableName)
                        .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
            } catch (DynamoDbException unsupported) {
                // Some emulators lack backups; the template still enables them in AWS.
                LOG.log(System.Logger.Level.DEBUG, "point-in-time recovery not supported by the emulator");
            }
        }
    }

    static CreateTableRequest createRequest(String tableName, JsonNode properties) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (JsonNode attribute : properties.path("AttributeDefinitions")) {
            attributes.add(AttributeDefinition.builder()
                    .attributeName(attribute.path("AttributeName").asText())
                    .attributeType(attribute.path("AttributeType").asText())
                    .build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(properties.path("KeySchema")))
                .billingMode(BillingMode.fromValue(properties.path("BillingMode").asText("PROVISIONED")));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (JsonNode index : properties.path("GlobalSecondaryIndexes")) {
            JsonNode projection = index.path("Projection");
            List<String> nonKey = new ArrayList<>();
            projection.path("NonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.path("IndexName").asText())
                    .keySchema(keySchema(index.path("KeySchema")))
                    .projection(Projection.builder()
                            .projectionType(projection.path("ProjectionType").asText())
                            .nonKeyAttributes(nonKey.isEmpty() ? null : nonKey)
                            .build())
                    .build());
        }
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        if (properties.path("SSESpecification").path("SSEEnabled").asBoolean(false)) {
            request.sseSpecification(SSESpecification.builder().enabled(true).build());
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(JsonNode schema) {
        List<KeySchemaElement> keys = new ArrayList<>();
        for (JsonNode key : schema) {
            keys.add(KeySchemaElement.builder()
                    .attributeName(key.path("AttributeName").asText())
                    .keyType(key.path("KeyType").asText())
                    .build());
        }
        return keys;
    }
}
