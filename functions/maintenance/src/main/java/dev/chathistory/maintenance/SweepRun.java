package dev.chathistory.maintenance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A sweep of the window [{@code since}, {@code until}) in progress, and where it has got to:
 * the day and shard of the active-users index being read, and the index's LastEvaluatedKey
 * within it ({@code startKey}, null at the start of a shard). Days run from the day of
 * {@code since} to the day of the last millisecond before {@code until}; shards 0..N-1 each.
 */
public record SweepRun(String runId, Instant since, Instant until, LocalDate day, int shard, String startKey) {

    public SweepRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(day, "day");
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("a sweep window must not be empty");
        }
        if (shard < 0) {
            throw new IllegalArgumentException("shard must not be negative");
        }
    }

    /** A run at the first shard of the window's first day. */
    public static SweepRun start(String runId, Instant since, Instant until) {
        return new SweepRun(runId, since, until, dayOf(since), 0, null);
    }

    /** The last instant inside the window: timestamps have millisecond precision. */
    public Instant untilInclusive() {
        return until.minusMillis(1);
    }

    /** The partition of the active-users index this run reads next: {@code yyyy-MM-dd#ss}. */
    public String shardKey() {
        return day + "#" + String.format("%02d", shard);
    }

    /** The same shard, continuing after {@code nextStartKey}. */
    public SweepRun continueAfter(String nextStartKey) {
        return new SweepRun(runId, since, until, day, shard, Objects.requireNonNull(nextStartKey, "nextStartKey"));
    }

    /** The start of the next shard, or of the next day's first shard. */
    public SweepRun nextShard(int shards) {
        return shard + 1 < shards
                ? new SweepRun(runId, since, until, day, shard + 1, null)
                : new SweepRun(runId, since, until, day.plusDays(1), 0, null);
    }

    /** True once every shard of every day of the window has been read. */
    public boolean isFinished() {
        return day.isAfter(dayOf(untilInclusive()));
    }

    static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
