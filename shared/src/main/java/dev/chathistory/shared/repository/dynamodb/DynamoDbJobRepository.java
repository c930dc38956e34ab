package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.model.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link JobRepository} in the users table (see {@link UsersTable}). An open job carries
 * {@code openDay}/{@code openedAt}, which put it in the sparse OpenJobs index; finishing removes
 * them, so the index only ever holds jobs that may be stuck.
 */
public final class DynamoDbJobRepository implements JobRepository {

    private static final String STATUS = "#status";
    private static final String TYPE = "#type";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbJobRepository(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public boolean create(Job job, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(job.tenantId(), job.jobId()));
        item.put("jobId", s(job.jobId()));
        item.put("type", s(job.type().wireName()));
        item.put("tenantId", s(job.tenantId()));
        item.put("userId", s(job.userId()));
        if (job.chatId() != null) {
            item.put("chatId", s(job.chatId()));
        }
        item.put("status", s(job.status().wireName()));
        item.put("attempts", n(job.attempts()));
        item.put("createdAt", s(Timestamps.format(job.createdAt())));
        item.put("updatedAt", s(Timestamps.format(job.updatedAt())));
        item.put(UsersTable.OPEN_DAY, s(Timestamps.day(job.createdAt())));
        item.put(UsersTable.OPENED_AT, s(Timestamps.format(job.createdAt())));
        item.put(UsersTable.TTL_ATTRIBUTE, n(expiresAt.getEpochSecond()));
        return ConditionalPuts.putIfAbsent(dynamoDb, tableName, item);
    }

    @Override
    public Optional<Job> find(String tenantId, String jobId, Instant now) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(tenantId, jobId))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty() || !item.containsKey("status")) {
            return Optional.empty();
        }
        // TTL deletes lazily (up to days late), so an expired record is treated as gone.
        AttributeValue expires = item.get(UsersTable.TTL_ATTRIBUTE);
        if (expires != null && Long.parseLong(expires.n()) <= now.getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(toJob(item));
    }

    @Override
    public boolean start(JobRequest request, int attempt, Instant now, Instant expiresAt) {
        Map<String, String> names = new HashMap<>(Map.of(STATUS, "status", TYPE, "type",
                "#openDay", UsersTable.OPEN_DAY, "#openedAt", UsersTable.OPENED_AT,
                "#ttl", UsersTable.TTL_ATTRIBUTE));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":running", s(JobStatus.RUNNING.wireName()),
                ":succeeded", s(JobStatus.SUCCEEDED.wireName()),
                ":attempt", n(attempt),
                ":now", s(Timestamps.format(now)),
                ":day", s(Timestamps.day(now)),
                ":ttl", n(expiresAt.getEpochSecond()),
                ":jobId", s(request.jobId()),
                ":type", s(request.type().wireName()),
                ":tenant", s(request.tenantId()),
                ":user", s(request.userId())));
        StringBuilder set = new StringBuilder("SET #status = :running, attempts = :attempt, updatedAt = :now, "
                + "#openDay = :day, #openedAt = :now, #ttl = :ttl, jobId = :jobId, #type = :type, "
                + "tenantId = :tenant, userId = :user, createdAt = if_not_exists(createdAt, :now)");
        if (request.chatId() != null) {
            set.append(", chatId = :chat");
            values.put(":chat", s(request.chatId()));
        }
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(request.tenantId(), request.jobId()))
                    .updateExpression(set + " REMOVE nextAttemptAt")
                    .conditionExpression("attribute_not_exists(pk) OR " + STATUS + " <> :succeeded")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException alreadyDone) {
            return false;
        }
    }

    @Override
    public void succeed(JobRequest request, JobOutcome outcome, Instant now, Instant expiresAt) {
        Map<String, AttributeValue> counts = new LinkedHashMap<>();
        outcome.counts().forEach((name, value) -> counts.put(name, n(value)));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":succeeded", s(JobStatus.SUCCEEDED.wireName()),
                ":counts", AttributeValue.fromM(counts),
                ":now", s(Timestamps.format(now)),
                ":ttl", n(expiresAt.getEpochSecond())));
        String set = "SET #status = :succeeded, counts = :counts, updatedAt = :now, #ttl = :ttl";
        if (outcome.resultKey() != null) {
            set += ", resultKey = :result";
            values.put(":result", s(outcome.resultKey()));
        }
        String update = set + " REMOVE #openDay, #openedAt, #error, nextAttemptAt, checkpoint";
        dynamoDb.updateItem(b -> b.tableName(tableName)
                .key(key(request.tenantId(), request.jobId()))
                .updateExpression(update)
                .expressionAttributeNames(Map.of(STATUS, "status", "#error", "error",
                        "#openDay", UsersTable.OPEN_DAY, "#openedAt", UsersTable.OPENED_AT,
                        "#ttl", UsersTable.TTL_ATTRIBUTE))
                .expressionAttributeValues(values));
    }

    @Override
    public void fail(JobRequest request, String error, Instant retryAt, Instant now, Instant expiresAt) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":succeeded", s(JobStatus.SUCCEEDED.wireName()),
                ":error", s(error),
                ":now", s(Timestamps.format(now)),
                ":ttl", n(expiresAt.getEpochSecond())));
        Map<String, String> names = new HashMap<>(Map.of(STATUS, "status", "#error", "error",
                "#ttl", UsersTable.TTL_ATTRIBUTE));
        String update;
        if (retryAt != null) {
            update = "SET #error = :error, updatedAt = :now, #ttl = :ttl, nextAttemptAt = :retry";
            values.put(":retry", s(Timestamps.format(retryAt)));
        } else {
            update = "SET #status = :failed, #error = :error, updatedAt = :now, #ttl = :ttl "
                    + "REMOVE #openDay, #openedAt, nextAttemptAt";
            values.put(":failed", s(JobStatus.FAILED.wireName()));
            names.put("#openDay", UsersTable.OPEN_DAY);
            names.put("#openedAt", UsersTable.OPENED_AT);
        }
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(request.tenantId(), request.jobId()))
                    .updateExpression(update)
                    // A concurrent copy that succeeded wins over this copy's failure.
                    .conditionExpression("attribute_exists(pk) AND " + STATUS + " <> :succeeded")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException alreadyDone) {
            // nothing to record
        }
    }

    @Override
    public void continueLater(JobRequest request, JobOutcome progress, Instant resumeAt, Instant now,
                              Instant expiresAt) {
        Map<String, AttributeValue> counts = new LinkedHashMap<>();
        progress.counts().forEach((name, value) -> counts.put(name, n(value)));
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(request.tenantId(), request.jobId()))
                    .updateExpression("SET counts = :counts, updatedAt = :now, #ttl = :ttl, nextAttemptAt = :resume "
                            + "REMOVE #error")
                    .conditionExpression("attribute_exists(pk) AND " + STATUS + " <> :succeeded")
                    .expressionAttributeNames(Map.of(STATUS, "status", "#error", "error",
                            "#ttl", UsersTable.TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(
                            ":succeeded", s(JobStatus.SUCCEEDED.wireName()),
                            ":counts", AttributeValue.fromM(counts),
                            ":now", s(Timestamps.format(now)),
                            ":ttl", n(expiresAt.getEpochSecond()),
                            ":resume", s(Timestamps.format(resumeAt)))));
        } catch (ConditionalCheckFailedException alreadyDone) {
            // a concurrent copy finished the job
        }
    }

    @Override
    public Optional<String> checkpoint(JobRequest request) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(request.tenantId(), request.jobId()))
                .projectionExpression("checkpoint")
                .consistentRead(true)).item();
        return Optional.ofNullable(item == null ? null : text(item, "checkpoint"));
    }

    @Override
    public void saveCheckpoint(JobRequest request, String checkpoint) {
        dynamoDb.updateItem(b -> b.tableName(tableName)
                .key(key(request.tenantId(), request.jobId()))
                .updateExpression("SET checkpoint = :checkpoint")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":checkpoint", s(checkpoint))));
    }

    @Override
    public List<OpenJob> listOpen(String day, Instant openedBefore) {
        List<OpenJob> open = new ArrayList<>();
        QueryPages.forEachItem(dynamoDb, QueryRequest.builder()
                .tableName(tableName)
                .indexName(UsersTable.OPEN_JOBS_INDEX)
                .keyConditionExpression("#day = :day AND #openedAt < :before")
                .expressionAttributeNames(Map.of("#day", UsersTable.OPEN_DAY, "#openedAt", UsersTable.OPENED_AT))
                .expressionAttributeValues(Map.of(":day", s(day), ":before", s(Timestamps.format(openedBefore)))),
                item -> {
                    String[] job = UsersTable.jobOf(item.get(UsersTable.PARTITION_KEY).s());
                    open.add(new OpenJob(job[0], job[1]));
                });
        return open;
    }

    @Override
    public boolean expireIfStale(String tenantId, String jobId, Instant staleBefore, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(tenantId, jobId))
                    .updateExpression("SET #status = :expired, #error = :error, updatedAt = :now "
                            + "REMOVE #openDay, #openedAt, nextAttemptAt")
                    .conditionExpression("#status IN (:queued, :running) AND updatedAt < :staleBefore")
                    .expressionAttributeNames(Map.of(STATUS, "status", "#error", "error",
                            "#openDay", UsersTable.OPEN_DAY, "#openedAt", UsersTable.OPENED_AT))
                    .expressionAttributeValues(Map.of(
                            ":expired", s(JobStatus.EXPIRED.wireName()),
                            ":queued", s(JobStatus.QUEUED.wireName()),
                            ":running", s(JobStatus.RUNNING.wireName()),
                            ":error", s("job did not finish in time; its message may be in the dead-letter queue"),
                            ":now", s(Timestamps.format(now)),
                            ":staleBefore", s(Timestamps.format(staleBefore)))));
            return true;
        } catch (ConditionalCheckFailedException notStale) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String tenantId, String jobId) {
        return Map.of(
                UsersTable.PARTITION_KEY, s(UsersTable.jobPartitionKey(tenantId, jobId)),
                UsersTable.SORT_KEY, s(UsersTable.JOB));
    }

    private static Job toJob(Map<String, AttributeValue> item) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (item.containsKey("counts")) {
            item.get("counts").m().forEach((name, value) -> counts.put(name, Long.parseLong(value.n())));
        }
        return new Job(
                item.get("jobId").s(),
                JobType.fromWireName(item.get("type").s()).orElseThrow(),
                item.get("tenantId").s(),
                item.get("userId").s(),
                text(item, "chatId"),
                JobStatus.valueOf(item.get("status").s().toUpperCase(java.util.Locale.ROOT)),
                Integer.parseInt(item.get("attempts").n()),
                counts,
                text(item, "error"),
                text(item, "resultKey"),
                Timestamps.parse(item.get("createdAt").s()),
                Timestamps.parse(item.get("updatedAt").s()),
                Optional.ofNullable(text(item, "nextAttemptAt")).map(Timestamps::parse).orElse(null));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
