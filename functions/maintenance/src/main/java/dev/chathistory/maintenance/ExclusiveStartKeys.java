package dev.chathistory.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB LastEvaluatedKey as JSON, so it can be stored in the checkpoint and handed back
 * as ExclusiveStartKey by the next invocation. Keys of the users table and its indexes are all
 * strings, so that is all this accepts.
 */
final class ExclusiveStartKeys {

    private ExclusiveStartKeys() {
    }

    static String toJson(Map<String, AttributeValue> key) {
        ObjectNode node = Json.object();
        key.forEach((name, value) -> {
            if (value.s() == null) {
                throw new IllegalStateException("key attribute " + name + " is not a string");
            }
            node.put(name, value.s());
        });
        return Json.write(node);
    }

    static Map<String, AttributeValue> fromJson(String json) {
        JsonNode node = Json.parseTrusted(json);
        if (!node.isObject() || node.isEmpty()) {
            throw new IllegalStateException("stored start key is not a JSON object of key attributes");
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new IllegalStateException("stored start key attribute " + field.getKey() + " is not a string");
            }
            key.put(field.getKey(), AttributeValue.fromS(field.getValue().asText()));
        }
        return key;
    }
}
