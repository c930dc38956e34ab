package dev.chathistory.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.local.aws.IamCallLog;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.tests.TestStack;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Key items of the users table ({@code K#{sha256}}, what the authorizer trusts, and
 * {@code T#{tenant}#KEYS}, the tenant's key list that revocation follows) through the local
 * stack's IAM enforcement: every role that may otherwise write the users table is refused them by
 * an explicit deny, while the same call on a user's partition is allowed, so it is the deny that
 * refuses, not a missing grant. Only the authorizer reads them; only {@code ./admin} (operator
 * credentials) writes them. A probe stack: the denials are on purpose.
 */
class KeyItemsIT {

    private static final String EXPLICIT_DENY = "with an explicit deny in an identity-based policy";
    private static TestStack stack;
    private static String users;

    @BeforeAll
    static void deploy() {
        stack = TestStack.create(IamCallLog.PROBE_STACK_PREFIX + "keys");
        users = stack.table("UsersTable");
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    private static DynamoDbClient clientOf(String function) {
        return stack.closeLater(AwsClientFactory.dynamoDb(stack.configOf(function)));
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    /** A key item as a forger would write it: active, for the tenant of their choice. */
    private static Map<String, AttributeValue> forgedKey(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("KEY"),
                "tenantId", AttributeValue.fromS("victim"), "keyId", AttributeValue.fromS("forged"),
                "name", AttributeValue.fromS("forged"), "sha256", AttributeValue.fromS("00"),
                "createdAt", AttributeValue.fromS("2026-12-03T00:00:00.000Z"), "active", AttributeValue.fromBool(true));
    }

    private static void explicitlyDenied(Executable call) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).contains(EXPLICIT_DENY);
        });
    }

    private static void activate(DynamoDbClient client, String pk, String sk) {
        client.updateItem(b -> b.tableName(users).key(key(pk, sk)).updateExpression("SET active = :t")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
    }

    @Test
    void theApi_mayNotWriteOrReadKeyItems_butMayWriteAUserNamedKeys() {
        DynamoDbClient api = clientOf("MessageApiFunction");

        explicitlyDenied(() -> api.putItem(b -> b.tableName(users).item(forgedKey("K#" + "ab".repeat(32)))));
        explicitlyDenied(() -> activate(api, "K#" + "ab".repeat(32), "KEY"));
        explicitlyDenied(() -> api.getItem(b -> b.tableName(users).key(key("K#" + "ab".repeat(32), "KEY"))));
        explicitlyDenied(() -> activate(api, "T#victim#KEYS", "KEY#01JF0000000000000000000000"));
        explicitlyDenied(() -> api.getItem(b -> b.tableName(users).key(key("T#victim#KEYS", "TENANT"))));

        assertThatCode(() -> activate(api, "T#victim#U#KEYS", "PROFILE")).doesNotThrowAnyException();
        assertThatCode(() -> api.getItem(b -> b.tableName(users).key(key("T#victim#U#KEYS", "PROFILE"))))
                .doesNotThrowAnyException();
    }

    @Test
    void theJobs_mayNotWriteOrDeleteKeyItems_butMayTheirUsersAndJobs() {
        DynamoDbClient jobs = clientOf("UserBatchFunction");

        explicitlyDenied(() -> activate(jobs, "K#" + "cd".repeat(32), "KEY"));
        explicitlyDenied(() -> jobs.deleteItem(b -> b.tableName(users).key(key("K#" + "cd".repeat(32), "KEY"))));
        explicitlyDenied(() -> activate(jobs, "T#victim#KEYS", "KEY#01JF0000000000000000000000"));
        explicitlyDenied(() -> jobs.query(b -> b.tableName(users).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("T#victim#KEYS")))));

        assertThatCode(() -> activate(jobs, "T#victim#U#KEYS", "PROFILE")).doesNotThrowAnyException();
        assertThatCode(() -> activate(jobs, "T#victim#J#KEYS", "JOB")).doesNotThrowAnyException();
        assertThatCode(() -> jobs.deleteItem(b -> b.tableName(users).key(key("T#victim#E#KEYS", "ERASED"))))
                .doesNotThrowAnyException();
    }

    @Test
    void maintenance_mayNotWriteKeyItems_butMayItsCheckpoint() {
        DynamoDbClient maintenance = clientOf("MaintenanceFunction");

        explicitlyDenied(() -> activate(maintenance, "K#" + "ef".repeat(32), "KEY"));
        explicitlyDenied(() -> activate(maintenance, "T#victim#KEYS", "TENANT"));

        assertThatCode(() -> activate(maintenance, "SYS#probe", "CHECKPOINT")).doesNotThrowAnyException();
    }

    @Test
    void theAuthorizer_mayStillReadKeyItems() {
        DynamoDbClient authorizer = clientOf("AuthorizerFunction");

        assertThatCode(() -> authorizer.getItem(b -> b.tableName(users).key(key("K#" + "ab".repeat(32), "KEY"))))
                .doesNotThrowAnyException();
    }
}
