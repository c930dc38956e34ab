package dev.chathistory.shared.repository.dynamodb;

import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import java.time.Instant;

/**
 * Key design of the users table, which the SAM template declares (a test checks they agree).
 *
 * <pre>
 * pk = T#{tenant}#U#{user}, sk = PROFILE     settings, counters, last activity
 * pk = T#{tenant}#U#{user}, sk = C#{chatId}  a chat the user has written in (export, erase)
 * pk = T#{tenant}#J#{jobId}, sk = JOB        a background job's record, expires via TTL
 * pk = T#{tenant}#E#{user}, sk = ERASED      tombstone of an erase: its cutoff, kept
 * pk = L#{scope}, sk = LEASE                 a job's lease on a user or chat, expires via TTL
 * pk = SYS#maintenance, sk = CHECKPOINT      where the maintenance sweep has got to
 * GSI ActiveUsers: activeShard = {yyyy-MM-dd}#{shard:02}, lastActiveAt (sparse, keys only)
 * GSI OpenJobs: openDay = {yyyy-MM-dd}, openedAt (sparse: only queued or running jobs)
 * </pre>
 *
 * The active-users index is write-sharded: a user lands in one of N shards of the day they were
 * last active, so a busy day spreads over N partitions instead of one hot one. A reader lists
 * "active since T" by querying each shard of each day since T with {@code lastActiveAt >= T}.
 */
public final class UsersTable {

    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    public static final String ACTIVE_USERS_INDEX = "ActiveUsers";
    public static final String ACTIVE_SHARD = "activeShard";
    public static final String LAST_ACTIVE_AT = "lastActiveAt";
    public static final String OPEN_JOBS_INDEX = "OpenJobs";
    public static final String OPEN_DAY = "openDay";
    public static final String OPENED_AT = "openedAt";
    public static final String TTL_ATTRIBUTE = "expiresAt";

    static final String PROFILE = "PROFILE";
    static final String CHAT_PREFIX = "C#";
    static final String JOB = "JOB";
    static final String USER_SEGMENT = "#U#";
    static final String JOB_SEGMENT = "#J#";
    static final String ERASED = "ERASED";
    static final String ERASURE_SEGMENT = "#E#";
    static final String LEASE = "LEASE";

    private UsersTable() {
    }

    public static String partitionKey(UserRef user) {
        return "T#" + user.tenantId() + USER_SEGMENT + user.userId();
    }

    /** Outside the user's own partition, so erasing the user's data never removes it. */
    static String erasurePartitionKey(UserRef user) {
        return "T#" + user.tenantId() + ERASURE_SEGMENT + user.userId();
    }

    /** Scopes are {@code U#{tenant}#{user}} or {@code C#{tenant}#{chat}} (see Leases). */
    static String leasePartitionKey(String scope) {
        return "L#" + scope;
    }

    static String jobPartitionKey(String tenantId, String jobId) {
        return "T#" + tenantId + JOB_SEGMENT + jobId;
    }

    /** The user a {@code T#{tenant}#U#{user}} key names; ids cannot contain '#'. */
    public static UserRef userOf(String partitionKey) {
        String[] parts = partitionKey.split("#", -1);
        if (parts.length != 4 || !"T".equals(parts[0]) || !"U".equals(parts[2])) {
            throw new IllegalArgumentException("not a user key");
        }
        return new UserRef(parts[1], parts[3]);
    }

    /** The tenant and job id a {@code T#{tenant}#J#{jobId}} key names. */
    static String[] jobOf(String partitionKey) {
        String[] parts = partitionKey.split("#", -1);
        if (parts.length != 4 || !"T".equals(parts[0]) || !"J".equals(parts[2])) {
            throw new IllegalArgumentException("not a job key");
        }
        return new String[] {parts[1], parts[3]};
    }

    /** The index partition a user's activity at {@code at} belongs to. Stable across JVMs. */
    public static String activeShard(UserRef user, Instant at, int shards) {
        int shard = Math.floorMod(partitionKey(user).hashCode(), shards);
        return Timestamps.day(at) + "#" + String.format("%02d", shard);
    }
}
