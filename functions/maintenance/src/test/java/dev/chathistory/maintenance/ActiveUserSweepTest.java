package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingJobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ActiveUserSweepTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final int SHARDS = 4;
    private static final Duration LOOKBACK = Duration.ofHours(72);
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final FakeActiveUsers index = new FakeActiveUsers(SHARDS);
    private final RecordingJobQueue queue = new RecordingJobQueue();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger invocations = new AtomicInteger();

    private ActiveUserSweep sweep(JobQueue jobQueue) {
        MessageIdGenerator idGenerator = () -> "id-" + ids.incrementAndGet();
        return new ActiveUserSweep(checkpoints, index, new UserJobEnqueuer(jobQueue, idGenerator), idGenerator, clock,
                SHARDS, LOOKBACK, SETTLE);
    }

    private ActiveUserSweep.Result run(TimeBudget budget) {
        return sweep(queue).run("invocation-" + invocations.incrementAndGet(), budget);
    }

    /** Enough time for {@code pages} pages: one read sizes the lease, then one check per page. */
    private static TimeBudget budgetForPages(int pages) {
        AtomicInteger reads = new AtomicInteger();
        return new TimeBudget(() -> reads.incrementAndGet() <= pages + 1 ? 300_000 : 1_000, Duration.ofSeconds(30));
    }

    private List<UserRef> usersActiveOverThePastDays(int count, String prefix) {
        List<UserRef> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UserRef user = new UserRef("tenant-" + (i % 3), prefix + i);
            // Evenly from 2 minutes to 71 hours ago: four calendar days, some shards over a page.
            index.activeAt(user, NOW.minus(Duration.ofMinutes(2 + (long) i * 71 * 60 / count)));
            users.add(user);
        }
        return users;
    }

    /** How many times each user got each job type. */
    private Map<UserRef, Map<JobType, Long>> jobsPerUser() {
        return queue.sent().stream().collect(Collectors.groupingBy(
                r -> new UserRef(r.tenantId(), r.userId()),
                Collectors.groupingBy(JobRequest::type, Collectors.counting())));
    }

    @Test
    void run_shouldEnqueueOneArchiveAndOneRecountPerActiveUser_acrossDaysAndShards() {
        List<UserRef> users = usersActiveOverThePastDays(40, "user-");
        index.activeAt(new UserRef("tenant-0", "before-window"), NOW.minus(LOOKBACK).minusMillis(1));
        index.activeAt(new UserRef("tenant-0", "still-settling"), NOW.minusSeconds(30));

        ActiveUserSweep.Result result = run(TimeBudget.unlimited());

        assertThat(result).isEqualTo(new ActiveUserSweep.Result(false, true, 40, 80));
        assertThat(jobsPerUser()).containsOnlyKeys(users)
                .allSatisfy((user, types) -> assertThat(types)
                        .isEqualTo(Map.of(JobType.ARCHIVE, 1L, JobType.RECOUNT, 1L)));
        assertThat(queue.sent()).allSatisfy(r -> assertThat(r.chatId()).isNull());
        assertThat(queue.sent()).extracting(JobRequest::jobId).doesNotHaveDuplicates();
        // Every shard of each of the four days was read.
        assertThat(index.queried()).filteredOn(k -> !k.contains("@")).hasSize(4 * SHARDS)
                .contains("2026-03-07#00", "2026-03-07#03", "2026-03-10#00", "2026-03-10#03");
        Checkpoint checkpoint = checkpoints.read();
        assertThat(checkpoint.doneUntil()).contains(NOW.minus(SETTLE));
        assertThat(checkpoint.run()).isEmpty();
        assertThat(checkpoints.leaseOwner()).isEmpty();
    }

    @Test
    void run_shouldStopBeforeTheNextPage_whenTimeIsShort_andTheNextInvocationResumesThere() {
        List<UserRef> users = usersActiveOverThePastDays(1200, "user-");

        ActiveUserSweep.Result first = run(budgetForPages(3));

        assertThat(first.complete()).isFalse();
        assertThat(first.usersFound()).isPositive().isLessThan(users.size());
        assertThat(first.jobsEnqueued()).isEqualTo(2 * first.usersFound());
        assertThat(checkpoints.read().run()).isPresent();
        assertThat(checkpoints.leaseOwner()).as("lease freed for the next invocation").isEmpty();
        int pagesBefore = index.queried().size();
        assertThat(pagesBefore).isEqualTo(3);

        ActiveUserSweep.Result second = run(TimeBudget.unlimited());

        assertThat(second.complete()).isTrue();
        assertThat(first.usersFound() + second.usersFound()).isEqualTo(users.size());
        assertThat(index.queried()).as("some shards took more than one page").anyMatch(k -> k.contains("@"));
        assertThat(jobsPerUser()).containsOnlyKeys(users)
                .allSatisfy((user, types) -> assertThat(types)
                        .isEqualTo(Map.of(JobType.ARCHIVE, 1L, JobType.RECOUNT, 1L)));
        // The second invocation started with the page the first would have read next.
        String resumedAt = index.queried().get(pagesBefore);
        SweepRun saved = checkpoints.advances().get(2);
        assertThat(resumedAt).isEqualTo(saved.shardKey() + (saved.startKey() == null ? "" : "@" + saved.startKey()));
    }

    @Test
    void run_shouldWriteOnlyItsStartAndItsEnd_whenNobodyWasActive() {
        ActiveUserSweep.Result result = run(TimeBudget.unlimited());

        assertThat(result).isEqualTo(new ActiveUserSweep.Result(false, true, 0, 0));
        assertThat(index.queried()).hasSize(4 * SHARDS);
        assertThat(checkpoints.advances()).as("no position saved after pages that found nobody").isEmpty();
        assertThat(checkpoints.read().doneUntil()).contains(NOW.minus(SETTLE));
    }

    @Test
    void run_shouldSaveWhereItStopped_whenTimeRunsOutAfterPagesThatFoundNobody() {
        // Active only on the window's last day: the first pages find nobody.
        UserRef late = new UserRef("tenant-0", "late");
        index.activeAt(late, NOW.minus(Duration.ofMinutes(5)));

        ActiveUserSweep.Result first = run(budgetForPages(3));

        assertThat(first).isEqualTo(new ActiveUserSweep.Result(false, false, 0, 0));
        assertThat(checkpoints.advances()).hasSize(1);
        SweepRun saved = checkpoints.advances().get(0);
        assertThat(saved.shardKey()).isEqualTo("2026-03-07#03");

        ActiveUserSweep.Result second = run(TimeBudget.unlimited());

        assertThat(second.usersFound()).isEqualTo(1);
        assertThat(index.queried().get(3)).as("resumed at the page after the three read").isEqualTo(saved.shardKey());
        assertThat(index.queried()).hasSize(4 * SHARDS);
        assertThat(jobsPerUser()).containsOnlyKeys(late);
    }

    @Test
    void run_shouldEnqueueOnlyThePageInFlightTwice_whenAnInvocationDiesBeforeSavingItsPosition() {
        List<UserRef> users = usersActiveOverThePastDays(1200, "user-");
        checkpoints.failAdvanceNumber(4);

        assertThatThrownBy(() -> run(TimeBudget.unlimited())).isInstanceOf(IllegalStateException.class);
        assertThat(checkpoints.leaseOwner()).isEmpty();
        ActiveUserSweep.Result second = run(TimeBudget.unlimited());

        assertThat(second.complete()).isTrue();
        Map<UserRef, Map<JobType, Long>> jobs = jobsPerUser();
        assertThat(jobs).containsOnlyKeys(users);
        Set<UserRef> twice = jobs.entrySet().stream()
                .filter(e -> e.getValue().get(JobType.ARCHIVE) > 1)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(twice).isNotEmpty().hasSizeLessThanOrEqualTo(ActiveUserSweep.PAGE_SIZE);
        assertThat(jobs.values()).allSatisfy(types -> assertThat(types.get(JobType.ARCHIVE))
                .isEqualTo(types.get(JobType.RECOUNT)).isLessThanOrEqualTo(2L));
    }

    @Test
    void run_shouldKeepItsPosition_whenJobsCannotBeSentEvenAfterARetry() {
        List<UserRef> users = usersActiveOverThePastDays(30, "user-");
        queue.failWith(new IllegalStateException("queue down"));

        assertThatThrownBy(() -> run(TimeBudget.unlimited()))
                .isInstanceOf(UserJobEnqueuer.JobsNotSentException.class);

        assertThat(checkpoints.advances()).isEmpty();
        assertThat(checkpoints.read().doneUntil()).isEmpty();
        assertThat(checkpoints.leaseOwner()).isEmpty();

        queue.failWith(null);
        ActiveUserSweep.Result retried = run(TimeBudget.unlimited());

        assertThat(retried.complete()).isTrue();
        assertThat(retried.usersFound()).isEqualTo(users.size());
        assertThat(jobsPerUser()).containsOnlyKeys(users);
    }

    @Test
    void run_shouldSkip_whenAnotherInvocationHoldsTheLease_andTakeOverOnceItExpires() {
        usersActiveOverThePastDays(10, "user-");
        checkpoints.takeOver("crashed-invocation", NOW.plus(Duration.ofMinutes(5)));

        ActiveUserSweep.Result refused = run(TimeBudget.unlimited());

        assertThat(refused.skipped()).isTrue();
        assertThat(queue.sent()).isEmpty();
        assertThat(index.queried()).isEmpty();
        assertThat(checkpoints.leaseOwner()).contains("crashed-invocation");

        clock.advance(Duration.ofMinutes(6));
        ActiveUserSweep.Result afterExpiry = run(TimeBudget.unlimited());

        assertThat(afterExpiry.skipped()).isFalse();
        assertThat(afterExpiry.complete()).isTrue();
        assertThat(afterExpiry.usersFound()).isEqualTo(10);
    }

    @Test
    void run_shouldPickOnlyUsersActiveSinceThePreviousWindow() {
        usersActiveOverThePastDays(10, "early-");
        // Active at the very millisecond the first window ends: that window excludes it, the next includes it.
        UserRef atBoundary = new UserRef("tenant-0", "at-boundary");
        index.activeAt(atBoundary, NOW.minus(SETTLE));
        assertThat(run(TimeBudget.unlimited()).usersFound()).isEqualTo(10);
        Instant firstEnd = checkpoints.read().doneUntil().orElseThrow();
        assertThat(firstEnd).isEqualTo(NOW.minus(SETTLE));
        List<JobRequest> firstRun = queue.sent();
        assertThat(firstRun).noneMatch(r -> r.userId().equals("at-boundary"));

        UserRef returning = new UserRef("tenant-0", "early-3");
        UserRef newcomer = new UserRef("tenant-1", "newcomer");
        index.activeAt(returning, firstEnd.plus(Duration.ofMinutes(10)));
        index.activeAt(newcomer, firstEnd.plus(Duration.ofMinutes(30)));
        clock.advance(Duration.ofHours(1));

        ActiveUserSweep.Result second = run(TimeBudget.unlimited());

        assertThat(second.usersFound()).isEqualTo(3);
        assertThat(queue.sent().subList(firstRun.size(), queue.sent().size()))
                .extracting(r -> new UserRef(r.tenantId(), r.userId()))
                .containsOnly(atBoundary, returning, newcomer);
        assertThat(checkpoints.read().doneUntil()).contains(NOW.plus(Duration.ofHours(1)).minus(SETTLE));
    }

    @Test
    void run_shouldStopWithoutTouchingTheCheckpoint_whenAnotherInvocationTookTheLease() {
        usersActiveOverThePastDays(300, "user-");
        JobQueue stolenDuringSend = new JobQueue() {
            @Override
            public void send(JobRequest request) {
                queue.send(request);
            }

            @Override
            public List<JobRequest> sendAll(List<JobRequest> requests) {
                checkpoints.takeOver("newer-invocation", NOW.plus(Duration.ofMinutes(10)));
                return queue.sendAll(requests);
            }
        };

        assertThatThrownBy(() -> sweep(stolenDuringSend).run("slow-invocation", TimeBudget.unlimited()))
                .isInstanceOf(CheckpointStore.LeaseLostException.class);

        assertThat(checkpoints.leaseOwner()).contains("newer-invocation");
        assertThat(checkpoints.advances()).isEmpty();
        assertThat(index.queried()).hasSize(1);
    }

    @Test
    void run_shouldDoNothing_whenNoTimeHasPassedSinceTheLastWindow() {
        usersActiveOverThePastDays(5, "user-");
        run(TimeBudget.unlimited());
        int queries = index.queried().size();

        ActiveUserSweep.Result again = run(TimeBudget.unlimited());

        assertThat(again).isEqualTo(new ActiveUserSweep.Result(false, true, 0, 0));
        assertThat(index.queried()).hasSize(queries);
        assertThat(checkpoints.leaseOwner()).isEmpty();
    }
}
