package dev.chathistory.shared.repository.dynamodb;

import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Follows a Query through every page; for background reads that need a whole item collection. */
public final class QueryPages {

    private QueryPages() {
    }

    public static void forEachItem(DynamoDbClient dynamoDb, QueryRequest.Builder query,
                            Consumer<Map<String, AttributeValue>> visitor) {
        Map<String, AttributeValue> startKey = null;
        do {
            QueryResponse page = dynamoDb.query(query.exclusiveStartKey(startKey).build());
            page.items().forEach(visitor);
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
    }
}
