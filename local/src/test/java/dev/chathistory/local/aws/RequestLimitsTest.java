package dev.chathistory.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {

    private static String entries(int count) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append("{\"Id\":\"").append(i).append("\",\"MessageBody\":\"x\"}");
        }
        return out.append("]").toString();
    }

    @Test
    void anSqsBatchOfElevenEntries_shouldBeRefusedAsSqsRefusesIt() {
        AwsCall call = Calls.json("AmazonSQS.SendMessageBatch", "{\"QueueUrl\":\"u\",\"Entries\":" + entries(11) + "}");

        assertThat(RequestLimits.check("sqs", call, "r")).hasValueSatisfying(refusal -> {
            assertThat(refusal.status()).isEqualTo(400);
            assertThat(refusal.headers()).containsEntry("x-amzn-query-error",
                    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest;Sender");
            assertThat(new String(refusal.body(), StandardCharsets.UTF_8)).contains("You have sent 11");
        });
        assertThat(RequestLimits.check("sqs", Calls.json("AmazonSQS.SendMessageBatch",
                "{\"QueueUrl\":\"u\",\"Entries\":" + entries(10) + "}"), "r")).isEmpty();
        assertThat(RequestLimits.check("sqs", Calls.json("AmazonSQS.DeleteMessageBatch",
                "{\"QueueUrl\":\"u\",\"Entries\":[]}"), "r")).isPresent();
    }

    @Test
    void dynamoDbBatchesAndTransactions_shouldBeRefusedPastTheirLimits() {
        StringBuilder writes = new StringBuilder("{\"RequestItems\":{\"a\":[");
        for (int i = 0; i < 26; i++) {
            writes.append(i == 0 ? "" : ",").append("{\"DeleteRequest\":{\"Key\":{\"pk\":{\"S\":\"").append(i)
                    .append("\"}}}}");
        }
        writes.append("]}}");
        StringBuilder transaction = new StringBuilder("{\"TransactItems\":[");
        for (int i = 0; i < 101; i++) {
            transaction.append(i == 0 ? "" : ",").append("{\"ConditionCheck\":{}}");
        }
        transaction.append("]}");

        assertThat(RequestLimits.check("dynamodb", Calls.json("DynamoDB_20120810.BatchWriteItem", writes.toString()),
                "r")).hasValueSatisfying(refusal -> assertThat(new String(refusal.body(), StandardCharsets.UTF_8))
                .contains("ValidationException").contains("Too many items requested for the BatchWriteItem call"));
        assertThat(RequestLimits.check("dynamodb", Calls.json("DynamoDB_20120810.TransactWriteItems",
                transaction.toString()), "r")).isPresent();
        assertThat(RequestLimits.check("dynamodb", Calls.json("DynamoDB_20120810.GetItem", "{}"), "r")).isEmpty();
    }
}
