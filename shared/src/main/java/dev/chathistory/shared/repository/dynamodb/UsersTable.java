package dev.chathistory.shared.repository.dynamodb;

import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import java.time.Instant;

/**
 * Key design of the users table, which the SAM template declares (a test checks they agree).
 *
 * <pre>
 * pk = T#{tenant}#U#{user}, sk = PROFILE   settings, counters, last activity
 * GSI ActiveUsers: activeShard = {yyyy-MM-dd}#{shard:02}, lastActiveAt (sparse, keys only)
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

    static final String PROFILE = "PROFILE";

    private UsersTable() {
    }

    public static String partitionKey(UserRef user) {
        return "T#" + user.tenantId() + "#U#" + user.userId();
    }

    /** The index partition a user's activity at {@code at} belongs to. Stable across JVMs. */
    public static String activeShard(UserRef user, Instant at, int shards) {
        int shard = Math.floorMod(partitionKey(user).hashCode(), shards);
        return Timestamps.day(at) + "#" + String.format("%02d", shard);
    }
}
