package dev.chathistory.maintenance;

import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link CheckpointStore} as one item of the users table: {@code pk = SYS#maintenance,
 * sk = CHECKPOINT} (see {@link UsersTable}). Timestamps are fixed-width ISO strings, so the lease
 * condition compares them as strings. The item has none of the index attributes, so it never
 * appears in ActiveUsers or OpenJobs.
 *
 * <pre>
 * doneUntil                    end of the last completed window
 * runId, runSince, runUntil    the window of the run in progress
 * runDay, runShard, runStartKey its position (runStartKey: the index's LastEvaluatedKey as JSON)
 * leaseOwner, leaseUntil       the invocation sweeping now, and until when its lease holds
 * </pre>
 */
public final class DynamoDbCheckpointStore implements CheckpointStore {

    static final String PARTITION_KEY_VALUE = "SYS#maintenance";
    static final String SORT_KEY_VALUE = "CHECKPOINT";

    private static final Map<String, AttributeValue> KEY = Map.of(
            UsersTable.PARTITION_KEY, AttributeValue.fromS(PARTITION_KEY_VALUE),
            UsersTable.SORT_KEY, AttributeValue.fromS(SORT_KEY_VALUE));
    private static final String HELD_BY_OWNER = "leaseOwner = :owner";
    private static final String HELD_BY_OWNER_FOR_RUN = "leaseOwner = :owner AND runId = :run";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbCheckpointStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Optional<Checkpoint> acquire(String owner, Instant now, Instant leaseUntil) {
        try {
            Map<String, AttributeValue> item = dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(KEY)
                    .updateExpression("SET leaseOwner = :owner, leaseUntil = :until")
                    .conditionExpression("attribute_not_exists(leaseUntil) OR leaseUntil < :now")
                    .expressionAttributeValues(Map.of(
                            ":owner", AttributeValue.fromS(owner),
                            ":until", AttributeValue.fromS(Timestamps.format(leaseUntil)),
                            ":now", AttributeValue.fromS(Timestamps.format(now))))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(toCheckpoint(item));
        } catch (ConditionalCheckFailedException heldByAnother) {
            return Optional.empty();
        }
    }

    @Override
    public void begin(String owner, SweepRun run) {
        Map<String, AttributeValue> values = positionValues(owner, run);
        values.put(":since", AttributeValue.fromS(Timestamps.format(run.since())));
        values.put(":until", AttributeValue.fromS(Timestamps.format(run.until())));
        update("SET runId = :run, runSince = :since, runUntil = :until, " + positionUpdate(run), HELD_BY_OWNER,
                values);
    }

    @Override
    public void advance(String owner, SweepRun run) {
        update("SET " + positionUpdate(run), HELD_BY_OWNER_FOR_RUN, positionValues(owner, run));
    }

    @Override
    public void complete(String owner, SweepRun run) {
        update("SET doneUntil = :until "
                        + "REMOVE runId, runSince, runUntil, runDay, runShard, runStartKey, leaseOwner, leaseUntil",
                HELD_BY_OWNER_FOR_RUN,
                new HashMap<>(Map.of(
                        ":owner", AttributeValue.fromS(owner),
                        ":run", AttributeValue.fromS(run.runId()),
                        ":until", AttributeValue.fromS(Timestamps.format(run.until())))));
    }

    @Override
    public void release(String owner) {
        try {
            update("REMOVE leaseOwner, leaseUntil", HELD_BY_OWNER,
                    new HashMap<>(Map.of(":owner", AttributeValue.fromS(owner))));
        } catch (LeaseLostException alreadyTakenOver) {
            // nothing of ours to free
        }
    }

    @Override
    public Checkpoint read() {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).key(KEY).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Checkpoint.none() : toCheckpoint(item);
    }

    private void update(String expression, String condition, Map<String, AttributeValue> values) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(KEY)
                    .updateExpression(expression)
                    .conditionExpression(condition)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new LeaseLostException();
        }
    }

    private static String positionUpdate(SweepRun run) {
        return "runDay = :day, runShard = :shard" + (run.startKey() == null
                ? " REMOVE runStartKey"
                : ", runStartKey = :startKey");
    }

    private static Map<String, AttributeValue> positionValues(String owner, SweepRun run) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":owner", AttributeValue.fromS(owner));
        values.put(":run", AttributeValue.fromS(run.runId()));
        values.put(":day", AttributeValue.fromS(run.day().toString()));
        values.put(":shard", AttributeValue.fromN(Integer.toString(run.shard())));
        if (run.startKey() != null) {
            values.put(":startKey", AttributeValue.fromS(run.startKey()));
        }
        return values;
    }

    private static Checkpoint toCheckpoint(Map<String, AttributeValue> item) {
        Optional<Instant> doneUntil = text(item, "doneUntil").map(Timestamps::parse);
        Optional<SweepRun> run = text(item, "runId").map(runId -> new SweepRun(
                runId,
                Timestamps.parse(text(item, "runSince").orElseThrow()),
                Timestamps.parse(text(item, "runUntil").orElseThrow()),
                LocalDate.parse(text(item, "runDay").orElseThrow()),
                Integer.parseInt(item.get("runShard").n()),
                text(item, "runStartKey").orElse(null)));
        return new Checkpoint(doneUntil, run);
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? Optional.empty() : Optional.ofNullable(value.s());
    }
}
