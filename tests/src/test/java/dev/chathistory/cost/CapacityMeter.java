package dev.chathistory.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Meters the DynamoDB capacity a client's calls consume, by DynamoDB's published rules, from the
 * sizes of the items involved: the emulators answer {@code ReturnConsumedCapacity} with constants,
 * so the sizes are the honest measure here. Capacity is deterministic, so tests can assert it.
 *
 * <ul>
 *   <li>a write: 1 unit per KB (rounded up) of the larger of the item before and after, at least
 *       1, also when its condition fails; in a transaction, twice that;</li>
 *   <li>GetItem: 1 unit per 4 KB of the item, at least 1; Query: 1 unit per 4 KB of the sum of
 *       every item read (a filter drops items after they are read and paid for), at least 1;
 *       half of that when eventually consistent.</li>
 * </ul>
 *
 * Items before and after a write are looked at with a second, unmetered client.
 */
public final class CapacityMeter implements ExecutionInterceptor {

    /** One metered call. */
    public record Charge(String operation, double readUnits, double writeUnits) {
    }

    private static final ExecutionAttribute<List<Integer>> SIZES_BEFORE = new ExecutionAttribute<>("sizesBefore");

    private final DynamoDbClient unmetered;
    private final Map<String, List<String>> keyNames = new ConcurrentHashMap<>();
    private final List<Charge> charges = new ArrayList<>();

    public CapacityMeter(DynamoDbClient unmetered) {
        this.unmetered = unmetered;
    }

    /** Forgets every charge so far. */
    public synchronized void reset() {
        charges.clear();
    }

    public synchronized List<Charge> charges() {
        return List.copyOf(charges);
    }

    public synchronized double readUnits() {
        return charges.stream().mapToDouble(Charge::readUnits).sum();
    }

    public synchronized double writeUnits() {
        return charges.stream().mapToDouble(Charge::writeUnits).sum();
    }

    public synchronized int requests() {
        return charges.size();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        List<Integer> before = new ArrayList<>();
        if (request instanceof PutItemRequest put) {
            before.add(storedSize(put.tableName(), put.item()));
        } else if (request instanceof DeleteItemRequest delete) {
            before.add(storedSize(delete.tableName(), delete.key()));
        } else if (request instanceof UpdateItemRequest update) {
            before.add(storedSize(update.tableName(), update.key()));
        } else if (request instanceof TransactWriteItemsRequest transaction) {
            for (TransactWriteItem action : transaction.transactItems()) {
                before.add(storedSize(tableOf(action), keyOf(action)));
            }
        }
        attributes.putAttribute(SIZES_BEFORE, before);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        charge(context.request(), context.response(), attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        // A write whose condition failed is paid for all the same.
        charge(context.request(), null, attributes);
    }

    private synchronized void charge(SdkRequest request, Object response, ExecutionAttributes attributes) {
        List<Integer> before = attributes.getAttribute(SIZES_BEFORE);
        String operation = request.getClass().getSimpleName().replace("Request", "");
        if (request instanceof PutItemRequest put) {
            charges.add(write(operation, Math.max(before.get(0), ItemSizes.of(put.item()))));
        } else if (request instanceof DeleteItemRequest) {
            charges.add(write(operation, before.get(0)));
        } else if (request instanceof UpdateItemRequest update) {
            charges.add(write(operation, Math.max(before.get(0), storedSize(update.tableName(), update.key()))));
        } else if (request instanceof TransactWriteItemsRequest transaction) {
            double units = 0;
            for (int i = 0; i < transaction.transactItems().size(); i++) {
                TransactWriteItem action = transaction.transactItems().get(i);
                int after = action.put() != null ? ItemSizes.of(action.put().item()) : 0;
                units += writeUnits(Math.max(before.get(i), after));
            }
            charges.add(new Charge(operation, 0, 2 * units));
        } else if (request instanceof GetItemRequest get) {
            int size = response instanceof GetItemResponse r && r.hasItem() ? ItemSizes.of(r.item()) : 0;
            charges.add(new Charge(operation, readUnits(size, Boolean.TRUE.equals(get.consistentRead())), 0));
        } else if (request instanceof QueryRequest query) {
            charges.add(new Charge(operation, readUnits(sizeRead(query), Boolean.TRUE.equals(query.consistentRead())), 0));
        } else {
            charges.add(new Charge(operation, 0, 0));
        }
    }

    /** The sum of the sizes of every item the query reads: asked again without its filter. */
    private int sizeRead(QueryRequest query) {
        QueryRequest unfiltered = query.toBuilder()
                .filterExpression(null)
                .projectionExpression(null)
                .expressionAttributeValues(usedIn(query.keyConditionExpression(), query.expressionAttributeValues()))
                .expressionAttributeNames(usedIn(query.keyConditionExpression(), query.expressionAttributeNames()))
                .build();
        return unmetered.query(unfiltered).items().stream().mapToInt(ItemSizes::of).sum();
    }

    private static <V> Map<String, V> usedIn(String expression, Map<String, V> placeholders) {
        if (placeholders == null || placeholders.isEmpty()) {
            return null;
        }
        Map<String, V> used = new HashMap<>();
        placeholders.forEach((name, value) -> {
            if (expression.matches(".*" + java.util.regex.Pattern.quote(name) + "(?![A-Za-z0-9_]).*")) {
                used.put(name, value);
            }
        });
        return used.isEmpty() ? null : used;
    }

    private int storedSize(String table, Map<String, AttributeValue> itemOrKey) {
        List<String> names = keyNames.computeIfAbsent(table, this::describeKey);
        Map<String, AttributeValue> key = new HashMap<>();
        names.forEach(name -> key.put(name, itemOrKey.get(name)));
        Map<String, AttributeValue> stored = unmetered.getItem(b -> b.tableName(table).key(key).consistentRead(true))
                .item();
        return stored == null || stored.isEmpty() ? 0 : ItemSizes.of(stored);
    }

    private List<String> describeKey(String table) {
        return unmetered.describeTable(b -> b.tableName(table)).table().keySchema().stream()
                .map(KeySchemaElement::attributeName).toList();
    }

    private static String tableOf(TransactWriteItem action) {
        return pick(action, p -> p.tableName(), d -> d.tableName(), u -> u.tableName(), c -> c.tableName());
    }

    private static Map<String, AttributeValue> keyOf(TransactWriteItem action) {
        return pick(action, p -> p.item(), d -> d.key(), u -> u.key(), c -> c.key());
    }

    private static <T> T pick(TransactWriteItem action,
                              Function<software.amazon.awssdk.services.dynamodb.model.Put, T> put,
                              Function<software.amazon.awssdk.services.dynamodb.model.Delete, T> delete,
                              Function<software.amazon.awssdk.services.dynamodb.model.Update, T> update,
                              Function<software.amazon.awssdk.services.dynamodb.model.ConditionCheck, T> check) {
        if (action.put() != null) {
            return put.apply(action.put());
        }
        if (action.delete() != null) {
            return delete.apply(action.delete());
        }
        if (action.update() != null) {
            return update.apply(action.update());
        }
        return check.apply(action.conditionCheck());
    }

    private static Charge write(String operation, int bytes) {
        return new Charge(operation, 0, writeUnits(bytes));
    }

    public static double writeUnits(int bytes) {
        return Math.max(1, Math.ceil(bytes / 1024.0));
    }

    public static double readUnits(int bytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(bytes / 4096.0));
        return consistent ? units : units / 2;
    }
}
