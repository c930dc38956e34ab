package dev.chathistory.shared.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each user's last activity and message count without a write per append: a container
 * writes a user's activity at most once per interval, carrying the count of appends it saw
 * since its last write.
 *
 * <p>Counts are therefore approximate: appends a container saw but had not yet written are lost
 * if the container is recycled (or the user is evicted from the bounded map). The history itself
 * is never affected; a recount job rebuilds the counters from the data.
 */
public final class ActivityRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityRecorder.class);
    private static final long MAX_TRACKED_USERS = 50_000;

    private final UserRepository users;
    private final Duration interval;
    private final int shards;
    private final Cache<UserRef, Pending> pending = Caffeine.newBuilder()
            .maximumSize(MAX_TRACKED_USERS)
            .build();

    public ActivityRecorder(UserRepository users, Duration interval, int shards) {
        this.users = users;
        this.interval = interval;
        this.shards = shards;
    }

    /** Never throws: activity is bookkeeping and must not fail an append that already succeeded. */
    public void messageAppended(UserRef user, Instant at) {
        Pending entry = pending.get(user, k -> new Pending());
        long toWrite;
        synchronized (entry) {
            entry.unwritten++;
            if (entry.lastWrite != null && entry.lastWrite.plus(interval).isAfter(at)) {
                return;
            }
            toWrite = entry.unwritten;
            entry.unwritten = 0;
            entry.lastWrite = at;
        }
        try {
            users.recordActivity(user, at, toWrite, UsersTable.activeShard(user, at, shards));
        } catch (RuntimeException e) {
            synchronized (entry) {
                entry.unwritten += toWrite;
                entry.lastWrite = null;
            }
            LOG.warn("could not record user activity; will retry on the user's next message: {}",
                    e.getClass().getSimpleName());
        }
    }

    private static final class Pending {
        private Instant lastWrite;
        private long unwritten;
    }
}
