package dev.chathistory.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chathistory.local.iam.AccessCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DynamoDB's checks. Single-item operations need their own action on the table; a transaction
 * needs the action of each item (there is no TransactWriteItems permission); batches need the
 * batch action on each table they touch; a Query or Scan of an index is checked on the index.
 * {@code dynamodb:LeadingKeys} carries the partition key values the request reads or writes.
 */
final class DynamoDbChecks implements ServiceChecks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SINGLE_ITEM = Set.of("GetItem", "PutItem", "UpdateItem", "DeleteItem");
    private static final Set<String> TABLE_LEVEL = Set.of("DescribeTable", "DescribeTimeToLive",
            "UpdateTimeToLive", "CreateTable", "DeleteTable", "UpdateTable", "DescribeContinuousBackups");
    private static final Pattern EQUALITY = Pattern.compile("([#A-Za-z0-9_.]+)\\s*=\\s*(:[A-Za-z0-9_]+)");

    /** A table's partition key attribute, if the table exists. */
    private final Function<String, Optional<String>> partitionKeys;

    DynamoDbChecks(Function<String, Optional<String>> partitionKeys) {
        this.partitionKeys = partitionKeys;
    }

    @Override
    public List<AccessCheck> checks(AwsCall call, String region, String accountId) {
        String operation = call.targetOperation()
                .orElseThrow(() -> new UnknownRequestException("a DynamoDB request without X-Amz-Target"));
        JsonNode body = parse(call);
        String tables = "arn:aws:dynamodb:" + region + ":" + accountId + ":table/";
        List<AccessCheck> checks = new ArrayList<>();
        if (SINGLE_ITEM.contains(operation)) {
            String table = body.path("TableName").asText();
            JsonNode key = operation.equals("PutItem") ? body.path("Item") : body.path("Key");
            checks.add(check(operation, tables + table, leadingKeys(table, List.of(key))));
        } else if (operation.equals("Query") || operation.equals("Scan")) {
            String table = body.path("TableName").asText();
            String resource = tables + table + (body.hasNonNull("IndexName")
                    ? "/index/" + body.path("IndexName").asText() : "");
            List<String> leading = operation.equals("Query") && !body.hasNonNull("IndexName")
                    ? queriedPartition(table, body) : List.of();
            checks.add(check(operation, resource, leading));
        } else if (operation.equals("BatchGetItem") || operation.equals("BatchWriteItem")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = body.path("RequestItems").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> perTable = it.next();
                List<JsonNode> keys = new ArrayList<>();
                if (operation.equals("BatchGetItem")) {
                    perTable.getValue().path("Keys").forEach(keys::add);
                } else {
                    for (JsonNode write : perTable.getValue()) {
                        keys.add(write.has("PutRequest") ? write.path("PutRequest").path("Item")
                                : write.path("DeleteRequest").path("Key"));
                    }
                }
                checks.add(check(operation, tables + perTable.getKey(), leadingKeys(perTable.getKey(), keys)));
            }
        } else if (operation.equals("TransactWriteItems") || operation.equals("TransactGetItems")) {
            for (JsonNode item : body.path("TransactItems")) {
                Map.Entry<String, JsonNode> part = item.fields().next();
                String action = switch (part.getKey()) {
                    case "ConditionCheck" -> "ConditionCheckItem";
                    case "Put" -> "PutItem";
                    case "Update" -> "UpdateItem";
                    case "Delete" -> "DeleteItem";
                    case "Get" -> "GetItem";
                    default -> throw new UnknownRequestException("a transaction item of kind " + part.getKey());
                };
                String table = part.getValue().path("TableName").asText();
                JsonNode key = part.getKey().equals("Put") ? part.getValue().path("Item") : part.getValue().path("Key");
                checks.add(check(action, tables + table, leadingKeys(table, List.of(key))));
            }
        } else if (TABLE_LEVEL.contains(operation)) {
            checks.add(check(operation, tables + body.path("TableName").asText(), List.of()));
        } else if (operation.equals("ListTables")) {
            checks.add(AccessCheck.of("dynamodb:ListTables", "*"));
        } else {
            throw new UnknownRequestException("the DynamoDB operation " + operation);
        }
        return checks;
    }

    private static AccessCheck check(String operation, String resource, List<String> leadingKeys) {
        return new AccessCheck("dynamodb:" + operation, resource,
                leadingKeys.isEmpty() ? Map.of() : Map.of("dynamodb:LeadingKeys", List.copyOf(leadingKeys)));
    }

    private List<String> leadingKeys(String table, List<JsonNode> keys) {
        List<String> values = new ArrayList<>();
        partitionKeys.apply(table).ifPresent(partitionKey -> {
            for (JsonNode key : keys) {
                String value = scalar(key.path(partitionKey));
                if (value != null && !values.contains(value)) {
                    values.add(value);
                }
            }
        });
        return values;
    }

    /** The partition key value of a Query's key condition ({@code #pk = :pk}), if it names one. */
    private List<String> queriedPartition(String table, JsonNode body) {
        String partitionKey = partitionKeys.apply(table).orElse(null);
        if (partitionKey == null) {
            return List.of();
        }
        Matcher m = EQUALITY.matcher(body.path("KeyConditionExpression").asText(""));
        while (m.find()) {
            String name = m.group(1).startsWith("#")
                    ? body.path("ExpressionAttributeNames").path(m.group(1)).asText("")
                    : m.group(1);
            if (name.equals(partitionKey)) {
                String value = scalar(body.path("ExpressionAttributeValues").path(m.group(2)));
                return value == null ? List.of() : List.of(value);
            }
        }
        return List.of();
    }

    /** The text of a string, number or binary attribute value (binary stays base64). */
    private static String scalar(JsonNode attribute) {
        for (String type : List.of("S", "N", "B")) {
            if (attribute.hasNonNull(type)) {
                return attribute.get(type).asText();
            }
        }
        return null;
    }

    private static JsonNode parse(AwsCall call) {
        try {
            JsonNode body = JSON.readTree(call.body());
            return body == null ? JSON.createObjectNode() : body;
        } catch (IOException e) {
            throw new UnknownRequestException("a DynamoDB request whose body is not JSON");
        }
    }
}
