package dev.chathistory.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.local.iam.AccessCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqsChecksTest {

    private final SqsChecks checks = new SqsChecks();

    @Test
    void aBatchOperation_shouldNeedThePermissionOfItsSingleForm() {
        assertThat(checks.checks(Calls.json("AmazonSQS.DeleteMessageBatch",
                "{\"QueueUrl\":\"http://127.0.0.1:4566/000000000000/jobs\",\"Entries\":[]}"), "eu-west-1",
                "111111111111"))
                .containsExactly(AccessCheck.of("sqs:DeleteMessage", "arn:aws:sqs:eu-west-1:000000000000:jobs"));
        assertThat(checks.checks(Calls.json("AmazonSQS.ChangeMessageVisibilityBatch",
                "{\"QueueUrl\":\"http://h/1/q\"}"), "r", "a")).extracting(AccessCheck::action)
                .containsExactly("sqs:ChangeMessageVisibility");
    }

    @Test
    void theQueryProtocol_shouldBeReadFromTheForm() {
        AwsCall call = Calls.rest("POST", "/", "", Map.of("content-type", "application/x-www-form-urlencoded"),
                "Action=SendMessage&QueueUrl=http%3A%2F%2Fh%2F123456789012%2Fjobs&MessageBody=x");
        assertThat(checks.checks(call, "us-east-1", "999999999999"))
                .containsExactly(AccessCheck.of("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:jobs"));
    }

    @Test
    void getQueueUrl_shouldBeCheckedOnTheNamedQueue() {
        assertThat(checks.checks(Calls.json("AmazonSQS.GetQueueUrl", "{\"QueueName\":\"jobs\"}"), "us-east-1",
                "123456789012"))
                .containsExactly(AccessCheck.of("sqs:GetQueueUrl", "arn:aws:sqs:us-east-1:123456789012:jobs"));
    }
}
