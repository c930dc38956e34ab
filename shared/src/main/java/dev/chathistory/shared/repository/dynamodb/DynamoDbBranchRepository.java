package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.branches.BranchRepository;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link BranchRepository} on the messages table. The mark ({@code sk = M BRANCH}) sorts right
 * below a chat's archive manifest, at the bottom of the range a history page reads, so the read
 * that runs out of a branch's own messages finds where to go on in the same request. The list
 * entries ({@code sk = R#{branchId}}) sit in the parent's partition, outside every message range.
 */
public final class DynamoDbBranchRepository implements BranchRepository {

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbBranchRepository(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public boolean create(ChatRef parent, BranchPoint branch) {
        ChatRef branchChat = new ChatRef(parent.tenantId(), branch.branchId());
        Map<String, AttributeValue> mark = new HashMap<>(MessagesTable.branchMarkKey(branchChat));
        mark.putAll(attributes(branch));
        Map<String, AttributeValue> entry = new HashMap<>(Map.of(
                MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(parent)),
                MessagesTable.SORT_KEY, s(MessagesTable.branchEntrySortKey(branch.branchId()))));
        entry.putAll(attributes(branch));
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(mark)
                            .conditionExpression("attribute_not_exists(pk)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(entry)
                            .conditionExpression("attribute_not_exists(pk)").build()).build()));
            return true;
        } catch (TransactionCanceledException e) {
            if (find(branchChat).filter(branch::equals).isPresent()) {
                // This very creation applied on an attempt whose answer was lost.
                return true;
            }
            return false;
        }
    }

    @Override
    public Optional<BranchPoint> find(ChatRef chat) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(MessagesTable.branchMarkKey(chat)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toBranch(chat.chatId(), item));
    }

    @Override
    public Page<BranchPoint> list(ChatRef parent, int limit, String after) {
        Map<String, AttributeValue> values = Map.of(
                ":pk", s(MessagesTable.partitionKey(parent)),
                ":prefix", s(MessagesTable.BRANCH_ENTRY_PREFIX));
        QueryResponse response = dynamoDb.query(b -> b.tableName(tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(values)
                .exclusiveStartKey(after == null ? null : Map.of(
                        MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(parent)),
                        MessagesTable.SORT_KEY, s(MessagesTable.branchEntrySortKey(after))))
                .consistentRead(true)
                .limit(limit));
        List<BranchPoint> branches = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            String sk = item.get(MessagesTable.SORT_KEY).s();
            branches.add(toBranch(sk.substring(MessagesTable.BRANCH_ENTRY_PREFIX.length()), item));
        }
        boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
        return new Page<>(branches, more && !branches.isEmpty()
                ? Optional.of(branches.get(branches.size() - 1).branchId()) : Optional.empty());
    }

    /** Reads a mark found by a history query. */
    static BranchPoint toBranch(String branchId, Map<String, AttributeValue> item) {
        return new BranchPoint(branchId, item.get("parent").s(), item.get("from").s(),
                Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())));
    }

    private static Map<String, AttributeValue> attributes(BranchPoint branch) {
        return Map.of("parent", s(branch.parentChatId()), "from", s(branch.fromMessageId()),
                "createdAt", n(branch.createdAt().toEpochMilli()));
    }
}
