package dev.chathistory.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The size limits of batch requests that AWS enforces and an emulator may not: ten entries in
 * an SQS batch, 25 writes in a DynamoDB {@code BatchWriteItem}, 100 keys in a
 * {@code BatchGetItem}, 100 items in a transaction. A request over one is refused with the
 * service's own error, before it reaches the emulator.
 */
final class RequestLimits {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> SQS_BATCHES = Map.of(
            "SendMessageBatch", 10, "DeleteMessageBatch", 10, "ChangeMessageVisibilityBatch", 10);

    private RequestLimits() {
    }

    /** The refusal, when the call is over a limit. */
    static Optional<GatewayResponse> check(String service, AwsCall call, String requestId) {
        Optional<String> operation = call.targetOperation();
        if (operation.isEmpty() || !(service.equals("sqs") || service.equals("dynamodb"))) {
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = JSON.readTree(call.body());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (body == null) {
            return Optional.empty();
        }
        return service.equals("sqs") ? sqs(operation.get(), body, requestId)
                : dynamoDb(operation.get(), body, requestId);
    }

    private static Optional<GatewayResponse> sqs(String operation, JsonNode body, String requestId) {
        Integer limit = SQS_BATCHES.get(operation);
        if (limit == null) {
            return Optional.empty();
        }
        int entries = body.path("Entries").size();
        if (entries == 0) {
            return Optional.of(ServiceErrors.sqsClientError("EmptyBatchRequest",
                    "AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one "
                            + operation.replace("Batch", "") + "BatchRequestEntry in the request.", requestId));
        }
        if (entries > limit) {
            return Optional.of(ServiceErrors.sqsClientError("TooManyEntriesInBatchRequest",
                    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "Maximum number of entries per request are "
                            + limit + ". You have sent " + entries + ".", requestId));
        }
        return Optional.empty();
    }

    private static Optional<GatewayResponse> dynamoDb(String operation, JsonNode body, String requestId) {
        int items = 0;
        int limit;
        switch (operation) {
            case "BatchWriteItem" -> {
                limit = 25;
                for (JsonNode writes : body.path("RequestItems")) {
                    items += writes.size();
                }
            }
            case "BatchGetItem" -> {
                limit = 100;
                for (JsonNode reads : body.path("RequestItems")) {
                    items += reads.path("Keys").size();
                }
            }
            case "TransactWriteItems", "TransactGetItems" -> {
                limit = 100;
                items = body.path("TransactItems").size();
            }
            default -> {
                return Optional.empty();
            }
        }
        if (items <= limit) {
            return Optional.empty();
        }
        String message = operation.startsWith("Transact")
                ? "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must "
                        + "have length less than or equal to " + limit
                : "Too many items requested for the " + operation + " call";
        return Optional.of(ServiceErrors.dynamoDbClientError("ValidationException", message, requestId));
    }
}
