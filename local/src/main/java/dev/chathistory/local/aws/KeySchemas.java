package dev.chathistory.local.aws;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The partition key attribute of each table, which {@code dynamodb:LeadingKeys} reads from a
 * request. Learnt once per table from the emulator (key schemas never change).
 */
final class KeySchemas {

    private final DynamoDbClient admin;
    private final Map<String, Optional<String>> partitionKeys = new ConcurrentHashMap<>();

    KeySchemas(DynamoDbClient admin) {
        this.admin = admin;
    }

    /** The table's partition key attribute; empty when the table does not exist. */
    Optional<String> partitionKey(String table) {
        Optional<String> known = partitionKeys.get(table);
        if (known != null) {
            return known;
        }
        Optional<String> described = describe(table);
        // A missing table may be created later; only a found schema is kept.
        described.ifPresent(key -> partitionKeys.put(table, described));
        return described;
    }

    private Optional<String> describe(String table) {
        try {
            TableDescription description = admin.describeTable(b -> b.tableName(table)).table();
            return description.keySchema().stream()
                    .filter(k -> k.keyType() == KeyType.HASH)
                    .map(KeySchemaElement::attributeName)
                    .findFirst();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }
}
