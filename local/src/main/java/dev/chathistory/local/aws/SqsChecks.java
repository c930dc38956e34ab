package dev.chathistory.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chathistory.local.iam.AccessCheck;
import dev.chathistory.local.sources.QueryStrings;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQS's checks, for the JSON protocol the SDK speaks and the older query protocol. A batch
 * operation needs the permission of its single form ({@code SendMessageBatch} is
 * {@code sqs:SendMessage}); the resource is the queue's ARN, read from its URL.
 */
final class SqsChecks implements ServiceChecks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> BATCH_PERMISSIONS = Map.of(
            "SendMessageBatch", "SendMessage",
            "DeleteMessageBatch", "DeleteMessage",
            "ChangeMessageVisibilityBatch", "ChangeMessageVisibility");

    @Override
    public List<AccessCheck> checks(AwsCall call, String region, String accountId) {
        Map<String, String> parameters = parameters(call);
        String operation = parameters.get("Action");
        if (operation == null) {
            throw new UnknownRequestException("an SQS request without an operation");
        }
        String action = "sqs:" + BATCH_PERMISSIONS.getOrDefault(operation, operation);
        if (operation.equals("ListQueues")) {
            return List.of(AccessCheck.of(action, "*"));
        }
        String queueArn;
        if (parameters.containsKey("QueueUrl")) {
            queueArn = arnOfUrl(parameters.get("QueueUrl"), region, accountId);
        } else if (parameters.containsKey("QueueName")) {
            queueArn = "arn:aws:sqs:" + region + ":" + parameters.getOrDefault("QueueOwnerAWSAccountId", accountId)
                    + ":" + parameters.get("QueueName");
        } else {
            throw new UnknownRequestException("the SQS operation " + operation + " without a queue");
        }
        return List.of(AccessCheck.of(action, queueArn));
    }

    /** {@code http://host/123456789012/name} is {@code arn:aws:sqs:region:123456789012:name}. */
    static String arnOfUrl(String url, String region, String accountId) {
        String[] segments = URI.create(url).getPath().replaceAll("^/+", "").split("/");
        String account = segments.length >= 2 ? segments[segments.length - 2] : accountId;
        return "arn:aws:sqs:" + region + ":" + account + ":" + segments[segments.length - 1];
    }

    /** The operation (as "Action") and the parameters that name a queue. */
    private static Map<String, String> parameters(AwsCall call) {
        String contentType = call.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            Map<String, String> form = new java.util.HashMap<>();
            QueryStrings.parse(call.bodyText()).forEach((name, values) -> form.put(name, values.get(0)));
            return form;
        }
        Map<String, String> parameters = new java.util.HashMap<>();
        call.targetOperation().ifPresent(operation -> parameters.put("Action", operation));
        try {
            JsonNode body = JSON.readTree(call.body());
            if (body != null) {
                for (String name : List.of("QueueUrl", "QueueName", "QueueOwnerAWSAccountId")) {
                    if (body.hasNonNull(name)) {
                        parameters.put(name, body.get(name).asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UnknownRequestException("an SQS request whose body is not JSON");
        }
        return parameters;
    }
}
