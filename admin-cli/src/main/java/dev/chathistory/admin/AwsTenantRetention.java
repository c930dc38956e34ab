package dev.chathistory.admin;

import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.retention.RetentionRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link TenantRetention} on the stack: the policy in the users table, then one chat-wide
 * retention job per chat found in the tenant's users' chat directories. Finding them is a Scan
 * of the users table (no index lists a tenant's chats): it reads the whole table once, in
 * pages, which an operator's occasional policy change can afford and no request path ever does.
 */
public final class AwsTenantRetention implements TenantRetention {

    private final RetentionRepository policies;
    private final DynamoDbClient dynamoDb;
    private final String usersTable;
    private final JobQueue queue;
    private final MessageIdGenerator jobIds;
    private final Clock clock;

    public AwsTenantRetention(RetentionRepository policies, DynamoDbClient dynamoDb, String usersTable, JobQueue queue,
                       MessageIdGenerator jobIds, Clock clock) {
        this.policies = policies;
        this.dynamoDb = dynamoDb;
        this.usersTable = usersTable;
        this.queue = queue;
        this.jobIds = jobIds;
        this.clock = clock;
    }

    @Override
    public int set(String tenantId, OptionalInt days) {
        policies.setTenantDays(tenantId, days, clock.instant());
        List<JobRequest> jobs = new ArrayList<>();
        for (String chatId : chatsOf(tenantId)) {
            jobs.add(new JobRequest(jobIds.nextId(), JobType.RETENTION, tenantId, Retention.CHAT_JOB_USER, chatId));
        }
        for (int from = 0; from < jobs.size(); from += 10) {
            List<JobRequest> batch = jobs.subList(from, Math.min(jobs.size(), from + 10));
            List<JobRequest> refused = queue.sendAll(batch);
            if (!refused.isEmpty() && !queue.sendAll(refused).isEmpty()) {
                throw new IllegalStateException("the job queue refused some jobs; run set-retention again");
            }
        }
        return jobs.size();
    }

    /** Every chat in the directory of any of the tenant's users. */
    private Set<String> chatsOf(String tenantId) {
        String userPrefix = "T#" + tenantId + "#U#";
        Set<String> chats = new TreeSet<>();
        dynamoDb.scanPaginator(b -> b.tableName(usersTable)
                        .filterExpression("begins_with(pk, :users) AND begins_with(sk, :chat)")
                        .expressionAttributeValues(Map.of(":users", AttributeValue.fromS(userPrefix),
                                ":chat", AttributeValue.fromS("C#")))
                        .projectionExpression("sk"))
                .items()
                .forEach(item -> chats.add(item.get("sk").s().substring("C#".length())));
        return chats;
    }
}
