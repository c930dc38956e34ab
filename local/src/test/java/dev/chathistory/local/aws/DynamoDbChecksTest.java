package dev.chathistory.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.chathistory.local.iam.AccessCheck;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DynamoDbChecksTest {

    private static final String TABLES = "arn:aws:dynamodb:us-east-1:123456789012:table/";

    private final DynamoDbChecks checks = new DynamoDbChecks(table -> Optional.of("pk"));

    private List<AccessCheck> checksOf(String operation, String body) {
        return checks.checks(Calls.json("DynamoDB_20120810." + operation, body), "us-east-1", "123456789012");
    }

    @Test
    void getItem_shouldBeCheckedOnTheTable_withThePartitionKeyAsLeadingKey() {
        assertThat(checksOf("GetItem",
                "{\"TableName\":\"users\",\"Key\":{\"pk\":{\"S\":\"K#abc\"},\"sk\":{\"S\":\"KEY\"}}}"))
                .containsExactly(new AccessCheck("dynamodb:GetItem", TABLES + "users",
                        Map.of("dynamodb:LeadingKeys", List.of("K#abc"))));
    }

    @Test
    void putItem_shouldTakeItsLeadingKeyFromTheItem() {
        assertThat(checksOf("PutItem", "{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":\"A\"},\"x\":{\"N\":\"1\"}}}"))
                .singleElement().satisfies(check -> {
                    assertThat(check.action()).isEqualTo("dynamodb:PutItem");
                    assertThat(check.context()).containsEntry("dynamodb:LeadingKeys", List.of("A"));
                });
    }

    @Test
    void transactWriteItems_shouldNeedEachItemsOwnAction_notATransactionPermission() {
        assertThat(checksOf("TransactWriteItems", "{\"TransactItems\":["
                + "{\"Put\":{\"TableName\":\"m\",\"Item\":{\"pk\":{\"S\":\"P\"}}}},"
                + "{\"Update\":{\"TableName\":\"m\",\"Key\":{\"pk\":{\"S\":\"U\"}}}},"
                + "{\"Delete\":{\"TableName\":\"u\",\"Key\":{\"pk\":{\"S\":\"D\"}}}},"
                + "{\"ConditionCheck\":{\"TableName\":\"m\",\"Key\":{\"pk\":{\"S\":\"C\"}}}}]}"))
                .extracting(AccessCheck::action, AccessCheck::resource)
                .containsExactly(
                        tuple("dynamodb:PutItem", TABLES + "m"),
                        tuple("dynamodb:UpdateItem", TABLES + "m"),
                        tuple("dynamodb:DeleteItem", TABLES + "u"),
                        tuple("dynamodb:ConditionCheckItem", TABLES + "m"));
    }

    @Test
    void queryOfAnIndex_shouldBeCheckedOnTheIndex() {
        assertThat(checksOf("Query",
                "{\"TableName\":\"m\",\"IndexName\":\"Blobs\",\"KeyConditionExpression\":\"s = :s\"}"))
                .singleElement().satisfies(check -> {
                    assertThat(check.action()).isEqualTo("dynamodb:Query");
                    assertThat(check.resource()).isEqualTo(TABLES + "m/index/Blobs");
                });
    }

    @Test
    void queryOfTheTable_shouldReadItsPartitionFromTheKeyCondition_throughNamesAndValues() {
        assertThat(checksOf("Query", "{\"TableName\":\"m\","
                + "\"KeyConditionExpression\":\"#p = :p AND begins_with(sk, :s)\","
                + "\"ExpressionAttributeNames\":{\"#p\":\"pk\"},"
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"T#1#C#2\"},\":s\":{\"S\":\"M#\"}}}"))
                .singleElement().satisfies(check ->
                        assertThat(check.context()).containsEntry("dynamodb:LeadingKeys", List.of("T#1#C#2")));
    }

    @Test
    void batchWriteItem_shouldBeOneCheckPerTable_withEveryPartitionWritten() {
        assertThat(checksOf("BatchWriteItem", "{\"RequestItems\":{\"m\":["
                + "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"A\"}}}},"
                + "{\"DeleteRequest\":{\"Key\":{\"pk\":{\"S\":\"B\"}}}},"
                + "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"A\"}}}}]}}"))
                .containsExactly(new AccessCheck("dynamodb:BatchWriteItem", TABLES + "m",
                        Map.of("dynamodb:LeadingKeys", List.of("A", "B"))));
    }

    @Test
    void anOperationItDoesNotKnow_shouldBeRefused_notLetThrough() {
        assertThatThrownBy(() -> checksOf("ExecuteStatement", "{\"Statement\":\"SELECT * FROM m\"}"))
                .isInstanceOf(UnknownRequestException.class).hasMessageContaining("ExecuteStatement");
    }
}
